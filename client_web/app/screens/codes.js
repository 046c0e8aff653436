// The join codes on the projector: every seat's code and QR code, big enough for the back row.
// Seat names come from the game itself (the facilitator's connection), codes from the game
// endpoint (v2) or from what this browser kept when it created the game.
import { html, useEffect, useMemo, useState } from "../html.js";
import { t } from "../i18n.js";
import { getGame } from "../api.js";
import { connect } from "../connection.js";
import { useStore } from "../store.js";
import { facilitatedGame } from "../tokens.js";
import { kindName } from "../describe.js";
import { QrCode, joinLink, joinOrigin } from "../qr.js";
import { LanguageSwitch, Loading } from "../ui.js";

export function CodesScreen({ game }) {
  const entry = facilitatedGame(game);
  if (!entry) return html`<main class="page narrow"><h1>${t("facilitator.no_token")}</h1></main>`;
  return html`<${Codes} game=${game} entry=${entry} />`;
}

function Codes({ game, entry }) {
  const connection = useMemo(() => connect({ game, token: entry.token }), [game, entry.token]);
  const state = useStore(connection.store);
  const [info, setInfo] = useState(undefined);
  useEffect(() => {
    getGame(game, entry.token).then((answer) => setInfo(answer.ok ? answer.body : null));
  }, [game]);
  const view = state.view;
  if (info === undefined || (!view && !info)) return html`<main class="codes-screen"><${Loading} /></main>`;
  const fromGame = new Map((info?.seats || []).map((s) => [s.id, s]));
  const seats = view?.seats || info?.seats || entry.seats || [];
  const codeOf = (seat) => fromGame.get(seat.id)?.code || entry.codes?.[seat.id] || "";
  const locked = info?.codes_locked ?? entry.locked;
  const many = seats.length > 9; // fourteen seats still fit one projected screen
  return html`<main class="codes-screen">
    <header class="codes-head">
      <h1>${t("codes.title", { title: info?.title || view?.title || entry.title || "" })}</h1>
      <p class="codes-how">${t("codes.how", { host: joinOrigin().replace(/^https?:\/\//, "") })}</p>
      <div class="projector-tools"><${LanguageSwitch} /></div>
    </header>
    ${locked ? html`<p class="banner warn">${t("lobby.locked_note")}</p>` : null}
    <ul class=${`codes-grid ${many ? "many" : ""}`}>
      ${seats.filter((seat) => codeOf(seat)).map((seat) => html`<li class="code-tile" data-seat=${seat.id}>
        <${QrCode} text=${joinLink(codeOf(seat))} size=${many ? 140 : 200} label=${t("lobby.qr_for", { seat: seat.name })} />
        <div>
          <h2>${seat.name}</h2>
          ${seat.kind ? html`<p class="muted">${kindName(seat.kind)}</p>` : null}
          <p class="code huge">${codeOf(seat)}</p>
        </div>
      </li>`)}
    </ul>
  </main>`;
}
