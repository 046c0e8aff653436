// The facilitator's screen: the lobby before the game starts, the console during play, the
// channels (read-only) and the feed. The facilitator's token comes from this browser's
// storage, or from the bookmarked link (#token=...).
import { html, useEffect, useMemo, useState } from "../html.js";
import { t } from "../i18n.js";
import { getGame } from "../api.js";
import { connect } from "../connection.js";
import { useStore } from "../store.js";
import { facilitatedGame, rememberFacilitatedGame, updateFacilitatedGame } from "../tokens.js";
import { Countdown, Header, Loading, OfflineBanner, RoundPhase } from "../ui.js";
import { navigate } from "../router.js";
import { seatRows } from "../facts.js";
import { Lobby } from "./lobby.js";
import { Console } from "./console.js";
import { Channels, Feed } from "./channels.js";

const GAME_REFRESH_MS = 4000;

/** The facilitator's entry for a game, taking a token from the link's fragment when there is one. */
export function useFacilitatorEntry(game) {
  return useMemo(() => {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const token = fragment.get("token");
    if (token) {
      const known = facilitatedGame(game);
      const spectator = fragment.get("spectator") || (known?.token === token ? known.spectator : "");
      rememberFacilitatedGame({ ...(known || {}), game, token, spectator, created: known?.created || Date.now() });
      history.replaceState(null, "", location.pathname + location.search);
    }
    return facilitatedGame(game);
  }, [game]);
}

/** The game endpoint's answer (codes, whether joining is locked), refreshed every few
 * seconds and at once after a control that changes it (`reload`). */
function useGameInfo(game, token) {
  const [info, setInfo] = useState(undefined);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer;
    async function load() {
      const answer = await getGame(game, token);
      if (stopped) return;
      if (answer.ok) setInfo(answer.body);
      timer = setTimeout(load, GAME_REFRESH_MS);
    }
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [game, token, asked]);
  return [info, () => setAsked((n) => n + 1)];
}

export function FacilitatorScreen({ game, tab }) {
  const entry = useFacilitatorEntry(game);
  if (!entry) return html`<${NoToken} game=${game} />`;
  return html`<${Facilitating} game=${game} entry=${entry} tab=${tab} />`;
}

function Facilitating({ game, entry, tab }) {
  const connection = useMemo(() => connect({ game, token: entry.token }), [game, entry.token]);
  const state = useStore(connection.store);
  const [info, reload] = useGameInfo(game, entry.token);
  const [local, setLocal] = useState(entry);
  const view = state.view;
  const remember = (changes) => {
    updateFacilitatedGame(game, changes);
    setLocal((old) => ({ ...old, ...changes }));
  };
  useEffect(() => {
    // What this browser keeps about the game follows the server (the start page lists it).
    if (info && (info.title !== local.title || info.scenario !== local.scenario)) remember({ title: info.title, scenario: info.scenario });
  }, [info?.title]);
  const rows = seatRows(view, info, local);
  const locked = info?.codes_locked ?? local.locked ?? false;
  const current = tab || (view && view.phase !== "lobby" ? "console" : "lobby");
  const tabs = ["lobby", "console", "channels", "feed"];
  const title = view?.title || local.title || game;

  if (state.fatal) {
    return html`<${Header} title=${title} /><main class="page narrow"><${OfflineBanner} state=${state} /><p><a href="/">${t("missing.home")}</a></p></main>`;
  }
  return html`<${Header} title=${title} subtitle=${t("facilitator.role")} connection=${state}>
      ${view ? html`<${RoundPhase} view=${view} />` : null}
    </${Header}>
    <${OfflineBanner} state=${state} />
    <main class="page facilitator">
      ${!view
        ? html`<${Loading} />`
        : html`
          <div class="facilitator-top">
            <nav class="tabs" aria-label=${t("facilitator.sections")}>
              ${tabs.map(
                (name) => html`<a href=${`/game/${game}/${name}`} class=${name === current ? "current" : ""}
                  aria-current=${name === current ? "page" : undefined}>${t(`facilitator.tab.${name}`)}</a>`,
              )}
            </nav>
            <${Countdown} view=${view} clockOffset=${state.clockOffset} />
            <div class="screen-links">
              <a href=${`/game/${game}/projector`} target="_blank" rel="noopener">${t("facilitator.open_projector")}</a>
              <a href=${`/game/${game}/codes`} target="_blank" rel="noopener">${t("facilitator.open_codes")}</a>
              <a href=${`/game/${game}/debrief`}>${t("facilitator.open_debrief")}</a>
            </div>
          </div>
          ${current === "lobby" ? html`<${Lobby} game=${game} state=${state} rows=${rows} locked=${locked} connection=${connection} reload=${reload} hasGameInfo=${Boolean(info)} />` : null}
          ${current === "console" ? html`<${Console} game=${game} state=${state} rows=${rows} connection=${connection} reload=${reload} local=${local} token=${entry.token} />` : null}
          ${current === "channels" ? html`<${Channels} state=${state} />` : null}
          ${current === "feed" ? html`<${Feed} state=${state} />` : null}
        `}
    </main>`;
}

function NoToken({ game }) {
  const [link, setLink] = useState("");
  function submit(event) {
    event.preventDefault();
    const fragment = new URLSearchParams(link.split("#")[1] || "");
    const token = fragment.get("token") || link.trim();
    if (!token) return;
    rememberFacilitatedGame({ game, token, spectator: fragment.get("spectator") || "", created: Date.now() });
    navigate(`/game/${game}`, true);
    location.reload();
  }
  return html`<${Header} />
    <main class="page narrow">
      <h1>${t("facilitator.no_token")}</h1>
      <p>${t("facilitator.no_token_about")}</p>
      <form class="card" onSubmit=${submit}>
        <label class="field"><span>${t("facilitator.paste_link")}</span>
          <input value=${link} onInput=${(e) => setLink(e.currentTarget.value)} autocomplete="off" /></label>
        <button type="submit" class="primary">${t("facilitator.use_link")}</button>
      </form>
      <p>${t("facilitator.playing_instead")} <a href=${`/play/${game}`}>${t("facilitator.open_board")}</a></p>
    </main>`;
}
