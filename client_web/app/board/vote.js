// The vote: the draft and each side issue, from the legal ballots.
import { html, useState } from "../html.js";
import { t } from "../i18n.js";
import { sideIssueName } from "../describe.js";
import { legalOf } from "./legal.js";
import { Refusal } from "../ui.js";

export function Vote({ state, view, you, connection }) {
  const ballots = legalOf(state.legal, "cast_vote");
  const [draft, setDraft] = useState("yes");
  const issues = view.side_issues || [];
  const [sides, setSides] = useState(Object.fromEntries(issues.map((s) => [s.id, "yes"])));
  if (you?.done || ballots.length === 0) {
    return html`<section class="card vote"><h2>${t("vote.title")}</h2>
      <p>${you?.ballot ? t("vote.cast", { choice: t(`choice.${you.ballot}`) }) : you?.done ? t("vote.done") : t("vote.no_vote")}</p></section>`;
  }
  const match = ballots.find((e) => e.action.draft === draft && issues.every((s) => (e.action.side_issues || {})[s.id] === sides[s.id]));
  return html`<section class="card vote" aria-labelledby="vote-title-form">
    <h2 id="vote-title-form">${t("vote.title")}</h2>
    <form onSubmit=${(e) => { e.preventDefault(); if (match) connection.act(match.action, "vote"); }}>
      <fieldset><legend>${t("vote.on_draft")}</legend>
        <div class="segmented">
          ${["yes", "no", "abstain"].map((c) => html`<label class=${draft === c ? "chosen" : ""}>
            <input type="radio" name="draft-vote" value=${c} checked=${draft === c} onChange=${() => setDraft(c)} /><span>${t(`choice.${c}`)}</span></label>`)}
        </div>
      </fieldset>
      ${issues.map((s) => html`<fieldset><legend>${sideIssueName(view, s.id)}</legend>
        <div class="segmented">
          ${["yes", "no"].map((c) => html`<label class=${sides[s.id] === c ? "chosen" : ""}>
            <input type="radio" name=${`side-${s.id}`} value=${c} checked=${sides[s.id] === c} onChange=${() => setSides({ ...sides, [s.id]: c })} /><span>${t(`choice.${c}`)}</span></label>`)}
        </div></fieldset>`)}
      <button type="submit" class="primary big" data-action="cast_vote" disabled=${!match}>${t("vote.cast_button")}</button>
      <${Refusal} state=${state} source="vote" />
    </form>
  </section>`;
}
