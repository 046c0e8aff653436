// An example Norm Arena bot, written from docs/protocol.md and docs/asyncapi.json alone.
//
//   node bot.js URL JOINCODE [NAME]        e.g. node bot.js http://127.0.0.1:8000 8UDHU9
//
// It joins a seat with the code, plays until the game ends, prints one line of JSON
// ({"seat", "phase": "ended", "outcome", "score"}) and exits 0; it exits 1 on a fatal error.
// The shape of the loop (join, hello, ask -> turn -> act -> ack, wait for events, resume with
// last_seq) is the whole protocol; port it as it is and swap in your own `choose`.
import { randomUUID } from "node:crypto";
import { decode, encode } from "@msgpack/msgpack";
import WebSocket from "ws";

const SUBPROTOCOL = "normarena.v2.msgpack"; // msgpack maps in binary frames
const FATAL = new Set([
  "unauthorised", "not_a_player", "not_a_seat", "revoked", "unknown_game", // the token is no good
  "hello_first", "already_greeted", "hello_timeout", "unknown_message", "malformed_message", "wrong_frame_type", // a bug here
]);
const END_PHASE = new Set(["end_negotiation", "end_orders"]); // "I am done with this phase"
const AVOID = new Set(["withdraw_order", "withdraw_offer", "decline_offer", "leave_alliance", "spoil"]); // undo or harm
const ACTIONS_PER_PHASE = 3; // then end the phase
const DEBUG = Boolean(process.env.NORMARENA_DEBUG); // log every action and its answer to stderr
const RESOURCES = ["staff", "capital", "funds", "expertise"];

const fail = (message) => { console.error(`node-bot: ${message}`); process.exit(1); };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (items) => items[Math.floor(Math.random() * items.length)];

const [baseUrl, code, name = "node-bot"] = process.argv.slice(2);
if (!baseUrl || !code) fail("usage: node bot.js URL JOINCODE [NAME]");

// 1. Trade the join code for a game id, a seat and a token (over plain HTTP).
let joined;
try {
  const response = await fetch(new URL("/api/join", baseUrl), {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, name }),
  });
  if (!response.ok) fail(`join refused (HTTP ${response.status}): ${await response.text()}`);
  joined = await response.json();
} catch (err) { fail(`cannot reach ${baseUrl}: ${err.message}`); }
const { game, seat, token } = joined;

// 2. The connection. Every decoded message goes to the current listeners; a dropped connection
// is announced to them as {type: "_dropped"} and replaced by a new one that says hello again with
// the highest event number seen, so the server sends exactly what was missed.
const wsUrl = new URL("/ws", baseUrl);
wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
let lastSeq = 0;     // highest event number seen: what hello's last_seq resumes from
let eventsSeen = 0;  // how many `events` messages have arrived (to wait for the next one)
let view = {};       // the seat's view, kept current: the welcome's, then each events' patch
let finished = false;
let connection;      // a promise of the open, greeted socket (a new one after a drop)
const listeners = new Set();
const dispatch = (message) => { for (const listener of [...listeners]) listener(message); };

function connect() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, SUBPROTOCOL);
    let greeted = false;
    socket.on("open", () => socket.send(encode({ type: "hello", game, token, last_seq: lastSeq })));
    socket.on("message", (data) => {
      const message = decode(data); // a msgpack map decodes to a plain object
      if (message.type === "welcome") {
        greeted = true;
        view = message.view;
        for (const event of message.missed) lastSeq = Math.max(lastSeq, event.seq);
        lastSeq = Math.max(lastSeq, message.seq);
        resolve(socket);
      } else if (message.type === "events") {
        lastSeq = Math.max(lastSeq, message.seq);
        applyPatch(view, message.patch);
        eventsSeen += 1;
      } else if (message.type === "view") { // the server could not follow us with patches
        view = message.view;
      } else if (message.type === "error" && !greeted) { // the hello was refused
        socket.terminate();
        reject(Object.assign(new Error(`${message.code}: ${message.message}`), { code: message.code }));
      }
      dispatch(message);
    });
    socket.on("error", (err) => { if (!greeted) reject(err); }); // "close" follows
    socket.on("close", (closeCode) => {
      if (!greeted) { reject(new Error(`connection closed (${closeCode}) before the welcome`)); return; }
      if (finished) return;
      console.error(`node-bot: ${seat}: connection dropped (${closeCode}); resuming from event ${lastSeq}`);
      connection = reconnect();
      dispatch({ type: "_dropped" });
    });
  });
}

async function reconnect() {
  for (let attempt = 0; attempt < 10; attempt++) {
    await sleep(Math.min(5000, 250 * 2 ** attempt));
    try { return await connect(); } catch (err) {
      if (FATAL.has(err.code)) fail(`${seat}: ${err.message}`);
    }
  }
  fail(`${seat}: cannot reconnect`);
}

// JSON Patch (RFC 6902: add, remove, replace), as the server sends it in each `events`.
function applyPatch(target, ops) {
  for (const op of ops) {
    const parts = op.path.split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = parts.pop();
    const parent = parts.reduce((node, key) => node[Array.isArray(node) ? Number(key) : key], target);
    if (Array.isArray(parent)) {
      if (op.op === "add" && last === "-") parent.push(op.value);
      else if (op.op === "add") parent.splice(Number(last), 0, op.value);
      else if (op.op === "remove") parent.splice(Number(last), 1);
      else parent[Number(last)] = op.value;
    } else if (op.op === "remove") delete parent[last];
    else parent[last] = op.value;
  }
}

// Resolves with the first message for which `wanted` is true, or null after `ms`.
function waitFor(wanted, ms = 60000) {
  return new Promise((resolve) => {
    const done = (value) => { listeners.delete(listener); clearTimeout(timer); resolve(value); };
    const listener = (message) => { if (wanted(message)) done(message); };
    const timer = setTimeout(() => done(null), ms);
    listeners.add(listener);
  });
}

// Send a request and wait for the answer that repeats its id. If the connection drops first,
// send the same request again on the new one: an act with the same id is applied only once.
async function request(message, answerTypes) {
  for (;;) {
    const socket = await connection;
    const limited = (m) => m.type === "error" && m.code === "rate_limited" && !m.id; // refused unread
    const answer = waitFor((m) => m.type === "_dropped" || limited(m) || (m.id === message.id && answerTypes.includes(m.type)));
    socket.send(encode(message));
    const reply = await answer;
    if (reply && limited(reply)) { await sleep(250); continue; }
    if (reply && reply.type !== "_dropped") return reply;
  }
}

const idPrefix = randomUUID().slice(0, 8); // ids must not collide with a team-mate's on the same seat
let counter = 0;
const nextId = () => `${idPrefix}-${++counter}`;

// 3. The strategy: say something, make a couple of affordable moves, end the phase; vote yes.
function choose(view, legal, done) { // done: actions tried so far in this phase
  const you = view.you ?? {};
  const have = { ...(you.resources ?? {}), staff: you.staff ?? 0 };
  const free = (key) => (have[key] ?? 0) - (you.reserved?.[key] ?? 0);
  // Never spend (or give away in an offer) more than half of what is still free.
  const affordable = ({ action, cost }) => RESOURCES.every(
    (key) => (cost?.[key] ?? 0) + (action.gives?.[key] ?? 0) <= free(key) / 2);
  const ofType = (type) => legal.filter((entry) => entry.action.type === type);

  if (view.phase === "vote") {
    const ballots = ofType("cast_vote");
    if (ballots.length) return (ballots.find((b) => b.action.draft === "yes") ?? ballots[0]).action;
  }
  const endings = legal.filter((entry) => END_PHASE.has(entry.action.type));
  if (done >= ACTIONS_PER_PHASE && endings.length) return endings[0].action;

  const messages = ofType("send_message");
  if (done === 0 && messages.length) {
    const to = (messages.find((m) => m.action.to === "public") ?? messages[0]).action.to;
    return { type: "send_message", to, text: pitch(view, you) };
  }
  const moves = legal.filter((entry) => !END_PHASE.has(entry.action.type) && entry.action.type !== "send_message"
    && !AVOID.has(entry.action.type) && !AVOID.has(entry.action.order?.type) && affordable(entry));
  if (moves.length) return pick(moves).action;
  return (endings[0] ?? pick(legal)).action;
}

// A real sentence for the public channel: the provision this seat cares most about.
function pitch(view, you) {
  const ideal = you.objectives?.ideal ?? {};
  const weights = you.objectives?.weights ?? {};
  const provisions = view.draft?.provisions ?? [];
  const rank = (p) => (weights[p.id] ?? 0) * 10 + (ideal[p.id] ?? 0); // most weight, then most ambition
  const best = [...provisions].sort((a, b) => rank(b) - rank(a))[0];
  const who = you.name ?? seat;
  if (!best || ideal[best.id] === undefined) return `${who} is ready to talk: who will table the draft?`;
  const wording = best.levels?.[ideal[best.id]] ?? `level ${ideal[best.id]}`;
  return `${who} wants "${wording}" on ${best.name ?? best.id}. Who will back it with us?`;
}

// 4. The loop: ask, then act on the answer or wait for something to happen.
connection = connect();
try { await connection; } catch (err) { fail(`${seat}: ${err.message}`); }

const tried = {}; // actions tried per round and phase
for (let step = 0; step < 20000; step++) {
  const seen = eventsSeen; // events arriving from now on may change what is legal
  const turn = await request({ type: "ask", id: nextId() }, ["turn", "error"]);
  if (turn.type === "error") {
    if (FATAL.has(turn.code)) fail(`${seat}: ${turn.code}: ${turn.message}`);
    await sleep(200); // rate_limited, busy: wait and ask again
    continue;
  }
  const view = turn.view;
  if (view.phase === "ended") {
    finished = true;
    const mine = view.scores?.[seat]; // the seat's score record, if the view has scores
    console.log(JSON.stringify({ seat, phase: "ended", outcome: view.outcome ?? null, score: mine?.score ?? mine ?? null }));
    (await connection).close();
    process.exit(0);
  }
  if (!turn.legal?.length) { // nothing to do until others move or the phase closes
    if (eventsSeen === seen && view.phase !== "ended") await waitFor((m) => m.type === "events" || m.type === "_dropped");
    continue;
  }
  const phase = `${view.round}:${view.phase}`;
  const action = choose(view, turn.legal, tried[phase] ?? 0);
  const answer = await request({ type: "act", id: nextId(), action }, ["ack", "error"]);
  if (DEBUG) console.error(`node-bot: ${seat}: ${view.round}/${view.phase} ${JSON.stringify(action)} -> ${answer.code ?? "ack"}`);
  if (answer.type === "error") {
    if (FATAL.has(answer.code)) fail(`${seat}: ${answer.code}: ${answer.message}`);
    if (answer.code === "rate_limited" || answer.code === "busy") { await sleep(200); continue; } // not tried
    if (answer.code === "paused") { await waitFor((m) => m.type === "events", 5000); continue; }
    console.error(`node-bot: ${seat}: ${action.type} refused: ${answer.code}`); // wrong_phase etc.: ask again
  }
  tried[phase] = (tried[phase] ?? 0) + 1; // refused ones count too, so the phase always ends
}
fail(`${seat}: the game did not end`);
