// The console during play: the clock and the controls (start, skip, pause, resume, extend,
// inject, end, roll back, fork), and every seat's connection, readiness and participation.
import { html, useEffect, useState } from "../html.js";
import { t } from "../i18n.js";
import { kindName } from "../describe.js";
import { isPaused, participation } from "../facts.js";
import { rememberFacilitatedGame } from "../tokens.js";
import { getMaterials } from "../api.js";
import { ConfirmButton, Refusal } from "../ui.js";
import { STRATEGIES } from "./lobby.js";

export function Console({ game, state, rows, connection, local, token }) {
  const view = state.view;
  const paused = isPaused(state);
  const tally = participation(state);
  const [seconds, setSeconds] = useState(60);
  const [round, setRound] = useState(Math.max(1, view.round || 1));
  const [fork, setFork] = useState(null);
  const control = (command, args = {}) => connection.control(command, args, "console");
  const ended = view.phase === "ended";
  const rounds = Array.from({ length: Math.max(1, view.round || 1) }, (_, i) => i + 1);

  async function makeFork() {
    const answer = await control("fork", { round: Number(round) });
    if (answer.type === "ack" && answer.fork) {
      const made = answer.fork;
      rememberFacilitatedGame({
        game: made.game, token: made.facilitator_token, spectator: made.spectator_token, codes: made.join_codes,
        scenario: local.scenario, title: `${local.title || view.title} (${t("console.fork_of", { round })})`,
        created: Date.now(), forkedFrom: game,
      });
      setFork(made.game);
    }
  }

  return html`<section class="console" aria-labelledby="console-title">
    <h1 id="console-title" class="visually-hidden">${t("console.title")}</h1>
    ${ended
      ? html`<p class="card control-bar ended" role="status">${t("console.ended")} <a href=${`/game/${game}/debrief`}>${t("console.open_debrief")}</a></p>`
      : null}
    <div class="control-bar card" role="toolbar" aria-label=${t("console.controls")} hidden=${ended}>
      ${view.phase === "lobby"
        ? html`<button type="button" class="primary" data-control="start" onClick=${() => control("start")}>${t("console.start")}</button>`
        : null}
      ${!ended && view.phase !== "lobby"
        ? html`
          ${paused
            ? html`<button type="button" class="primary" data-control="resume" onClick=${() => control("resume")}>${t("console.resume")}</button>`
            : html`<button type="button" data-control="pause" onClick=${() => control("pause")}>${t("console.pause")}</button>`}
          <span class="group">
            <label class="inline-field"><span>${t("console.extend_by")}</span>
              <select value=${seconds} onChange=${(e) => setSeconds(Number(e.currentTarget.value))}>
                ${[30, 60, 120, 300, 600, 3600].map((s) => html`<option value=${s}>${t("console.seconds_option", { count: s })}</option>`)}
              </select></label>
            <button type="button" data-control="extend" onClick=${() => control("extend", { seconds })}>${t("console.extend")}</button>
          </span>
          <${ConfirmButton} label=${t("console.skip")} question=${t("console.skip_confirm", { phase: t(`phase.${view.phase}`) })}
            onConfirm=${() => control("skip")} />
          <${ConfirmButton} cls="danger" label=${t("console.end")} question=${t("console.end_confirm")} onConfirm=${() => control("end")} />`
        : null}
    </div>
    <${Refusal} state=${state} source="console" />
    ${paused ? html`<p class="banner warn" role="status" data-paused="1">${t("console.paused_note")}</p>` : null}
    ${!ended && view.phase !== "lobby" ? html`<${CardPicker} game=${game} token=${token} control=${control} />` : null}
    <div class="card time-travel">
      <h2>${t("console.time_travel")}</h2>
      <div class="row">
        <label class="inline-field"><span>${t("console.round")}</span>
          <select value=${round} onChange=${(e) => setRound(Number(e.currentTarget.value))}>
            ${rounds.map((r) => html`<option value=${r}>${t("round.number", { round: r })}</option>`)}
          </select></label>
        <${ConfirmButton} label=${t("console.rollback")} question=${t("console.rollback_confirm", { round })}
          onConfirm=${() => control("rollback", { round: Number(round) })} />
        <${ConfirmButton} label=${t("console.fork")} question=${t("console.fork_confirm", { round })} onConfirm=${makeFork} cls="secondary" />
      </div>
      ${fork ? html`<p role="status">${t("console.forked")} <a href=${`/game/${fork}`}>${t("console.open_fork")}</a></p>` : null}
    </div>
    <div class="card">
      <h2>${t("console.seats")}</h2>
      <div class="table-wrap" tabindex="0">
        <table class="seats-table">
          <thead><tr>
            <th scope="col">${t("console.seat")}</th><th scope="col">${t("console.who")}</th>
            <th scope="col">${t("console.connection")}</th><th scope="col">${t("console.done")}</th>
            <th scope="col">${t("console.messages")}</th><th scope="col">${t("console.offers")}</th>
            <th scope="col">${t("console.orders")}</th><th scope="col">${t("console.bot")}</th>
          </tr></thead>
          <tbody>
            ${rows.map((row) => html`<${SeatRow} key=${row.id} row=${row} tally=${tally[row.id]} connection=${connection} />`)}
          </tbody>
        </table>
      </div>
    </div>
  </section>`;
}

function SeatRow({ row, tally, connection }) {
  const [strategy, setStrategy] = useState("broker");
  const counts = tally || { messages: 0, offers: 0, orders: 0 };
  const bot = () => connection.control("bot", { seat: row.id, strategy, ...(row.players.length ? { replace: true } : {}) }, "console");
  const unbot = () => connection.control("unbot", { seat: row.id }, "console");
  const empty = !row.bot && !row.players.length;
  const online = row.bot && !row.players.length
    ? t("console.bot_plays")
    : empty ? t("console.empty") : row.online > 0 ? t("console.online", { count: row.online }) : t("console.offline");
  return html`<tr data-seat=${row.id}>
    <th scope="row">${row.name} <span class="muted small">${kindName(row.kind)}</span></th>
    <td>${row.players.length ? row.players.map((p) => p.name).join(", ") : row.bot ? t(`strategy.${row.bot}`) : "–"}</td>
    <td class="nowrap"><span class=${`presence ${row.online || row.bot ? "here" : "away"}`} aria-hidden="true"></span>${online}</td>
    <td>${row.done ? html`<span class="done-chip">${t("console.is_done")}</span>` : html`<span class="muted">${t(empty ? "console.unknown" : "console.not_done")}</span>`}</td>
    <td class="num">${counts.messages}</td><td class="num">${counts.offers}</td><td class="num">${counts.orders}</td>
    <td class="bot-cell">
      ${row.bot
        ? html`<button type="button" class="small" onClick=${unbot}>${t("lobby.unseat_bot")}</button>`
        : html`<select class="small" value=${strategy} aria-label=${t("lobby.strategy")} onChange=${(e) => setStrategy(e.currentTarget.value)}>
            ${STRATEGIES.map((s) => html`<option value=${s}>${t(`strategy.${s}`)}</option>`)}
          </select>
          ${row.players.length
            ? html`<${ConfirmButton} cls="small" label=${t("lobby.seat_bot")} question=${t("lobby.replace_people")} onConfirm=${bot} />`
            : html`<button type="button" class="small" onClick=${bot}>${t("lobby.seat_bot")}</button>`}`}
    </td>
  </tr>`;
}

/** The scenario's event cards (from the materials), to inject one by its title. */
function CardPicker({ game, token, control }) {
  const [cards, setCards] = useState(null);
  const [picked, setPicked] = useState("");
  useEffect(() => {
    getMaterials(game, token).then((answer) => setCards(answer.ok ? answer.body.cards || [] : []));
  }, [game]);
  if (!cards || cards.length === 0) return null;
  const card = cards.find((c) => c.id === picked) || cards[0];
  return html`<div class="card inject">
    <h2>${t("console.cards")}</h2>
    <div class="row">
      <label class="inline-field grow"><span class="visually-hidden">${t("console.card")}</span>
        <select value=${card.id} onChange=${(e) => setPicked(e.currentTarget.value)} data-cards=${cards.length}>
          ${cards.map((c) => html`<option value=${c.id}>${c.round ? t("console.card_option", { title: c.title, round: c.round }) : c.title}</option>`)}
        </select></label>
      <${ConfirmButton} label=${t("console.inject")} question=${t("console.inject_confirm", { title: card.title })}
        onConfirm=${() => control("inject", { card: card.id })} />
    </div>
    <p class="card-text muted">${card.text}</p>
  </div>`;
}
