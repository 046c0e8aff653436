// Messages as conversations (public, each alliance, each seat) with unread counts. The
// composer offers only the legal recipients; what is typed is kept in the tab's storage.
import { html, useEffect, useRef, useState } from "../html.js";
import { t } from "../i18n.js";
import { audienceName, seatName } from "../describe.js";
import { conversationOf, messages } from "../facts.js";
import { loadDraft, saveDraft } from "../tokens.js";
import { legalOf } from "./legal.js";
import { Refusal } from "../ui.js";

const READ_KEY = (game) => `normarena.read.${game}`;
const MAX_LENGTH = 1000;

function readMarks(game) {
  try {
    return JSON.parse(localStorage.getItem(READ_KEY(game)) || "{}");
  } catch {
    return {};
  }
}

function conversations(state) {
  const me = state.seat;
  const groups = new Map([["public", []]]);
  for (const m of messages(state)) {
    const key = conversationOf(m, me);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  for (const entry of legalOf(state.legal, "send_message")) {
    if (!groups.has(entry.action.to)) groups.set(entry.action.to, []);
  }
  return groups;
}

export function unreadTotal(state, game) {
  const marks = readMarks(game);
  let total = 0;
  for (const [key, list] of conversations(state)) {
    total += list.filter((m) => m.number > (marks[key] || 0) && m.sender !== state.seat).length;
  }
  return total;
}

export function Messages({ game, state, view, connection, onRead }) {
  const groups = conversations(state);
  const [chosen, setChosen] = useState(sessionStorage.getItem(`normarena.chat.${game}`) || "public");
  const [marks, setMarks] = useState(readMarks(game));
  const thread = groups.get(chosen) || [];
  const end = useRef(null);
  useEffect(() => {
    sessionStorage.setItem(`normarena.chat.${game}`, chosen);
    const newest = thread.length ? thread[thread.length - 1].number : 0;
    if (newest > (marks[chosen] || 0)) {
      const next = { ...readMarks(game), [chosen]: newest };
      localStorage.setItem(READ_KEY(game), JSON.stringify(next));
      setMarks(next);
      if (onRead) onRead(); // the section's tab counts what is still unread
    }
    if (end.current) end.current.scrollIntoView({ block: "nearest" });
  }, [chosen, thread.length]);
  const unread = (key) => (groups.get(key) || []).filter((m) => m.number > (marks[key] || 0) && m.sender !== state.seat).length;
  const canSend = legalOf(state.legal, "send_message").some((e) => e.action.to === chosen);
  return html`<section class="card messages-card" aria-labelledby="messages-title">
    <h2 id="messages-title">${t("messages.title")}</h2>
    <div class="conversations">
      <ul class="conversation-list" role="list">
        ${[...groups.keys()].map((key) => {
          const count = key === chosen ? 0 : unread(key);
          return html`<li><button type="button" class=${key === chosen ? "current" : ""} aria-pressed=${key === chosen}
              data-conversation=${key} onClick=${() => setChosen(key)}>
            <span class="conversation-name">${audienceName(view, key)}</span>
            ${count ? html`<span class="count" aria-label=${t("messages.unread", { count })}>${count}</span>` : null}
          </button></li>`;
        })}
      </ul>
      <div class="thread">
        <h3>${t(chosen === "public" ? "messages.public_about" : chosen.startsWith("alliance:") ? "messages.alliance_about" : "messages.private_about", { name: audienceName(view, chosen) })}</h3>
        <ol class="messages" aria-live="polite">
          ${thread.length === 0 ? html`<li class="empty">${t("messages.none")}</li>` : null}
          ${thread.map((m) => html`<li class=${`message ${m.sender === state.seat ? "mine" : ""}`} data-number=${m.number}>
            <span class="from">${author(view, m, state)}</span>
            <span class="when muted">${t("round.short", { round: m.round })}</span>
            <p class="text">${m.text}</p>
          </li>`)}
          <li ref=${end} class="end" aria-hidden="true"></li>
        </ol>
        ${canSend
          ? html`<${Composer} game=${game} to=${chosen} connection=${connection} state=${state} />`
          : html`<p class="muted composer-closed">${view.phase === "negotiate" ? t("messages.cannot_send") : t("messages.closed")}</p>`}
      </div>
    </div>
  </section>`;
}

/** Who wrote a message: "You", a team-mate by name, or the seat with the player's name. */
function author(view, m, state) {
  if (m.sender === state.seat) return m.by && m.by !== state.player ? t("messages.team_mate", { name: m.by }) : t("messages.you");
  return m.by ? t("messages.seat_player", { seat: seatName(view, m.sender), name: m.by }) : seatName(view, m.sender);
}

function Composer({ game, to, connection, state }) {
  const key = `${game}.message.${to}`;
  const [text, setText] = useState(loadDraft(key));
  useEffect(() => setText(loadDraft(key)), [key]);
  const source = `message:${to}`;
  async function send(event) {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    const answer = await connection.act({ type: "send_message", to, text: body }, source);
    if (answer.type === "ack") {
      setText("");
      saveDraft(key, "");
    }
  }
  return html`<form class="composer" onSubmit=${send}>
    <label class="visually-hidden" for=${`compose-${to}`}>${t("messages.write")}</label>
    <textarea id=${`compose-${to}`} rows="2" maxlength=${MAX_LENGTH} value=${text} placeholder=${t("messages.placeholder")}
      onInput=${(e) => { setText(e.currentTarget.value); saveDraft(key, e.currentTarget.value); }}
      onKeyDown=${(e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) send(e); }}></textarea>
    <button type="submit" class="primary" disabled=${!text.trim()}>${t("messages.send")}</button>
    <${Refusal} state=${state} source=${source} />
  </form>`;
}
