// The seat's role sheet and secret objectives.
import { html } from "../html.js";
import { t, formatNumber } from "../i18n.js";
import { provisionName, reflow, seatName, sideIssueName, wording } from "../describe.js";

export function Role({ view, you }) {
  if (!you) return null;
  const o = you.objectives;
  return html`<section class="card role" aria-labelledby="role-title">
    <h2 id="role-title">${t("role.title", { seat: you.name })}</h2>
    <p class="role-sheet">${reflow(you.role_sheet)}</p>
    <h3>${t("role.objectives")} <span class="secret-chip">${t("role.secret")}</span></h3>
    <table class="objectives">
      <thead><tr><th scope="col">${t("role.provision")}</th><th scope="col">${t("role.ideal")}</th><th scope="col" class="num">${t("role.weight")}</th></tr></thead>
      <tbody>${Object.entries(o.ideal).map(([p, level]) => html`<tr><th scope="row">${provisionName(view, p)}</th>
        <td>${wording(view, p, level)}</td><td class="num">${formatNumber(o.weights[p] ?? 0)}</td></tr>`)}</tbody>
    </table>
    <p>${t("role.failure", { value: formatNumber(o.failure, 2) })}</p>
    ${Object.keys(o.side_stakes || {}).length
      ? html`<ul class="plain">${Object.entries(o.side_stakes).map(([issue, stake]) => html`<li>${t(stake >= 0 ? "role.stake_for" : "role.stake_against", { issue: sideIssueName(view, issue), stake: formatNumber(Math.abs(stake), 2) })}</li>`)}</ul>`
      : null}
    ${Object.keys(o.turf || {}).length
      ? html`<p>${t("role.turf", { provisions: Object.keys(o.turf).map((p) => provisionName(view, p)).join(", ") })}</p>`
      : null}
    ${o.goals?.length ? html`<h3>${t("role.goals")}</h3><ul>${o.goals.map((g) => html`<li>${g.text}</li>`)}</ul>` : null}
    ${you.links?.length ? html`<p>${t("role.links", { seats: you.links.map((s) => seatName(view, s)).join(", ") })}</p>` : null}
    <p class="muted small"><a href="/rules" target="_blank" rel="noopener">${t("role.rules_link")}</a></p>
  </section>`;
}
