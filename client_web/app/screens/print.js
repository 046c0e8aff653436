// Printable pages: a role sheet per seat, the rules handout for students, the facilitator's
// brief. Print is CSS (css/print.css): A4 and Letter both fit; each role sheet on its own page.
import { html, useEffect, useState } from "../html.js";
import { t } from "../i18n.js";
import { getGame, getMaterials } from "../api.js";
import { facilitatedGame } from "../tokens.js";
import { kindName, reflow } from "../describe.js";
import { Header, Loading } from "../ui.js";
import { QrCode, joinLink, joinOrigin } from "../qr.js";

export const RULES_SECTIONS = ["game", "seats", "resources", "staff", "round", "messages", "offers", "alliances", "orders", "vote", "scores"];

export function PrintScreen({ game, part }) {
  return html`<${Header} title=${t(`print.${part}`)}>
      <button type="button" class="primary small" onClick=${() => window.print()}>${t("common.print")}</button>
    </${Header}>
    <main class=${`page print-page print-${part}`}>
      ${part === "rules" ? html`<${Rules} />` : html`<${Materials} game=${game} part=${part} />`}
    </main>`;
}

function Rules() {
  return html`<article class="handout rules-handout">
    <h1>${t("rules.title")}</h1>
    <p class="lead">${t("rules.lead")}</p>
    ${RULES_SECTIONS.map((s) => html`<section class="rules-section" data-section=${s}>
      <h2>${t(`rules.${s}.title`)}</h2>
      <p>${t(`rules.${s}.body`)}</p>
    </section>`)}
  </article>`;
}

function Materials({ game, part }) {
  const entry = facilitatedGame(game);
  const [materials, setMaterials] = useState(undefined);
  const [codes, setCodes] = useState(entry?.codes || {});
  useEffect(() => {
    if (!entry) return;
    getMaterials(game, entry.token).then((answer) => setMaterials(answer.ok ? answer.body : null));
    // The codes as they are now (a code re-issued since the game was made prints its new value).
    getGame(game, entry.token).then((answer) => {
      if (answer.ok) setCodes(Object.fromEntries(answer.body.seats.map((s) => [s.id, s.code])));
    });
  }, [game]);
  if (!entry) return html`<p>${t("facilitator.no_token")}</p>`;
  if (materials === undefined) return html`<${Loading} />`;
  if (!materials) return html`<p class="banner warn">${t("print.failed")}</p>`;
  if (part === "brief") {
    return html`<article class="handout brief"><h1>${t("print.brief")}</h1><p class="preformatted">${reflow(materials.brief)}</p>
      ${materials.discussion_questions?.length ? html`<h2>${t("debrief.questions")}</h2><ol>${materials.discussion_questions.map((q) => html`<li>${q}</li>`)}</ol>` : null}
    </article>`;
  }
  return html`<div class="role-sheets">
    ${materials.seats.map((seat) => html`<article class="handout role-sheet-page" data-seat=${seat.id}>
      <header class="sheet-head"><p class="muted">${materials.title || entry.title || ""}</p><h1>${seat.name}</h1><p>${kindName(seat.kind)}</p></header>
      <p class="preformatted">${reflow(seat.role_sheet)}</p>
      ${seat.objectives?.goals?.length ? html`<h2>${t("role.goals")}</h2><ul>${seat.objectives.goals.map((g) => html`<li>${g.text}</li>`)}</ul>` : null}
      ${codes[seat.id]
        ? html`<div class="sheet-code"><${QrCode} text=${joinLink(codes[seat.id])} size=${96} label=${t("lobby.qr_for", { seat: seat.name })} />
            <p>${t("print.your_code", { code: codes[seat.id], host: joinOrigin().replace(/^https?:\/\//, "") })}</p></div>`
        : null}
    </article>`)}
  </div>`;
}
