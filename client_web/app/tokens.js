// What the browser remembers. localStorage: the games this browser created (with their
// facilitator and spectator tokens) and the seat tokens it joined with, per game.
// sessionStorage (this tab): drafts of what is being typed, and actions not yet acknowledged.

const GAMES = "normarena.games";
const SEATS = "normarena.seats";
const OPERATOR = "normarena.operator";

function read(storage, key, empty) {
  try {
    const value = JSON.parse(storage.getItem(key) || "null");
    return value ?? empty;
  } catch {
    return empty;
  }
}

function write(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled (a private window): the page still works, it just forgets.
  }
}

/** The server operator's token (it lets this browser create games on a server off loopback). */
export function operatorToken() {
  return read(localStorage, OPERATOR, "");
}

export function rememberOperator(token) {
  if (token) write(localStorage, OPERATOR, token);
  else localStorage.removeItem(OPERATOR);
}

/** `normarena serve` prints `http://ADDRESS:8000/#operator=TOKEN`: keep the token, and take it
 * out of the address bar (and so out of the history, bookmarks and screen shares). True if
 * the address held one. */
export function takeOperatorFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("operator");
  if (!token) return false;
  rememberOperator(token.trim());
  fragment.delete("operator");
  const rest = fragment.toString();
  history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  return true;
}

export function facilitatedGames() {
  return read(localStorage, GAMES, []);
}

export function facilitatedGame(game) {
  return facilitatedGames().find((entry) => entry.game === game) || null;
}

export function rememberFacilitatedGame(entry) {
  const games = facilitatedGames().filter((g) => g.game !== entry.game);
  games.unshift({ ...entry });
  write(localStorage, GAMES, games);
}

export function updateFacilitatedGame(game, changes) {
  const games = facilitatedGames().map((g) => (g.game === game ? { ...g, ...changes } : g));
  write(localStorage, GAMES, games);
}

export function forgetFacilitatedGame(game) {
  write(localStorage, GAMES, facilitatedGames().filter((g) => g.game !== game));
}

export function seatTokens() {
  return read(localStorage, SEATS, {});
}

export function seatToken(game) {
  return seatTokens()[game] || null;
}

export function rememberSeat(game, entry) {
  write(localStorage, SEATS, { ...seatTokens(), [game]: entry });
}

export function forgetSeat(game) {
  const seats = seatTokens();
  delete seats[game];
  write(localStorage, SEATS, seats);
}

export function loadDraft(key, empty = "") {
  return read(sessionStorage, `normarena.draft.${key}`, empty);
}

export function saveDraft(key, value) {
  if (value === "" || value === null) sessionStorage.removeItem(`normarena.draft.${key}`);
  else write(sessionStorage, `normarena.draft.${key}`, value);
}

export function loadSession(key, empty) {
  return read(sessionStorage, `normarena.${key}`, empty);
}

export function saveSession(key, value) {
  write(sessionStorage, `normarena.${key}`, value);
}

export function dropSession(key) {
  sessionStorage.removeItem(`normarena.${key}`);
}
