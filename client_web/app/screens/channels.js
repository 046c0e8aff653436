// Read-only: every channel (public, each alliance, each private pair) and the event feed.
import { html, useState } from "../html.js";
import { t } from "../i18n.js";
import { audienceName, eventText, seatName } from "../describe.js";
import { conversationOf, messages } from "../facts.js";

export function Channels({ state }) {
  const view = state.view;
  const all = messages(state);
  const groups = new Map();
  for (const m of all) {
    const key = conversationOf(m, null);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  const keys = [...groups.keys()];
  const [chosen, setChosen] = useState(keys[0] || "public");
  const label = (key) =>
    key.includes("|") ? key.split("|").map((s) => seatName(view, s)).join(" ↔ ") : audienceName(view, key);
  const thread = groups.get(chosen) || [];
  return html`<section class="channels" aria-labelledby="channels-title">
    <h1 id="channels-title">${t("channels.title")}</h1>
    ${keys.length === 0
      ? html`<p class="empty">${t("channels.none")}</p>`
      : html`<div class="conversations">
          <ul class="conversation-list" role="list">
            ${keys.map((key) => html`<li><button type="button" class=${key === chosen ? "current" : ""} aria-pressed=${key === chosen}
                onClick=${() => setChosen(key)}>${label(key)} <span class="total">${groups.get(key).length}</span></button></li>`)}
          </ul>
          <div class="thread" aria-live="polite">
            <h2>${label(chosen)}</h2>
            <ol class="messages">
              ${thread.map((m) => html`<li class="message"><span class="from">${m.by ? t("messages.seat_player", { seat: seatName(view, m.sender), name: m.by }) : seatName(view, m.sender)}</span>
                <span class="when muted">${t("round.short", { round: m.round })}</span><p class="text">${m.text}</p></li>`)}
            </ol>
          </div>
        </div>`}
  </section>`;
}

export function Feed({ state, you, limit = 400 }) {
  const view = state.view;
  const events = state.events.slice(-limit).reverse();
  return html`<section class="feed" aria-labelledby="feed-title">
    <h2 id="feed-title">${t("feed.title")}</h2>
    ${events.length === 0
      ? html`<p class="empty">${t("feed.none")}</p>`
      : html`<ol class="events" reversed>
          ${events.map((e) => html`<li class=${`event event-${e.kind}`} data-kind=${e.kind} data-seq=${e.seq}>
            <span class="when muted">${t("round.short", { round: e.round })}</span>
            <span class="what">${eventText(view, e, you)}</span>${e.by ? html` <span class="by muted">${t("feed.by", { name: e.by })}</span>` : null}</li>`)}
        </ol>`}
  </section>`;
}
