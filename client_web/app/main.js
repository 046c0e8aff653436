// Boot: pick the language, then draw the screen the path names. Each screen is its own module.
import { html, render, useEffect } from "./html.js";
import { pickLanguage, setLanguage, useLanguage, t } from "./i18n.js";
import { interceptLinks, route, usePath } from "./router.js";
import { StartScreen } from "./screens/start.js";
import { JoinScreen } from "./screens/join.js";
import { FacilitatorScreen } from "./screens/facilitator.js";
import { CodesScreen } from "./screens/codes.js";
import { ProjectorScreen } from "./screens/projector.js";
import { BoardScreen } from "./screens/board.js";
import { DebriefScreen } from "./screens/debrief.js";
import { PrintScreen } from "./screens/print.js";
import { Header } from "./ui.js";
import { getServer } from "./api.js";
import { setPublicOrigin } from "./qr.js";
import { takeOperatorFromAddress } from "./tokens.js";

const SCREENS = {
  start: StartScreen,
  join: JoinScreen,
  facilitator: FacilitatorScreen,
  codes: CodesScreen,
  projector: ProjectorScreen,
  board: BoardScreen,
  debrief: DebriefScreen,
  print: PrintScreen,
};

function Missing() {
  return html`<${Header} /><main class="page narrow"><h1>${t("missing.title")}</h1><p><a href="/">${t("missing.home")}</a></p></main>`;
}

function App() {
  useLanguage();
  const path = usePath();
  const where = route(path);
  useEffect(() => {
    document.body.dataset.screen = where.screen;
  }, [where.screen]);
  const Screen = SCREENS[where.screen] || Missing;
  return html`<${Screen} key=${path} ...${where} />`;
}

// Printing shows what folded sections hold (the numbers under charts, a provision's history).
window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details")) details.open = true;
});

// The operator's link pasted into a tab already open changes only the fragment: take the
// token and start the page again with it.
window.addEventListener("hashchange", () => {
  if (takeOperatorFromAddress()) location.reload();
});

async function boot() {
  takeOperatorFromAddress();
  const [server] = await Promise.all([getServer(), setLanguage(pickLanguage(), false)]);
  if (server.ok && server.body?.public_url) setPublicOrigin(server.body.public_url);
  const root = document.getElementById("app");
  root.textContent = "";
  interceptLinks(document.body);
  render(html`<${App} />`, root);
}

boot();
