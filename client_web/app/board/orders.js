// Orders for the act phase: what is left (staff and resources after reservations), the
// orders given (withdraw), and the legal orders grouped by kind, each with its cost.
import { html, useState } from "../html.js";
import { t } from "../i18n.js";
import { costText, orderText } from "../describe.js";
import { available, findLegal, legalOrders } from "./legal.js";
import { Refusal } from "../ui.js";

const ONCE = new Set(["table_draft", "call_vote"]);
const ORDER_ORDER = [
  "commission_study", "host_consultation", "convene_panel", "trial_balloon", "grant", "pledge_pooled_fund",
  "second_staff", "table_draft", "propose_amendment", "lobby", "spoil", "call_vote",
];

export function Orders({ state, view, you, connection }) {
  if (!you) return null;
  const free = available(you);
  // A draft is tabled, and a vote called, once: an order already given is not offered again.
  const given = new Set(you.orders.map((o) => o.type).filter((type) => ONCE.has(type)));
  const legal = legalOrders(state.legal).filter((entry) => !given.has(entry.action.order.type));
  const groups = new Map();
  for (const entry of legal) {
    const type = entry.action.order.type;
    if (!groups.has(type)) groups.set(type, []);
    groups.get(type).push(entry);
  }
  const kinds = ORDER_ORDER.filter((k) => groups.has(k));
  const acting = view.phase === "act";
  return html`<section class="card orders" aria-labelledby="orders-title">
    <h2 id="orders-title">${t("orders.title")}</h2>
    ${acting
      ? html`<p class="left" data-staff-left=${free.staff}>${t("orders.left", { staff: free.staff, capital: free.capital, funds: free.funds, expertise: free.expertise })}</p>`
      : html`<p class="muted">${t("orders.when")}</p>`}
    ${you.orders.length
      ? html`<ol class="given">
          ${you.orders.map((order, index) => {
            const withdraw = findLegal(state.legal, "withdraw_order", (a) => a.index === index);
            return html`<li data-order=${order.type}>${orderText(view, order)}
              ${withdraw ? html` <button type="button" class="small" onClick=${() => connection.act(withdraw.action, "orders")}>${t("orders.withdraw")}</button>` : null}</li>`;
          })}
        </ol>`
      : acting ? html`<p class="empty">${t("orders.none_given")}</p>` : null}
    <${Refusal} state=${state} source="orders" />
    ${acting && !you.done && kinds.length === 0 && free.staff <= 0 ? html`<p class="muted">${t("orders.no_staff")}</p>` : null}
    ${acting && !you.done
      ? html`<div class="order-kinds">${kinds.map((kind) => html`<${OrderKind} key=${kind} kind=${kind} entries=${groups.get(kind)}
          view=${view} connection=${connection} />`)}</div>`
      : null}
    ${you.links?.length && view.linked_moves?.length
      ? html`<h3>${t("orders.linked_moves")}</h3><ul class="plain">${view.linked_moves.map((m) => html`<li>${orderText(view, m.order)}</li>`)}</ul>`
      : null}
  </section>`;
}

function OrderKind({ kind, entries, view, connection }) {
  const [picked, setPicked] = useState(0);
  const entry = entries[Math.min(picked, entries.length - 1)];
  return html`<div class="order-kind" data-kind=${kind}>
    <h3>${t(`ordertype.${kind}`)} <span class=${`arena-chip ${["table_draft", "propose_amendment", "lobby", "spoil", "call_vote"].includes(kind) ? "narrow" : "wide"}`}>${t(["table_draft", "propose_amendment", "lobby", "spoil", "call_vote"].includes(kind) ? "arena.narrow" : "arena.wide")}</span></h3>
    <p class="muted small">${t(`orderhelp.${kind}`)}</p>
    <div class="row">
      ${entries.length > 1
        ? html`<label class="inline-field grow"><span class="visually-hidden">${t(`ordertype.${kind}`)}</span>
            <select value=${picked} onChange=${(e) => setPicked(Number(e.currentTarget.value))}>
              ${entries.map((e, i) => html`<option value=${i}>${orderText(view, e.action.order)} — ${costText(e.cost)}</option>`)}
            </select></label>`
        : html`<span class="grow">${orderText(view, entry.action.order)} — <span class="muted">${costText(entry.cost)}</span></span>`}
      <button type="button" data-order-kind=${kind} onClick=${() => connection.act(entry.action, "orders")}>${t("orders.give")}</button>
    </div>
  </div>`;
}
