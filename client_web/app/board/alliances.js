// Alliances: found one (the legal list suggests a name and platform), invite, join, leave.
import { html, useState } from "../html.js";
import { t } from "../i18n.js";
import { kindName, seatName, wording, provisionName } from "../describe.js";
import { findLegal, legalOf } from "./legal.js";
import { ConfirmButton, Refusal } from "../ui.js";
import { loadDraft, saveDraft } from "../tokens.js";

export function Alliances({ game, state, view, connection }) {
  const me = state.seat;
  const found = findLegal(state.legal, "found_alliance");
  const joins = legalOf(state.legal, "join_alliance");
  return html`<section class="card alliances" aria-labelledby="alliances-title">
    <h2 id="alliances-title">${t("alliances.title")}</h2>
    <p class="muted">${t("alliances.about")}</p>
    ${view.alliances.length === 0 ? html`<p class="empty">${t("alliances.none")}</p>` : null}
    <ul class="plain alliance-list">
      ${view.alliances.map((a) => {
        const member = a.members.includes(me);
        const join = member ? null : joins.find((e) => e.action.alliance === a.id);
        const leave = findLegal(state.legal, "leave_alliance", (x) => x.alliance === a.id);
        const invites = legalOf(state.legal, "invite_to_alliance").filter((e) => e.action.alliance === a.id && !a.members.includes(e.action.seat));
        const source = `alliance:${a.id}`;
        return html`<li class=${`alliance ${member ? "member" : ""}`} data-alliance=${a.name}>
          <h3>${a.name} <span class="muted small">${t("alliances.span", { count: a.span })}</span></h3>
          <p>${t("alliances.members", { members: a.members.map((s) => seatName(view, s)).join(", ") })}</p>
          ${a.invited?.length ? html`<p class="muted">${t("alliances.invited", { seats: a.invited.map((s) => seatName(view, s)).join(", ") })}</p>` : null}
          ${a.platform && Object.keys(a.platform).length
            ? html`<details><summary>${t("alliances.platform")}</summary><ul class="plain">
                ${Object.entries(a.platform).map(([p, level]) => html`<li>${provisionName(view, p)}: <em>${wording(view, p, level)}</em></li>`)}
              </ul></details>`
            : null}
          <div class="actions">
            ${join ? html`<button type="button" class="primary" data-action="join_alliance" onClick=${() => connection.act(join.action, source)}>${t("alliances.join")}</button>` : null}
            ${invites.length ? html`<${Invite} view=${view} invites=${invites} connection=${connection} source=${source} />` : null}
            ${leave ? html`<${ConfirmButton} label=${t("alliances.leave")} question=${t("alliances.leave_confirm", { name: a.name })} onConfirm=${() => connection.act(leave.action, source)} />` : null}
          </div>
          <${Refusal} state=${state} source=${source} />
        </li>`;
      })}
    </ul>
    ${found ? html`<${Found} game=${game} view=${view} entry=${found} connection=${connection} state=${state} />` : null}
  </section>`;
}

function Invite({ view, invites, connection, source }) {
  const [seat, setSeat] = useState(invites[0].action.seat);
  const picked = invites.find((e) => e.action.seat === seat) || invites[0];
  return html`<span class="group">
    <label class="inline-field"><span class="visually-hidden">${t("alliances.invite_whom")}</span>
      <select value=${picked.action.seat} onChange=${(e) => setSeat(e.currentTarget.value)}>
        ${invites.map((e) => html`<option value=${e.action.seat}>${seatName(view, e.action.seat)} (${kindName(view.seats.find((s) => s.id === e.action.seat)?.kind)})</option>`)}
      </select></label>
    <button type="button" data-action="invite_to_alliance" onClick=${() => connection.act(picked.action, source)}>${t("alliances.invite")}</button>
  </span>`;
}

function Found({ game, view, entry, connection, state }) {
  const key = `${game}.alliance-name`;
  const [name, setName] = useState(loadDraft(key) || entry.action.name);
  async function submit(event) {
    event.preventDefault();
    const answer = await connection.act({ ...entry.action, name: name.trim() || entry.action.name }, "found");
    if (answer.type === "ack") saveDraft(key, "");
  }
  return html`<form class="found" onSubmit=${submit}>
    <h3>${t("alliances.found")}</h3>
    <label class="field"><span>${t("alliances.name")}</span>
      <input value=${name} maxlength="80" onInput=${(e) => { setName(e.currentTarget.value); saveDraft(key, e.currentTarget.value); }} /></label>
    <p class="muted small">${t("alliances.platform_from_objectives")}</p>
    <button type="submit" class="primary" data-action="found_alliance">${t("alliances.found_button")}</button>
    <${Refusal} state=${state} source="found" />
  </form>`;
}
