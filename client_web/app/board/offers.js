// Offers: those made to you and by you (accept, decline, withdraw), your pledges, and a
// composer that offers the legal list's trades, recipient by recipient.
import { html, useState } from "../html.js";
import { t } from "../i18n.js";
import { pledgeText, seatName, termsText } from "../describe.js";
import { findLegal, legalOf } from "./legal.js";
import { Refusal } from "../ui.js";

export function Offers({ state, view, you, connection }) {
  const offers = view.offers || [];
  const pledges = view.pledges || [];
  const me = state.seat;
  return html`<section class="card offers" aria-labelledby="offers-title">
    <h2 id="offers-title">${t("offers.title")}</h2>
    ${offers.length === 0 ? html`<p class="empty">${t("offers.none")}</p>` : null}
    <ul class="plain offer-list">
      ${offers.map((offer) => {
        const mine = offer.sender === me;
        const accept = findLegal(state.legal, "accept_offer", (a) => a.offer === offer.id);
        const decline = findLegal(state.legal, "decline_offer", (a) => a.offer === offer.id);
        const withdraw = findLegal(state.legal, "withdraw_offer", (a) => a.offer === offer.id);
        const source = `offer:${offer.id}`;
        return html`<li class=${`offer status-${offer.status}`} data-offer-status=${offer.status} data-offer-from=${offer.sender}>
          <p class="offer-line">${mine
            ? t("offers.you_offer", { to: seatName(view, offer.recipient), gives: termsText(view, offer.gives), gets: termsText(view, offer.gets) })
            : t("offers.they_offer", { from: seatName(view, offer.sender), gives: termsText(view, offer.gives), gets: termsText(view, offer.gets) })}</p>
          <p class="offer-status"><span class=${`status-chip ${offer.status}`}>${t(`offerstatus.${offer.status}`)}</span>
            ${[...(offer.gives.pledges || []), ...(offer.gets.pledges || [])].length ? html` <span class="pledge-mark">${t("offers.has_pledges")}</span>` : null}</p>
          <div class="actions">
            ${accept ? html`<button type="button" class="primary" data-action="accept_offer" onClick=${() => connection.act(accept.action, source)}>${t("offers.accept")}</button>` : null}
            ${!accept && !mine && offer.status === "open" ? html`<span class="muted">${t("offers.cannot_accept")}</span>` : null}
            ${decline ? html`<button type="button" data-action="decline_offer" onClick=${() => connection.act(decline.action, source)}>${t("offers.decline")}</button>` : null}
            ${withdraw ? html`<button type="button" data-action="withdraw_offer" onClick=${() => connection.act(withdraw.action, source)}>${t("offers.withdraw")}</button>` : null}
          </div>
          <${Refusal} state=${state} source=${source} />
        </li>`;
      })}
    </ul>
    ${pledges.length
      ? html`<h3>${t("pledges.title")}</h3>
        <ul class="plain pledge-list">
          ${pledges.map((p) => html`<li class=${`pledge status-${p.status}`} data-pledge-status=${p.status}>
            ${p.pledger === me
              ? t("pledges.you_pledged", { what: pledgeText(view, p.pledge), to: seatName(view, p.beneficiary) })
              : t("pledges.they_pledged", { who: seatName(view, p.pledger), what: pledgeText(view, p.pledge) })}
            <span class=${`status-chip ${p.status}`}>${t(`pledgestatus.${p.status}`)}</span>
          </li>`)}
        </ul>`
      : null}
    <${OfferComposer} state=${state} view=${view} connection=${connection} />
  </section>`;
}

function OfferComposer({ state, view, connection }) {
  const templates = legalOf(state.legal, "make_offer");
  const recipients = [...new Set(templates.map((e) => e.action.to))];
  const [to, setTo] = useState("");
  const [choice, setChoice] = useState(0);
  if (templates.length === 0) {
    return html`<p class="muted">${view.phase === "negotiate" ? t("offers.none_possible") : t("offers.closed")}</p>`;
  }
  const target = recipients.includes(to) ? to : recipients[0];
  const options = templates.filter((e) => e.action.to === target);
  const picked = options[Math.min(choice, options.length - 1)];
  return html`<form class="offer-composer" onSubmit=${(e) => { e.preventDefault(); connection.act(picked.action, "offer-composer"); }}>
    <h3>${t("offers.make")}</h3>
    <label class="field"><span>${t("offers.to")}</span>
      <select value=${target} onChange=${(e) => { setTo(e.currentTarget.value); setChoice(0); }}>
        ${recipients.map((s) => html`<option value=${s}>${seatName(view, s)}</option>`)}
      </select></label>
    <fieldset class="offer-options">
      <legend>${t("offers.trade")}</legend>
      ${options.map((e, i) => html`<label class="option">
        <input type="radio" name="offer-option" checked=${i === Math.min(choice, options.length - 1)} onChange=${() => setChoice(i)} />
        <span>${isEmpty(e.action.gives)
          ? t("offers.template_nothing_given", { gets: termsText(view, e.action.gets) })
          : t("offers.template", { gives: termsText(view, e.action.gives), gets: termsText(view, e.action.gets) })}</span>
      </label>`)}
    </fieldset>
    <button type="submit" class="primary">${t("offers.send")}</button>
    <${Refusal} state=${state} source="offer-composer" />
  </form>`;
}

function isEmpty(terms) {
  return !terms.capital && !terms.funds && !terms.expertise && !(terms.pledges || []).length;
}
