// Projector mode: large type, public state only. It connects with the spectator's token, so
// the server sends nothing secret; it never falls back to the facilitator's token.
import { html, useMemo } from "../html.js";
import { t } from "../i18n.js";
import { connect } from "../connection.js";
import { useStore } from "../store.js";
import { facilitatedGame } from "../tokens.js";
import { eventText, seatName } from "../describe.js";
import { Countdown, Loading, OfflineBanner, RoundPhase, LanguageSwitch } from "../ui.js";
import { Blocs, Draft, Ripeness, VoteResult } from "../board/draft.js";
import { isPaused, messages } from "../facts.js";

export function ProjectorScreen({ game }) {
  const entry = facilitatedGame(game);
  const token = entry?.spectator;
  if (!token) {
    return html`<main class="page narrow"><h1>${t("projector.no_token")}</h1><p>${t("projector.no_token_about")}</p></main>`;
  }
  return html`<${Projecting} game=${game} token=${token} />`;
}

function Projecting({ game, token }) {
  const connection = useMemo(() => connect({ game, token, persist: false }), [game, token]);
  const state = useStore(connection.store);
  const view = state.view;
  if (!view) return html`<main class="projector"><${Loading} /></main>`;
  const said = messages(state).filter((m) => m.to === "public").slice(-5).reverse();
  const recent = state.events.filter((e) => !e.audience?.length && e.kind !== "message" && e.kind !== "seat_done").slice(-5).reverse();
  return html`<main class="projector" data-viewer=${view.viewer}>
    <${OfflineBanner} state=${state} />
    ${isPaused(state) && view.phase !== "ended" ? html`<p class="banner warn" role="status" data-paused="1">${t("board.paused")}</p>` : null}
    <header class="projector-head">
      <div>
        <h1>${view.title}</h1>
        <${RoundPhase} view=${view} />
      </div>
      <${Ripeness} view=${view} />
      <${Countdown} view=${view} clockOffset=${state.clockOffset} large=${true} />
      <div class="projector-tools"><${LanguageSwitch} /></div>
    </header>
    <div class="projector-grid">
      <div class="col">
        ${view.phase === "ended"
          ? html`<section class="card over" data-outcome=${view.outcome}><h2>${t("projector.over")}</h2>
              <p class="verdict">${t(`outcome.${view.outcome}`)}</p><p>${t("projector.debrief_next")}</p></section>`
          : null}
        <${Draft} view=${view} showHistory=${false} />
        <${VoteResult} view=${view} />
      </div>
      <div class="col">
        <${Blocs} view=${view} />
        ${view.alliances?.length
          ? html`<section class="card"><h2>${t("alliances.title")}</h2><ul class="plain alliances-public">
              ${view.alliances.map((a) => html`<li><strong>${a.name}</strong>: ${a.members.map((s) => seatName(view, s)).join(", ")}</li>`)}
            </ul></section>`
          : null}
      </div>
      <div class="col">
        <section class="card public-messages" aria-labelledby="public-title">
          <h2 id="public-title">${t("projector.public_messages")}</h2>
          ${said.length
            ? html`<ol class="messages">${said.map((m) => html`<li class="message"><span class="from">${m.by ? t("messages.seat_player", { seat: seatName(view, m.sender), name: m.by }) : seatName(view, m.sender)}</span><p class="text">${m.text}</p></li>`)}</ol>`
            : html`<p class="empty">${t("projector.no_messages")}</p>`}
        </section>
        ${recent.length
          ? html`<section class="card"><h2>${t("projector.recent")}</h2>
              <ul class="plain events">${recent.map((e) => html`<li>${eventText(view, e)}</li>`)}</ul></section>`
          : null}
      </div>
    </div>
  </main>`;
}
