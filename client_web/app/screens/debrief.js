// The debrief: for everyone once the game ends, for the facilitator at any time. Outcome,
// scores and what made them, charts over rounds, the network, legitimacy by constituency,
// every secret revealed, the article's claims tied to moments, discussion questions, downloads.
import { html, useEffect, useMemo, useState } from "../html.js";
import { t, formatNumber } from "../i18n.js";
import { connect } from "../connection.js";
import { pruneRolledBack, useStore } from "../store.js";
import { getExport, getMaterials, downloadExport } from "../api.js";
import { facilitatedGame, seatToken } from "../tokens.js";
import { eventText, kindName, provisionName, seatName, wording } from "../describe.js";
import { Header, Loading, OfflineBanner } from "../ui.js";
import { RoundChart } from "../charts.js";
import { Network, networkEdges } from "../network.js";
import { claimsShown } from "../claims.js";
import { Timeline } from "./timeline.js";

const SCORE_PARTS = ["text", "side_issues", "credibility", "alliance", "goals"];

export function DebriefScreen({ game }) {
  const facilitator = facilitatedGame(game);
  const seat = seatToken(game);
  const token = facilitator?.token || seat?.token;
  if (!token) return html`<${Header} /><main class="page narrow"><h1>${t("debrief.no_token")}</h1></main>`;
  return html`<${Debrief} game=${game} token=${token} isFacilitator=${Boolean(facilitator)} />`;
}

function Debrief({ game, token, isFacilitator }) {
  const connection = useMemo(() => connect({ game, token }), [game, token]);
  const state = useStore(connection.store);
  const view = state.view;
  const [exported, setExported] = useState(undefined);
  const [materials, setMaterials] = useState(null);
  const ended = view?.phase === "ended";
  useEffect(() => {
    if (!view || (!ended && !isFacilitator)) return;
    getExport(game, token).then((a) => setExported(a.ok ? a.body : null));
    if (isFacilitator) getMaterials(game, token).then((a) => setMaterials(a.ok ? a.body : null));
  }, [Boolean(view), ended, state.seq]);
  if (!view) return html`<${Header} connection=${state} /><main class="page"><${Loading} /></main>`;
  if (!ended && !isFacilitator) {
    return html`<${Header} title=${view.title} connection=${state} /><main class="page narrow"><h1>${t("debrief.title")}</h1>
      <p>${t("debrief.after_end")}</p><p><a href=${`/play/${game}`}>${t("debrief.back_to_board")}</a></p></main>`;
  }
  if (exported === undefined && isFacilitator) return html`<${Header} title=${view.title} connection=${state} /><main class="page"><${Loading} /></main>`;
  const full = view.state ? view : null;
  const history = exported?.history || full?.state?.history || [];
  // What a rollback undid did not happen, in the debrief as in the game.
  const events = pruneRolledBack(exported?.events || state.events);
  const messageCounts = exported?.message_counts || full?.state?.message_counts || {};
  return html`<${Header} title=${view.title} subtitle=${t("debrief.title")} connection=${state}>
      <button type="button" class="small" onClick=${() => window.print()}>${t("common.print")}</button>
    </${Header}>
    <${OfflineBanner} state=${state} />
    <main class="page debrief">
      <h1>${t("debrief.heading", { title: view.title })}</h1>
      ${!ended ? html`<p class="banner warn">${t("debrief.in_progress")}</p>` : null}
      <${Outcome} view=${view} />
      <${Scores} view=${view} />
      <${Charts} view=${view} history=${history} ripeness=${exported?.ripeness || view.ripeness} />
      <section class="card"><h2>${t("network.heading")}</h2>
        <${Network} seats=${view.seats} names=${(id) => seatName(view, id)} edges=${networkEdges({
          seats: view.seats,
          alliances: [...view.alliances, ...history.flatMap((r) => r.alliances || [])].map((a) => ({ ...a, name: a.name || "" })),
          links: full?.state?.links || view.links || [],
          messageCounts,
        })} />
      </section>
      <${Legitimacy} view=${view} />
      <${Claims} view=${view} claims=${exported?.claims} />
      <${Timeline} view=${view} events=${events} />
      <${Secrets} view=${view} events=${events} />
      <${Questions} materials=${materials} />
      <section class="card downloads no-print">
        <h2>${t("debrief.downloads")}</h2>
        ${exported
          ? html`<p class="actions">
              <button type="button" onClick=${() => downloadExport(game, token, "json")}>${t("debrief.download_json")}</button>
              <button type="button" onClick=${() => downloadExport(game, token, "csv")}>${t("debrief.download_csv")}</button></p>`
          : html`<p class="muted">${t("debrief.no_export")}</p>`}
      </section>
    </main>`;
}

function Outcome({ view }) {
  const vote = view.votes?.[view.votes.length - 1];
  return html`<section class=${`card outcome ${view.outcome}`} data-outcome=${view.outcome}>
    <h2>${t("debrief.outcome")}</h2>
    <p class="verdict">${view.outcome ? t(`outcome.${view.outcome}`) : t("debrief.still_playing")}</p>
    ${vote ? html`<p>${t("vote.count", { yes: formatNumber(vote.yes), no: formatNumber(vote.no), abstain: formatNumber(vote.abstain) })}
      ${vote.lost_to_politicisation ? html` · ${t("debrief.lost", { lost: formatNumber(vote.lost_to_politicisation) })}` : null}</p>` : html`<p>${t("debrief.no_vote")}</p>`}
    ${typeof view.legitimacy === "number" ? html`<p>${t("debrief.legitimacy", { value: formatNumber(view.legitimacy) })}</p>` : null}
    ${view.epilogue ? html`<p>${t("debrief.epilogue", { depth: formatNumber(view.epilogue.depth), label: t(`epilogue.${view.epilogue.label.replace(/\s+/g, "_")}`) })}</p>` : null}
  </section>`;
}

function Scores({ view }) {
  const scores = view.scores;
  if (!scores) return null;
  // Seats are ranked by standing (where a score falls between the worst and the best that seat's
  // objectives allow), since seats' scores measure different objectives; by score if absent.
  const standings = view.standings;
  const rank = (card) => (standings ? standings[card.seat] ?? 0 : card.score);
  const rows = Object.values(scores).sort((a, b) => rank(b) - rank(a));
  return html`<section class="card scores"><h2>${t("debrief.scores")}</h2>
    <div class="table-wrap" tabindex="0"><table class="scores-table">
      <thead><tr><th scope="col">${t("console.seat")}</th>
        ${standings ? html`<th scope="col" class="num">${t("debrief.standing")}</th>` : null}
        <th scope="col" class="num">${t("debrief.score")}</th>
        ${SCORE_PARTS.map((p) => html`<th scope="col" class="num">${t(`score.${p}`)}${view.score_weights?.[p] !== undefined ? html`<span class="muted small"> ×${formatNumber(view.score_weights[p], 2)}</span>` : null}</th>`)}</tr></thead>
      <tbody>${rows.map((card) => html`<tr data-seat=${card.seat}><th scope="row">${seatName(view, card.seat)}</th>
        ${standings ? html`<td class="num strong standing">${formatNumber(Math.round((standings[card.seat] ?? 0) * 100) || 0, 0)}%</td>` : null}
        <td class="num strong">${formatNumber(card.score)}</td>
        ${SCORE_PARTS.map((p) => html`<td class="num">${formatNumber(card[p] * 100, 0)}%</td>`)}</tr>`)}</tbody>
    </table></div>
    <p class="muted small">${t("debrief.scores_about")}${standings ? html` ${t("debrief.standing_about")}` : null}</p>
  </section>`;
}

function Charts({ view, history, ripeness }) {
  if (!history.length) return html`<section class="card"><h2>${t("debrief.charts")}</h2><p class="empty">${t("debrief.no_rounds")}</p></section>`;
  const rounds = history.map((r) => r.round);
  const blocs = view.blocs;
  const threshold = ripeness?.threshold;
  const bands = [];
  if (typeof threshold === "number") bands.push({ label: t("debrief.threshold"), value: threshold });
  if (typeof ripeness?.floor === "number") bands.push({ label: t("debrief.floor"), value: ripeness.floor });
  return html`<section class="card charts"><h2>${t("debrief.charts")}</h2>
    <div class="chart-grid">
      <${RoundChart} id="ripeness" title=${t(typeof threshold === "number" ? "debrief.chart.ripeness" : "debrief.chart.ripeness_only")} rounds=${rounds}
        series=${[{ label: t("ripeness.title"), values: history.map((r) => r.ripeness) }]}
        bands=${bands} />
      <${RoundChart} id="disposition" title=${t("debrief.chart.disposition")} rounds=${rounds}
        series=${blocs.map((b) => ({ label: b.name, values: history.map((r) => r.blocs?.[b.id]?.disposition ?? null) }))} />
      <${RoundChart} id="ownership" title=${t("debrief.chart.ownership")} rounds=${rounds}
        series=${blocs.map((b) => ({ label: b.name, values: history.map((r) => r.blocs?.[b.id]?.ownership ?? null) }))} />
      <${RoundChart} id="provisions" title=${t("debrief.chart.provisions")} rounds=${rounds} step=${true}
        max=${Math.max(...view.draft.provisions.map((p) => p.levels.length - 1))}
        series=${view.draft.provisions.map((p) => ({ label: p.name, values: history.map((r) => r.provisions?.[p.id] ?? null) }))} />
    </div>
  </section>`;
}

function Legitimacy({ view }) {
  const constituencies = view.constituencies || [];
  const owned = view.state?.constituencies || {};
  return html`<section class="card legitimacy"><h2>${t("debrief.legitimacy_heading")}</h2>
    <p class="muted">${t("debrief.legitimacy_about")}</p>
    <table><thead><tr><th scope="col">${t("debrief.constituency")}</th><th scope="col">${t("blocs.ownership")}</th></tr></thead>
      <tbody>
        ${view.blocs.map((b) => html`<tr><th scope="row">${b.name} <span class="muted small">${t("debrief.bloc_votes", { count: b.votes })}</span></th>
          <td>${typeof b.ownership === "number" ? html`<${Bar} value=${b.ownership} />` : t(`band.${b.ownership}`)}</td></tr>`)}
        ${constituencies.map((c) => html`<tr><th scope="row">${c.name}</th><td>${typeof owned[c.id] === "number" ? html`<${Bar} value=${owned[c.id]} />` : "–"}</td></tr>`)}
      </tbody></table>
  </section>`;
}

function Bar({ value }) {
  return html`<span class="meter"><span class="meter-bar"><span class="meter-fill" style=${{ inlineSize: `${Math.max(0, Math.min(100, value))}%` }}></span></span>
    <span class="meter-value">${formatNumber(value, 0)}</span></span>`;
}

function Claims({ view, claims: shown }) {
  const claims = claimsShown(view, shown);
  return html`<section class="card claims"><h2>${t("debrief.claims")}</h2>
    <p class="muted">${t("debrief.claims_about")}</p>
    ${claims.length === 0 ? html`<p class="empty">${t("debrief.no_claims")}</p>` : null}
    <ol class="claim-list">${claims.map((c) => html`<li data-claim=${c.claim}>
      <strong>${t(`claim.${c.claim}.title`)}</strong> <span class="muted">${t("round.short", { round: c.round })}</span>
      <p>${c.sentence}</p></li>`)}</ol>
  </section>`;
}

function Secrets({ view, events }) {
  const objectives = view.objectives || {};
  const spoils = view.state?.spoils || [];
  const offers = events.filter((e) => e.kind === "offer_made");
  const accepted = new Set(events.filter((e) => e.kind === "offer_accepted").map((e) => e.detail.offer));
  return html`<section class="card secrets"><h2>${t("debrief.secrets")}</h2>
    <h3>${t("debrief.objectives")}</h3>
    <div class="table-wrap" tabindex="0"><table class="objectives-all">
      <thead><tr><th scope="col">${t("console.seat")}</th>${view.draft.provisions.map((p) => html`<th scope="col">${p.name}</th>`)}<th scope="col">${t("debrief.goals")}</th></tr></thead>
      <tbody>${view.seats.map((s) => {
        const o = objectives[s.id];
        if (!o) return null;
        return html`<tr><th scope="row">${s.name} <span class="muted small">${kindName(s.kind)}</span></th>
          ${view.draft.provisions.map((p) => html`<td>${o.ideal[p.id] !== undefined ? wording(view, p.id, o.ideal[p.id]) : "–"}</td>`)}
          <td>${(o.goals || []).map((g) => g.text).join("; ") || "–"}</td></tr>`;
      })}</tbody>
    </table></div>
    <h3>${t("debrief.spoiling")}</h3>
    ${spoils.length ? html`<ul>${spoils.map((s) => html`<li>${t("debrief.spoil_line", { round: s.round, seat: seatName(view, s.seat), mode: t(`spoil.${s.mode}`), provision: s.provision ? provisionName(view, s.provision) : "", exposed: s.exposed ? t("debrief.exposed") : t("debrief.unseen") })}</li>`)}</ul>`
      : html`<p class="empty">${t("debrief.no_spoiling")}</p>`}
    <h3>${t("debrief.private_offers")}</h3>
    ${offers.length ? html`<ul>${offers.map((e) => html`<li>${t("round.short", { round: e.round })}: ${eventText(view, e)}
        ${accepted.has(e.detail.offer) ? html` <strong>${t("offerstatus.accepted")}</strong>` : null}</li>`)}</ul>`
      : html`<p class="empty">${t("debrief.no_offers")}</p>`}
  </section>`;
}

function Questions({ materials }) {
  const questions = materials?.discussion_questions || [];
  if (!questions.length) return null;
  return html`<section class="card questions"><h2>${t("debrief.questions")}</h2>
    <ol>${questions.map((q) => html`<li>${q}</li>`)}</ol></section>`;
}
