// The player's board: one page that works on a phone (sections as tabs) and on a laptop
// (columns). It reads one store; the composers send intents through the connection.
import { html, useEffect, useMemo, useState } from "../html.js";
import { t } from "../i18n.js";
import { connect } from "../connection.js";
import { useStore } from "../store.js";
import { seatToken, forgetSeat } from "../tokens.js";
import { Countdown, Header, Loading, OfflineBanner, RoundPhase } from "../ui.js";
import { Blocs, Draft, Ripeness, VoteResult } from "../board/draft.js";
import { Status } from "../board/status.js";
import { Messages, unreadTotal } from "../board/messages.js";
import { Offers } from "../board/offers.js";
import { Alliances } from "../board/alliances.js";
import { Orders } from "../board/orders.js";
import { Vote } from "../board/vote.js";
import { Role } from "../board/role.js";
import { Feed } from "./channels.js";
import { isPaused } from "../facts.js";

const SECTIONS = ["table", "talk", "deals", "orders", "role", "feed"];

export function BoardScreen({ game }) {
  const entry = seatToken(game);
  if (!entry) {
    return html`<${Header} /><main class="page narrow"><h1>${t("board.no_seat")}</h1><p>${t("board.no_seat_about")}</p>
      <p><a href="/join">${t("board.join_link")}</a></p></main>`;
  }
  return html`<${Playing} game=${game} entry=${entry} />`;
}

function Playing({ game, entry }) {
  const connection = useMemo(() => connect({ game, token: entry.token, wantsLegal: true }), [game, entry.token]);
  const state = useStore(connection.store);
  const view = state.view;
  const [section, setSection] = useState(sessionStorage.getItem(`normarena.section.${game}`) || "table");
  const [, markedRead] = useState(0);
  useEffect(() => sessionStorage.setItem(`normarena.section.${game}`, section), [section]);
  useEffect(() => {
    if (view?.phase === "act") setSection((s) => (s === "talk" || s === "deals" ? "orders" : s));
    if (view?.phase === "vote") setSection((s) => (s === "orders" ? "table" : s));
  }, [view?.phase]);
  if (state.fatal) {
    return html`<${Header} /><main class="page narrow"><${OfflineBanner} state=${state} />
      <p><button type="button" onClick=${() => { forgetSeat(game); location.assign("/join"); }}>${t("board.join_again")}</button></p></main>`;
  }
  if (!view) return html`<${Header} connection=${state} /><${OfflineBanner} state=${state} /><main class="page"><${Loading} /></main>`;
  const you = view.you;
  const ended = view.phase === "ended";
  const unread = unreadTotal(state, game);
  const props = { game, state, view, you, connection, entry };
  const badge = (name) => (name === "talk" && unread ? html` <span class="count" aria-label=${t("messages.unread", { count: unread })}>${unread}</span>` : null);
  return html`<${Header} title=${you?.name || entry.seat} subtitle=${entry.name} connection=${state}>
      <${RoundPhase} view=${view} />
    </${Header}>
    <${OfflineBanner} state=${state} />
    ${isPaused(state) && !ended ? html`<p class="banner warn" role="status" data-paused="1">${t("board.paused")}</p>` : null}
    <main class=${`page board section-${section}`} data-phase=${view.phase}>
      <div class="board-top">
        <${Countdown} view=${view} clockOffset=${state.clockOffset} />
        <${Ripeness} view=${view} />
        ${ended ? html`<a class="button primary" href=${`/game/${game}/debrief`}>${t("board.debrief")}</a>` : null}
      </div>
      <${Status} ...${props} />
      <nav class="section-tabs" aria-label=${t("board.sections")}>
        ${SECTIONS.map((name) => html`<button type="button" class=${name === section ? "current" : ""} aria-pressed=${name === section}
            data-section=${name} onClick=${() => setSection(name)}>${t(`board.section.${name}`)}${badge(name)}</button>`)}
      </nav>
      <div class="board-grid">
        <div class="board-col col-table" data-col="table">
          ${view.phase === "vote" ? html`<${Vote} ...${props} />` : null}
          <${VoteResult} view=${view} />
          <${Draft} view=${view} />
          <${Blocs} view=${view} />
        </div>
        <div class="board-col col-talk" data-col="talk"><${Messages} ...${props} onRead=${() => markedRead((n) => n + 1)} /></div>
        <div class="board-col col-deals" data-col="deals"><${Offers} ...${props} /><${Alliances} ...${props} /></div>
        <div class="board-col col-orders" data-col="orders"><${Orders} ...${props} /></div>
        <div class="board-col col-role" data-col="role"><${Role} ...${props} /></div>
        <div class="board-col col-feed" data-col="feed"><div class="card"><${Feed} state=${state} you=${state.seat} limit=${150} /></div></div>
      </div>
    </main>`;
}
