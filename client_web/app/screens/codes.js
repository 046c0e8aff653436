// The join codes on the projector: every seat's code and QR code, big enough for the back row.
import { html, useEffect, useState } from "../html.js";
import { t } from "../i18n.js";
import { getGame } from "../api.js";
import { facilitatedGame } from "../tokens.js";
import { kindName } from "../describe.js";
import { QrCode, joinLink, joinOrigin } from "../qr.js";
import { LanguageSwitch, Loading } from "../ui.js";

export function CodesScreen({ game }) {
  const entry = facilitatedGame(game);
  const [info, setInfo] = useState(undefined);
  useEffect(() => {
    if (!entry) return;
    getGame(game, entry.token).then((answer) => setInfo(answer.ok ? answer.body : null));
  }, [game]);
  if (!entry) return html`<main class="page narrow"><h1>${t("facilitator.no_token")}</h1></main>`;
  if (info === undefined) return html`<main class="codes-screen"><${Loading} /></main>`;
  const seats = info?.seats || (entry.seats || Object.keys(entry.codes || {}).map((id) => ({ id, name: id })));
  const codeOf = (seat) => seat.code || entry.codes?.[seat.id] || "";
  return html`<main class="codes-screen">
    <header class="codes-head">
      <h1>${t("codes.title", { title: info?.title || entry.title || "" })}</h1>
      <p class="codes-how">${t("codes.how", { host: joinOrigin().replace(/^https?:\/\//, "") })}</p>
      <div class="projector-tools"><${LanguageSwitch} /></div>
    </header>
    ${info?.codes_locked ?? entry.locked ? html`<p class="banner warn">${t("lobby.locked_note")}</p>` : null}
    <ul class="codes-grid">
      ${seats.map((seat) => html`<li class="code-tile" data-seat=${seat.id}>
        <${QrCode} text=${joinLink(codeOf(seat))} size=${200} label=${t("lobby.qr_for", { seat: seat.name })} />
        <div>
          <h2>${seat.name}</h2>
          ${seat.kind ? html`<p class="muted">${kindName(seat.kind)}</p>` : null}
          <p class="code huge">${codeOf(seat)}</p>
        </div>
      </li>`)}
    </ul>
  </main>`;
}
