// The join codes on the projector: every seat's code and QR code, big enough for the back row.
// Seats and codes come from the facilitator's game endpoint, asked again every few seconds so
// a re-issued code or a lock shows without a reload.
import { html, useEffect, useState } from "../html.js";
import { t } from "../i18n.js";
import { getGame } from "../api.js";
import { facilitatedGame } from "../tokens.js";
import { kindName } from "../describe.js";
import { QrCode, joinLink, joinOrigin } from "../qr.js";
import { LanguageSwitch, Loading } from "../ui.js";

const REFRESH_MS = 5000;

export function CodesScreen({ game }) {
  const entry = facilitatedGame(game);
  if (!entry) return html`<main class="page narrow"><h1>${t("facilitator.no_token")}</h1></main>`;
  return html`<${Codes} game=${game} entry=${entry} />`;
}

function Codes({ game, entry }) {
  const [info, setInfo] = useState(undefined);
  useEffect(() => {
    let timer;
    let stopped = false;
    async function load() {
      const answer = await getGame(game, entry.token);
      if (stopped) return;
      setInfo((old) => (answer.ok ? answer.body : old || null));
      timer = setTimeout(load, REFRESH_MS);
    }
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [game]);
  if (info === undefined) return html`<main class="codes-screen"><${Loading} /></main>`;
  const seats = info?.seats || entry.seats || [];
  const codeOf = (seat) => seat.code || entry.codes?.[seat.id] || "";
  const locked = info?.codes_locked ?? entry.locked;
  const many = seats.length > 9; // fourteen seats still fit one projected screen
  return html`<main class="codes-screen">
    <header class="codes-head">
      <h1>${t("codes.title", { title: info?.title || entry.title || "" })}</h1>
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
          ${seat.players?.length
            ? html`<p class="joined">${seat.players.map((p) => p.name).join(", ")}</p>`
            : seat.bot ? html`<p class="joined muted">${t("codes.bot_plays", { strategy: t(`strategy.${seat.bot}`) })}</p>` : null}
        </div>
      </li>`)}
    </ul>
  </main>`;
}
