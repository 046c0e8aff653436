// Pieces every screen shares: the header (with the language switch and the connection's
// state), the countdown, confirmed buttons, the refusal line.
import { html, useEffect, useState, useRef } from "./html.js";
import { t, has, LANGUAGES, language, setLanguage, formatNumber } from "./i18n.js";

export function Header({ title, subtitle, children, connection }) {
  return html`<header class="topbar">
    <a class="brand" href="/" aria-label=${t("app.home")}><span class="brand-mark" aria-hidden="true">◆</span><span class="brand-text"> ${t("app.name")}</span></a>
    ${title ? html`<div class="topbar-title"><strong>${title}</strong>${subtitle ? html` <span class="muted">${subtitle}</span>` : null}</div>` : html`<div class="topbar-title"></div>`}
    <div class="topbar-tools">
      ${children}
      ${connection ? html`<${ConnectionBadge} state=${connection} />` : null}
      <${LanguageSwitch} />
    </div>
  </header>`;
}

export function LanguageSwitch() {
  return html`<label class="language">
    <span class="visually-hidden">${t("app.language")}</span>
    <select value=${language()} onChange=${(e) => setLanguage(e.currentTarget.value)}>
      ${Object.entries(LANGUAGES).map(([code, name]) => html`<option value=${code} lang=${code}>${name}</option>`)}
    </select>
  </label>`;
}

export function ConnectionBadge({ state }) {
  const { connection, retryAt, serverStatus, pending } = state;
  const [, tick] = useState(0);
  useEffect(() => {
    if (connection !== "offline") return undefined;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [connection]);
  let label = t(`connection.${connection}`);
  if (connection === "offline" && retryAt) {
    label = t("connection.retrying", { seconds: Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) });
  }
  if (connection === "live" && serverStatus === "degraded") label = t("connection.degraded");
  const cls = connection === "live" && serverStatus !== "degraded" ? "ok" : connection === "closed" ? "bad" : "warn";
  return html`<span class=${`badge connection ${cls}`} role="status" data-connection=${connection} data-wire=${state.wire}>
    <span class="dot" aria-hidden="true"></span>${label}${pending ? html` · ${t("connection.pending", { count: pending })}` : null}
  </span>`;
}

/** A banner across the page while the connection is down or the server is degraded. */
export function OfflineBanner({ state }) {
  if (state.fatal) {
    const known = has(`fatal.${state.fatal.code}`);
    return html`<div class="banner bad" role="alert" data-fatal=${state.fatal.code}>${known ? t(`fatal.${state.fatal.code}`) : state.fatal.message}</div>`;
  }
  if (state.connection === "offline") {
    return html`<div class="banner warn" role="status" data-offline="1">${t("connection.offline_banner")}</div>`;
  }
  if (state.serverStatus === "degraded") {
    // The catalogue's sentence, in the reader's language (the server's own is in English only).
    return html`<div class="banner warn" role="status" data-degraded="1" title=${state.serverMessage}>${t("connection.degraded_banner")}</div>`;
  }
  return null;
}

/** Seconds left in the phase, from the view's clock (null when the phase has no deadline). */
export function secondsLeft(view, clockOffset) {
  const clock = view?.clock;
  if (!clock) return null;
  if (clock.paused || clock.deadline == null) return clock.remaining ?? null;
  return Math.max(0, clock.deadline - (Date.now() / 1000 + (clockOffset || 0)));
}

export function formatDuration(seconds) {
  if (seconds == null) return "–";
  const s = Math.ceil(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (days) return t("time.days_hours", { days, hours });
  if (hours) return t("time.hours_minutes", { hours, minutes: String(minutes).padStart(2, "0") });
  return `${minutes}:${String(rest).padStart(2, "0")}`;
}

export function Countdown({ view, clockOffset, large }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, []);
  if (!view?.clock || view.phase === "lobby" || view.phase === "ended") return null;
  const left = secondsLeft(view, clockOffset);
  if (left == null && !view.clock.paused) return null; // the bots clock: a phase ends when every seat is done
  const paused = view?.clock?.paused || view?.paused;
  const urgent = left != null && left <= 30 && !paused;
  return html`<div class=${`countdown ${large ? "large" : ""} ${urgent ? "urgent" : ""}`} data-countdown=${left == null ? "" : Math.ceil(left)}>
    <span class="countdown-label">${paused ? t("clock.paused") : t("clock.left")}</span>
    <span class="countdown-value" aria-live="off">${left == null ? t("clock.none") : formatDuration(left)}</span>
  </div>`;
}

export function RoundPhase({ view }) {
  if (!view) return null;
  return html`<div class="roundphase">
    ${view.round ? html`<span class="round">${t("round.of", { round: view.round, rounds: view.rounds })}</span>` : null}
    <span class=${`phase-chip phase-${view.phase}`}>${t(`phase.${view.phase}`)}</span>
  </div>`;
}

/** A button that asks "are you sure?" in the page before doing something that cannot be undone. */
export function ConfirmButton({ label, question, onConfirm, cls = "", disabled }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef(null);
  useEffect(() => {
    if (asking && yes.current) yes.current.focus();
  }, [asking]);
  if (!asking) {
    return html`<button type="button" class=${cls} disabled=${disabled} onClick=${() => setAsking(true)}>${label}</button>`;
  }
  return html`<span class="confirm" role="group" aria-label=${question}>
    <span class="confirm-question">${question}</span>
    <button type="button" class="danger" ref=${yes} onClick=${() => { setAsking(false); onConfirm(); }}>${t("common.yes_do_it")}</button>
    <button type="button" onClick=${() => setAsking(false)}>${t("common.cancel")}</button>
  </span>`;
}

export function Refusal({ state, source }) {
  const refusal = state.refusals?.[source];
  if (!refusal) return null;
  const text = refusal.message || t(`refusal.${refusal.code}`);
  return html`<p class="refusal" role="alert" data-refusal=${refusal.code}>${text}</p>`;
}

export function Band({ value, kind = "band" }) {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") {
    return html`<span class="meter" title=${formatNumber(value)}>
      <span class="meter-bar"><span class="meter-fill" style=${{ inlineSize: `${Math.max(0, Math.min(100, value))}%` }}></span></span>
      <span class="meter-value">${formatNumber(value, 0)}</span>
    </span>`;
  }
  return html`<span class=${`band-chip ${kind}-${value}`}>${t(`band.${value}`)}</span>`;
}

export function Loading({ text }) {
  return html`<div class="loading" role="status"><span class="spinner" aria-hidden="true"></span>${text || t("common.loading")}</div>`;
}

export function Empty({ text }) {
  return html`<p class="empty">${text}</p>`;
}
