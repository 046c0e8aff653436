// Start: "Run a game" (scenario, clock, seed), the games this browser created, and joining with a code.
import { html, useEffect, useState } from "../html.js";
import { t } from "../i18n.js";
import { createGame, getScenarios, getServer } from "../api.js";
import { facilitatedGames, rememberFacilitatedGame, forgetFacilitatedGame, operatorToken, rememberOperator } from "../tokens.js";
import { Header, Loading, formatDuration } from "../ui.js";
import { navigate } from "../router.js";
import { joinOrigin } from "../qr.js";

// The server's clocks (docs/protocol.md), for a scenario that suggests none of its own.
export const DEFAULT_CLOCKS = {
  classroom: { negotiate: 240, act: 120, vote: 60 },
  distance: { negotiate: 86400, act: 43200, vote: 21600 },
  bots: {},
};
const PHASES = ["negotiate", "act", "vote"];

function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0] % 100000;
}

function suggestedMinutes(scenario, durations) {
  if (scenario.minutes) return scenario.minutes;
  const perRound = PHASES.reduce((sum, p) => sum + (durations[p] || 0), 0);
  return perRound ? Math.round((perRound * scenario.rounds) / 60) : null;
}

export function StartScreen() {
  const [scenarios, setScenarios] = useState(null);
  const [problem, setProblem] = useState("");
  const [operatorRequired, setOperatorRequired] = useState(false);
  useEffect(() => {
    getScenarios().then((answer) => (answer.ok ? setScenarios(answer.body) : setProblem(t("start.no_scenarios"))));
    getServer().then((answer) => setOperatorRequired(Boolean(answer.ok && answer.body?.operator_required)));
  }, []);
  return html`<${Header} />
    <main class="page start">
      <section class="hero">
        <h1>${t("start.title")}</h1>
        <p class="lead">${t("start.lead")}</p>
      </section>
      <div class="start-grid">
        <section class="card run" aria-labelledby="run-title">
          <h2 id="run-title">${t("start.run")}</h2>
          ${problem ? html`<p class="refusal" role="alert">${problem}</p>` : null}
          ${scenarios ? html`<${RunForm} scenarios=${scenarios} operatorRequired=${operatorRequired} />` : problem ? null : html`<${Loading} />`}
        </section>
        <aside class="side">
          <${JoinBox} />
          <${MyGames} />
          <section class="card">
            <h2>${t("start.materials")}</h2>
            <p><a href="/rules">${t("start.rules_handout")}</a></p>
          </section>
        </aside>
      </div>
    </main>`;
}

function RunForm({ scenarios, operatorRequired }) {
  const [scenarioId, setScenarioId] = useState(scenarios.find((s) => s.id === "classroom-quick")?.id || scenarios[0]?.id);
  const [clock, setClock] = useState("classroom");
  const [seed, setSeed] = useState(randomSeed());
  const [durations, setDurations] = useState(null);
  // Asked for only when the server wants one and this browser has none (or a wrong one).
  const [operator, setOperator] = useState(operatorToken());
  const [askOperator, setAskOperator] = useState(operatorRequired && !operatorToken());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState("");
  const [created, setCreated] = useState(null);
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const clocks = { ...DEFAULT_CLOCKS, ...(scenario?.clocks || {}) };
  const shown = durations || clocks[clock] || {};

  useEffect(() => setDurations(null), [scenarioId, clock]);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setProblem("");
    const request = { scenario: scenarioId, seed: Number(seed) || 1, clock };
    if (durations) request.deadlines = durations;
    const answer = await createGame(request, operator.trim() || undefined);
    setBusy(false);
    if (!answer.ok) {
      const refused = answer.body?.error === "operator_required";
      if (refused) {
        rememberOperator("");
        setAskOperator(true);
      }
      setProblem(refused ? t(operator ? "start.operator_wrong" : "start.operator_needed") : answer.body?.message || t("start.create_failed"));
      return;
    }
    if (operator.trim()) rememberOperator(operator.trim());
    const made = answer.body;
    const entry = {
      game: made.game,
      token: made.facilitator_token,
      spectator: made.spectator_token,
      codes: made.join_codes,
      scenario: scenarioId,
      title: scenario.title,
      seats: scenario.seats.map(({ id, name, kind }) => ({ id, name, kind })),
      clock,
      seed: request.seed,
      created: Date.now(),
      locked: false,
    };
    rememberFacilitatedGame(entry);
    setCreated(entry);
  }

  if (created) {
    const link = `${joinOrigin()}/game/${created.game}#token=${created.token}&spectator=${created.spectator}`;
    return html`<div class="created" role="status">
      <h3>${t("start.created", { title: created.title })}</h3>
      <p>${t("start.bookmark")}</p>
      <p class="secret-link"><a href=${link} data-bookmark="1">${link}</a></p>
      <p class="muted">${t("start.bookmark_note")}</p>
      <div class="actions">
        <button type="button" class="primary" onClick=${() => navigate(`/game/${created.game}`)}>${t("start.open_lobby")}</button>
      </div>
    </div>`;
  }

  return html`<form class="run-form" onSubmit=${submit}>
    <fieldset class="scenarios">
      <legend>${t("start.scenario")}</legend>
      ${scenarios.map((s) => {
        const minutes = suggestedMinutes(s, { ...DEFAULT_CLOCKS, ...(s.clocks || {}) }.classroom || {});
        return html`<label class=${`scenario-option ${s.id === scenarioId ? "chosen" : ""}`}>
          <input type="radio" name="scenario" value=${s.id} checked=${s.id === scenarioId} onChange=${() => setScenarioId(s.id)} />
          <span class="scenario-body">
            <strong class="scenario-title">${s.title}</strong>
            ${s.period ? html`<span class="muted"> · ${s.period}</span>` : null}
            <span class="scenario-summary">${s.summary}</span>
            <span class="scenario-facts">
              <span>${t("start.seats", { count: s.seats.length })}</span>
              <span>${t("start.rounds", { count: s.rounds })}</span>
              <span>${t(`rule.${s.decision_rule}`)}</span>
              ${minutes ? html`<span>${t("start.minutes", { count: minutes })}</span>` : null}
            </span>
          </span>
        </label>`;
      })}
    </fieldset>
    <fieldset class="clock">
      <legend>${t("start.clock")}</legend>
      <div class="segmented" role="radiogroup">
        ${Object.keys(clocks).map(
          (name) => html`<label class=${name === clock ? "chosen" : ""}>
            <input type="radio" name="clock" value=${name} checked=${name === clock} onChange=${() => setClock(name)} />
            <span>${t(`clock.${name}`)}</span>
          </label>`,
        )}
      </div>
      <p class="muted">${t(`clock.${clock}.about`)}</p>
      ${clock !== "bots"
        ? html`<div class="durations">
            ${PHASES.map(
              (phase) => html`<label>
                <span>${t(`phase.${phase}`)}</span>
                <input type="number" min="10" step="10" inputmode="numeric" value=${shown[phase] ?? ""}
                  onInput=${(e) => setDurations({ ...shown, [phase]: Number(e.currentTarget.value) || shown[phase] })} />
                <span class="muted">${t("start.seconds_is", { duration: formatDuration(shown[phase]) })}</span>
              </label>`,
            )}
          </div>`
        : null}
    </fieldset>
    <div class="row">
      <label class="seed">
        <span>${t("start.seed")}</span>
        <input type="number" min="0" value=${seed} onInput=${(e) => setSeed(e.currentTarget.value)} />
      </label>
      <p class="muted">${t("start.seed_about")}</p>
    </div>
    ${askOperator || (operatorRequired && !operatorToken())
      ? html`<label class="field operator"><span>${t("start.operator")}</span>
          <input type="password" name="operator" autocomplete="off" value=${operator} onInput=${(e) => setOperator(e.currentTarget.value)} />
          <span class="hint">${t("start.operator_hint")}</span></label>`
      : null}
    ${problem ? html`<p class="refusal" role="alert">${problem}</p>` : null}
    <div class="actions">
      <button type="submit" class="primary big" disabled=${busy}>${busy ? t("common.working") : t("start.create")}</button>
    </div>
  </form>`;
}

function JoinBox() {
  const [code, setCode] = useState("");
  return html`<section class="card join-box">
    <h2>${t("start.join")}</h2>
    <form onSubmit=${(e) => { e.preventDefault(); navigate(`/join/${encodeURIComponent(code.trim().toUpperCase())}`); }}>
      <label class="field">
        <span>${t("join.code")}</span>
        <input class="code-input" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="12"
          value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
      </label>
      <button type="submit" disabled=${!code.trim()}>${t("start.join_button")}</button>
    </form>
  </section>`;
}

function MyGames() {
  const [games, setGames] = useState(facilitatedGames());
  if (games.length === 0) return null;
  return html`<section class="card my-games">
    <h2>${t("start.my_games")}</h2>
    <ul class="plain">
      ${games.slice(0, 12).map(
        (g) => html`<li>
          <a href=${`/game/${g.game}`}>${g.title || g.scenario}</a>
          <span class="muted"> · ${new Date(g.created).toLocaleString()}</span>
          <button type="button" class="link small" aria-label=${t("start.forget_game", { title: g.title || g.game })}
            onClick=${() => { forgetFacilitatedGame(g.game); setGames(facilitatedGames()); }}>${t("start.forget")}</button>
        </li>`,
      )}
    </ul>
  </section>`;
}

