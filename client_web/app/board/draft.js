// The draft: each provision's level among its wordings, and how it got there; ripeness; blocs.
import { html } from "../html.js";
import { t, formatNumber } from "../i18n.js";
import { seatName } from "../describe.js";
import { Band } from "../ui.js";

export function Draft({ view, showHistory = true }) {
  const draft = view.draft;
  return html`<section class="card draft" aria-labelledby="draft-title">
    <div class="section-head">
      <h2 id="draft-title">${t("draft.title")}</h2>
      <span class="draft-status">
        ${draft.tabled ? t("draft.tabled_by", { sponsors: draft.sponsors.map((s) => seatName(view, s)).join(", ") }) : t("draft.not_tabled")}
        ${draft.vote_called ? html` · <strong>${t("draft.vote_called")}</strong>` : null}
      </span>
    </div>
    <ol class="provisions">
      ${draft.provisions.map((p) => html`<li class="provision" data-provision=${p.id} data-level=${p.level}>
        <h3>${p.name}</h3>
        <ol class="levels" aria-label=${t("draft.levels_of", { name: p.name })}>
          ${p.levels.map((wording, level) => html`<li class=${level === p.level ? "current" : level < p.level ? "below" : ""}
              aria-current=${level === p.level ? "true" : undefined}>${wording}</li>`)}
        </ol>
        ${showHistory ? html`<${ProvisionHistory} view=${view} provision=${p} />` : null}
      </li>`)}
    </ol>
  </section>`;
}

function ProvisionHistory({ view, provision }) {
  const changes = view.draft.history.filter((c) => c.provision === provision.id);
  if (!changes.length) return null;
  return html`<details class="history">
    <summary>${t("draft.how", { count: changes.length })}</summary>
    <ul class="plain">
      ${changes.map((c) => html`<li>${t(`draft.change.${c.via}`, {
        round: c.round, seat: seatName(view, c.seat), before: provision.levels[c.before], after: provision.levels[c.after],
      })}</li>`)}
    </ul>
  </details>`;
}

export function Ripeness({ view }) {
  const band = view.ripeness?.band;
  return html`<div class="ripeness" data-band=${band}>
    <span class="label">${t("ripeness.title")}</span>
    <${Band} value=${band} kind="ripeness" />
    ${typeof view.ripeness?.value === "number" ? html`<span class="muted">${formatNumber(view.ripeness.value)}</span>` : null}
  </div>`;
}

export function Blocs({ view }) {
  if (!view.blocs?.length) return null;
  const shown = view.blocs.some((b) => b.disposition !== undefined);
  // Constituencies have no vote, but their ownership feeds legitimacy and some seats' goals.
  const owned = (view.constituencies || []).filter((c) => c.ownership !== undefined);
  return html`<section class="card blocs" aria-labelledby="blocs-title">
    <h2 id="blocs-title">${t("blocs.title")}</h2>
    ${!shown ? html`<p class="muted">${t("blocs.hidden")}</p>` : null}
    <div class="table-wrap" tabindex="0"><table class="blocs-table">
      <thead><tr><th scope="col">${t("blocs.bloc")}</th><th scope="col" class="num">${t("blocs.votes")}</th>
        ${shown ? html`<th scope="col">${t("blocs.disposition")}</th><th scope="col">${t("blocs.ownership")}</th>` : null}</tr></thead>
      <tbody>
        ${view.blocs.map((b) => html`<tr data-bloc=${b.id}>
          <th scope="row">${b.name}</th><td class="num">${b.votes}</td>
          ${shown ? html`<td><${Band} value=${b.disposition} /></td><td><${Band} value=${b.ownership} /></td>` : null}
        </tr>`)}
      </tbody>
      ${shown && owned.length ? html`<tbody>
        <tr><th scope="colgroup" colspan="4">${t("blocs.constituencies")}</th></tr>
        ${owned.map((c) => html`<tr data-constituency=${c.id}>
          <th scope="row">${c.name}</th><td class="num">–</td><td>–</td><td><${Band} value=${c.ownership} /></td>
        </tr>`)}
      </tbody>` : null}
    </table></div>
  </section>`;
}

export function VoteResult({ view }) {
  const vote = view.votes?.[view.votes.length - 1];
  if (!vote) return null;
  return html`<section class=${`card vote-result ${vote.adopted ? "adopted" : "failed"}`} aria-labelledby="vote-title">
    <h2 id="vote-title">${t("vote.result_title", { round: vote.round })}</h2>
    <p class="verdict">${vote.adopted ? t("vote.adopted") : t("vote.not_adopted")}</p>
    <p>${t("vote.count", { yes: formatNumber(vote.yes), no: formatNumber(vote.no), abstain: formatNumber(vote.abstain) })}</p>
    ${!vote.ripe ? html`<p>${t("vote.not_ripe")}</p>` : null}
    ${vote.objections?.length ? html`<p>${t("vote.objections", { seats: vote.objections.map((s) => seatName(view, s)).join(", ") })}</p>` : null}
    ${vote.vetoes?.length ? html`<p>${t("vote.vetoes", { seats: vote.vetoes.map((s) => seatName(view, s)).join(", ") })}</p>` : null}
  </section>`;
}
