// The seat's strip: resources, staff, and "I'm done" for the phase.
import { html } from "../html.js";
import { t } from "../i18n.js";
import { findLegal, available } from "./legal.js";
import { Refusal } from "../ui.js";

export function Status({ view, you, state, connection }) {
  if (!you) return null;
  const r = you.resources;
  const free = available(you);
  const endNegotiation = findLegal(state.legal, "end_negotiation");
  const endOrders = findLegal(state.legal, "end_orders");
  const ended = view.phase === "ended";
  const team = view.room?.seats?.[you.seat]?.players || [];
  return html`<section class="status card" aria-label=${t("status.title")}>
    ${team.length > 1 ? html`<p class="team" data-team=${team.length}>${t("status.team", { names: team.map((p) => p.name).join(", ") })}</p>` : null}
    <dl class="resources">
      ${["capital", "funds", "expertise"].map((k) => html`<div class="resource" data-resource=${k}>
        <dt>${t(`resource.${k}`)}</dt>
        <dd><span class="value">${r[k]}</span>${you.reserved?.[k] ? html`<span class="reserved muted">${t("status.reserved", { count: you.reserved[k] })}</span>` : null}</dd>
      </div>`)}
      <div class="resource" data-resource="credibility"><dt>${t("resource.credibility")}</dt><dd><span class="value">${r.credibility}</span></dd></div>
      <div class="resource" data-resource="staff"><dt>${t("resource.staff")}</dt><dd><span class="value">${view.phase === "act" ? free.staff : you.staff}</span>
        ${view.phase === "act" ? html`<span class="muted"> / ${you.staff}</span>` : null}</dd></div>
    </dl>
    <div class="phase-action">
      ${ended ? null : you.done
        ? html`<p class="done-note" data-done="1">${t("status.done", { phase: t(`phase.${view.phase}`) })}</p>`
        : endNegotiation
          ? html`<button type="button" class="primary" data-action="end_negotiation" onClick=${() => connection.act(endNegotiation.action, "status")}>${t("status.end_negotiation")}</button>`
          : endOrders
            ? html`<button type="button" class="primary" data-action="end_orders" onClick=${() => connection.act(endOrders.action, "status")}>${t("status.end_orders", { count: you.orders.length })}</button>`
            : view.phase === "lobby" ? html`<p class="muted">${t("status.waiting_start")}</p>` : null}
      <${Refusal} state=${state} source="status" />
    </div>
  </section>`;
}
