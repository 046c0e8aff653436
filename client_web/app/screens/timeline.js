// The debrief's timeline: each round and what happened in it, in sentences.
import { html } from "../html.js";
import { t } from "../i18n.js";
import { eventText } from "../describe.js";

const NOTEWORTHY = new Set([
  "alliance_founded", "alliance_joined", "offer_accepted", "grant", "pooled_fund", "secondment", "study", "panel",
  "consultation", "trial_balloon", "lobbying", "draft_tabled", "amendment", "amendment_blocked", "watered_down",
  "spoiler_exposed", "vote_called", "vote_delayed", "vote_result", "side_issue_result", "pledge_broken", "scenario_event",
  "game_paused", "game_resumed", "game_rolled_back", "game_ended",
]);

export function Timeline({ view, events }) {
  const rounds = new Map();
  for (const event of events) {
    if (!NOTEWORTHY.has(event.kind)) continue;
    if (!rounds.has(event.round)) rounds.set(event.round, []);
    rounds.get(event.round).push(event);
  }
  return html`<section class="card timeline"><h2>${t("debrief.timeline")}</h2>
    ${rounds.size === 0 ? html`<p class="empty">${t("debrief.no_rounds")}</p>` : null}
    <ol class="rounds">
      ${[...rounds.entries()].map(([round, list]) => html`<li class="timeline-round" data-round=${round}>
        <h3>${t("round.number", { round })}</h3>
        <ul>${list.map((e) => html`<li data-kind=${e.kind}>${eventText(view, e)}</li>`)}</ul>
      </li>`)}
    </ol>
  </section>`;
}
