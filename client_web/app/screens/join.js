// Join: a code (from the link or typed) and a display name; the seat's token is kept in this browser.
import { html, useState } from "../html.js";
import { has, t } from "../i18n.js";
import { joinGame } from "../api.js";
import { rememberSeat, seatTokens } from "../tokens.js";
import { Header } from "../ui.js";
import { navigate } from "../router.js";

const NAME_KEY = "normarena.name";

export function JoinScreen({ code: given }) {
  const [code, setCode] = useState(given || "");
  const [name, setName] = useState(localStorage.getItem(NAME_KEY) || "");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const joined = Object.entries(seatTokens());

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const answer = await joinGame(code.trim().toUpperCase(), name.trim());
    setBusy(false);
    if (!answer.ok) {
      const codeName = answer.body?.error || "offline";
      setProblem({ code: codeName, message: answer.body?.message || "" });
      return;
    }
    localStorage.setItem(NAME_KEY, name.trim());
    const { game, seat, token } = answer.body;
    rememberSeat(game, { token, seat, name: answer.body.name || name.trim(), code: code.trim().toUpperCase(), joined: Date.now() });
    navigate(`/play/${game}`);
  }

  return html`<${Header} />
    <main class="page narrow join">
      <h1>${t("join.title")}</h1>
      <p class="lead">${t("join.lead")}</p>
      <form class="card join-form" onSubmit=${submit}>
        <label class="field">
          <span>${t("join.code")}</span>
          <input class="code-input big" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false"
            maxlength="12" required value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>${t("join.name")}</span>
          <input name="name" autocomplete="nickname" maxlength="40" required value=${name}
            onInput=${(e) => setName(e.currentTarget.value)} />
          <span class="hint">${t("join.name_hint")}</span>
        </label>
        ${problem
          ? html`<p class="refusal" role="alert" data-refusal=${problem.code}>${has(`join.error.${problem.code}`) ? t(`join.error.${problem.code}`) : problem.message || t("join.error.offline")}</p>`
          : null}
        <button type="submit" class="primary big" disabled=${busy || !code.trim() || !name.trim()}>${busy ? t("common.working") : t("join.button")}</button>
      </form>
      ${joined.length
        ? html`<section class="card">
            <h2>${t("join.again")}</h2>
            <ul class="plain">
              ${joined.map(([game, entry]) => html`<li><a href=${`/play/${game}`}>${t("join.again_seat", { name: entry.name, seat: entry.seatName || entry.seat })}</a></li>`)}
            </ul>
          </section>`
        : null}
    </main>`;
}
