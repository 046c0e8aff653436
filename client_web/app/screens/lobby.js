// The lobby: every seat with its join code, link and QR code, who has joined, bots, and the
// controls that belong before the start (lock joining, re-issue a code, seat a bot, start).
import { html, useState } from "../html.js";
import { t } from "../i18n.js";
import { kindName } from "../describe.js";
import { QrCode, isLoopback, joinLink, joinOrigin } from "../qr.js";
import { ConfirmButton, Refusal } from "../ui.js";
import { navigate } from "../router.js";

export const STRATEGIES = ["broker", "entrepreneur", "spoiler", "random"];

export function Lobby({ game, state, rows, locked, connection, reload, hasGameInfo }) {
  const view = state.view;
  const [shown, setShown] = useState(null);
  async function lock(next) {
    const answer = await connection.control(next ? "lock" : "unlock", {}, "lobby");
    if (answer.type === "ack") reload();
  }
  async function start() {
    const answer = await connection.control("start", {}, "lobby");
    if (answer.type === "ack") navigate(`/game/${game}/console`);
  }
  const joinedSeats = rows.filter((r) => r.players.length || r.bot).length;
  return html`<section class="lobby" aria-labelledby="lobby-title">
    <div class="section-head">
      <div>
        <h1 id="lobby-title">${t("lobby.title")}</h1>
        <p class="muted">${t("lobby.about")}</p>
      </div>
      <div class="actions">
        <button type="button" class=${locked ? "" : "secondary"} aria-pressed=${locked} data-control="lock"
          onClick=${() => lock(!locked)}>${locked ? t("lobby.unlock") : t("lobby.lock")}</button>
        ${view.phase === "lobby"
          ? html`<button type="button" class="primary big" data-control="start" onClick=${start}>${t("console.start")}</button>`
          : null}
      </div>
    </div>
    <${Refusal} state=${state} source="lobby" />
    ${isLoopback() ? html`<p class="banner warn" data-loopback="1">${t("lobby.loopback", { origin: joinOrigin() })}</p>` : null}
    <p class="lock-state" data-locked=${locked ? "1" : "0"}>
      ${locked ? t("lobby.locked_note") : t("lobby.open_note")}
      ${hasGameInfo ? html` · ${t("lobby.seats_taken", { count: joinedSeats, total: rows.length })}` : null}
    </p>
    <div class="seat-grid">
      ${rows.map((row) => html`<${SeatCard} key=${row.id} row=${row} locked=${locked} connection=${connection}
          reload=${reload} state=${state} onShow=${() => setShown(row)} />`)}
    </div>
    ${shown && shown.code
      ? html`<div class="dialog-backdrop" onClick=${() => setShown(null)}>
          <div class="dialog qr-dialog" role="dialog" aria-modal="true" aria-label=${shown.name} onClick=${(e) => e.stopPropagation()}>
            <h2>${shown.name}</h2>
            <${QrCode} text=${joinLink(shown.code)} size=${320} label=${t("lobby.qr_for", { seat: shown.name })} />
            <p class="code big">${shown.code}</p>
            <p class="muted">${joinLink(shown.code)}</p>
            <button type="button" onClick=${() => setShown(null)}>${t("common.close")}</button>
          </div>
        </div>`
      : null}
    <section class="card print-links">
      <h2>${t("lobby.handouts")}</h2>
      <ul class="plain inline">
        <li><a href=${`/game/${game}/print/roles`}>${t("print.roles")}</a></li>
        <li><a href=${`/game/${game}/print/rules`}>${t("print.rules")}</a></li>
        <li><a href=${`/game/${game}/print/brief`}>${t("print.brief")}</a></li>
      </ul>
    </section>
  </section>`;
}

function SeatCard({ row, locked, connection, reload, state, onShow }) {
  const [strategy, setStrategy] = useState(row.bot || "broker");
  const source = `seat:${row.id}`;
  const seatBot = (replace) => connection.control("bot", { seat: row.id, strategy, ...(replace ? { replace: true } : {}) }, source);
  const unseatBot = () => connection.control("unbot", { seat: row.id }, source);
  async function reissue() {
    const answer = await connection.control("reissue", { seat: row.id }, source);
    if (answer.type === "ack") reload();
  }
  const people = row.players.length > 0;
  return html`<article class="seat-card" data-seat=${row.id}>
    <header>
      <h3>${row.name}</h3>
      <span class=${`kind-chip kind-${row.kind}`}>${kindName(row.kind)}</span>
    </header>
    <div class="seat-code">
      ${row.code
        ? html`<button type="button" class="qr-button" onClick=${onShow} aria-label=${t("lobby.show_qr", { seat: row.name })}>
            <${QrCode} text=${joinLink(row.code)} size=${96} label=${t("lobby.qr_for", { seat: row.name })} />
          </button>
          <div>
            <p class=${`code ${locked ? "locked" : ""}`} data-code=${row.code}>${row.code}</p>
            <p class="join-link"><a href=${joinLink(row.code)} target="_blank" rel="noopener">${t("lobby.join_link")}</a></p>
          </div>`
        : html`<p class="muted">${t("lobby.no_code")}</p>`}
    </div>
    <div class="seat-people">
      ${people
        ? html`<ul class="plain players">${row.players.map(
            (p) => html`<li><span class=${`presence ${p.online === false ? "away" : "here"}`} aria-hidden="true"></span>${p.name}</li>`,
          )}</ul>`
        : row.bot
          ? html`<p class="bot-note">${t("lobby.bot_playing", { strategy: t(`strategy.${row.bot}`) })}</p>`
          : html`<p class="muted">${t("lobby.nobody_yet")}</p>`}
    </div>
    <div class="seat-actions">
      ${row.bot
        ? html`<button type="button" data-control="unbot" onClick=${unseatBot}>${t("lobby.unseat_bot")}</button>`
        : html`<label class="inline-field"><span class="visually-hidden">${t("lobby.strategy")}</span>
            <select value=${strategy} onChange=${(e) => setStrategy(e.currentTarget.value)}>
              ${STRATEGIES.map((s) => html`<option value=${s}>${t(`strategy.${s}`)}</option>`)}
            </select></label>
          ${people
            ? html`<${ConfirmButton} label=${t("lobby.seat_bot")} question=${t("lobby.replace_people")} onConfirm=${() => seatBot(true)} />`
            : html`<button type="button" data-control="bot" onClick=${() => seatBot(false)}>${t("lobby.seat_bot")}</button>`}`}
      <${ConfirmButton} label=${t("lobby.reissue")} question=${t("lobby.reissue_confirm", { seat: row.name })} onConfirm=${reissue} cls="secondary" />
    </div>
    <${Refusal} state=${state} source=${source} />
  </article>`;
}
