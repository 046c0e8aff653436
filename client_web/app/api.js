// The server's HTTP API. Every call answers {ok, status, body}; an error body is
// {error, message} with the server's sentence, shown to people as it is.

async function call(method, path, { body, token } = {}) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, body: { error: "offline", message: "" } };
  }
  let parsed = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) parsed = await response.json().catch(() => null);
  else parsed = await response.text();
  return { ok: response.ok, status: response.status, body: parsed };
}

export const getServer = () => call("GET", "/api/server");
export const getScenarios = () => call("GET", "/api/scenarios");
export const createGame = (request, operator) => call("POST", "/api/games", { body: request, token: operator });
export const joinGame = (code, name) => call("POST", "/api/join", { body: { code, name } });
export const getGame = (game, token) => call("GET", `/api/games/${encodeURIComponent(game)}`, { token });
export const getMaterials = (game, token) =>
  call("GET", `/api/games/${encodeURIComponent(game)}/materials`, { token });
export const getExport = (game, token) => call("GET", `/api/games/${encodeURIComponent(game)}/export`, { token });

/** A download of the export, as a link the browser saves (the token goes in a header, so fetch it). */
export async function downloadExport(game, token, format) {
  const suffix = format === "csv" ? "?format=csv" : "";
  const response = await fetch(`/api/games/${encodeURIComponent(game)}/export${suffix}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) return false;
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `normarena-${game}.${format === "csv" ? "csv" : "json"}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return true;
}
