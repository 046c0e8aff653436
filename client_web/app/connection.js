// The connection owns the websocket: hello with the last event number, resume after a drop
// with backoff, the offline state, and the outbox. Actions carry ids of our own and stay in
// the tab's storage until acknowledged, so a resend after a drop (or a reload) is applied once.
import { loadSession, saveSession } from "./tokens.js";
import { Store } from "./store.js";

// The one place that names the wire. JSON in text frames: readable in the browser's tools,
// no library to vendor, and the JSON Patches apply to plain objects as they arrive.
export const SUBPROTOCOL = "normarena.v2.json";
const BACKOFF = [500, 1000, 2000, 4000, 8000, 15000];
const ASK_EVERY_MS = 400; // ask for the legal list at most this often
const PING_EVERY_MS = 25_000;

let counter = 0;
function newId(prefix) {
  counter += 1;
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${prefix}${Date.now().toString(36)}${random[0].toString(36)}${random[1].toString(36)}${counter}`;
}

export class Connection {
  /**
   * game, token: what to say hello with. persist: keep events and the view in this tab's
   * storage so a reload resumes from the last number instead of starting over.
   * wantsLegal: ask for the legal list after every change (players).
   */
  constructor({ game, token, persist = true, wantsLegal = false }) {
    this.game = game;
    this.token = token;
    this.wantsLegal = wantsLegal;
    this.key = persist ? `game.${game}.${token.slice(0, 8)}` : null;
    const saved = this.key ? loadSession(this.key, null) : null;
    this.store = new Store(saved ? { seq: saved.seq, view: saved.view, events: saved.events } : {});
    this.outbox = this.key ? loadSession(`${this.key}.outbox`, []) : [];
    this.waiting = new Map(); // request id -> {resolve, source}
    this.attempt = 0;
    this.socket = null;
    this.stopped = false;
    this.askTimer = null;
    this.lastAsk = 0;
    this.retryTimer = null;
    this.pingTimer = null;
    this.store.set({ pending: this.outbox.length });
    this.onOnline = () => this.reconnectNow();
    window.addEventListener("online", this.onOnline);
  }

  start() {
    this.open();
    return this;
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.askTimer);
    clearInterval(this.pingTimer);
    if (this.socket) this.socket.close(1000, "left the page");
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}/ws`;
  }

  open() {
    if (this.stopped) return;
    this.store.set({ connection: this.store.state.view ? "offline" : "connecting" });
    if (this.attempt === 0) this.store.set({ connection: "connecting" });
    let socket;
    try {
      socket = new WebSocket(this.url(), SUBPROTOCOL);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.store.set({ wire: socket.protocol });
      this.send({ type: "hello", game: this.game, token: this.token, last_seq: this.store.state.seq });
    });
    socket.addEventListener("message", (event) => this.handle(event.data));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearInterval(this.pingTimer);
      if (event.code === 1008 || this.store.state.fatal) {
        this.store.set({ connection: "closed" });
        return;
      }
      this.scheduleRetry();
    });
  }

  scheduleRetry() {
    if (this.stopped || this.store.state.fatal) return;
    const base = BACKOFF[Math.min(this.attempt, BACKOFF.length - 1)];
    const delay = base / 2 + Math.random() * base;
    this.attempt += 1;
    this.store.set({ connection: "offline", retryAt: Date.now() + delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  reconnectNow() {
    if (this.socket || this.stopped || this.store.state.fatal) return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  /** Drop the connection as if the network went away (tests and the "reconnect" button use it). */
  drop() {
    if (this.socket) this.socket.close(4000, "dropped");
  }

  send(message) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  handle(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    const store = this.store;
    if (message.type === "welcome") {
      this.attempt = 0;
      store.receive(message);
      store.set({ connection: "live", fatal: null });
      this.persist();
      for (const entry of this.outbox) this.send({ type: "act", id: entry.id, action: entry.action });
      this.ask(true);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping", id: newId("p") }), PING_EVERY_MS);
      return;
    }
    if (message.type === "error" && !message.id) {
      // An error answering hello: the token does not open this game (or no longer does).
      if (["unauthorised", "revoked", "unknown_game", "not_a_player"].includes(message.code)) {
        store.set({ fatal: { code: message.code, message: message.message }, connection: "closed" });
        this.stopped = true;
        if (this.socket) this.socket.close(1000);
      }
      return;
    }
    if (message.type === "events" || message.type === "view") {
      if (!store.receive(message)) {
        this.resync();
        return;
      }
      this.persist();
      this.ask(false);
      return;
    }
    if (message.type === "status") {
      store.receive(message);
      if (message.state === "ok") {
        // The store is back: what it refused meanwhile goes again, under the same ids.
        for (const entry of this.outbox) this.send({ type: "act", id: entry.id, action: entry.action });
        this.ask(true);
      }
      return;
    }
    if (message.type === "turn" || message.type === "pong") store.receive(message);
    if (message.type === "ack" || message.type === "error") this.settle(message);
  }

  /** The view could not follow a patch: say hello again, which brings a whole view. */
  resync() {
    if (this.socket) this.socket.close(4001, "resync");
  }

  persist() {
    if (!this.key) return;
    const { seq, view, events } = this.store.state;
    saveSession(this.key, { seq, view, events: events.slice(-500) });
  }

  saveOutbox() {
    if (this.key) saveSession(`${this.key}.outbox`, this.outbox);
    this.store.set({ pending: this.outbox.length });
  }

  /** Ask for the legal list (players), at most every ASK_EVERY_MS. */
  ask(now) {
    if (!this.wantsLegal) return;
    clearTimeout(this.askTimer);
    const wait = now ? 0 : Math.max(0, ASK_EVERY_MS - (Date.now() - this.lastAsk));
    this.askTimer = setTimeout(() => {
      this.lastAsk = Date.now();
      this.send({ type: "ask", id: newId("q") });
    }, wait);
  }

  settle(message) {
    const entry = this.outbox.find((e) => e.id === message.id);
    if (entry) {
      this.outbox = this.outbox.filter((e) => e.id !== message.id);
      this.saveOutbox();
      if (message.type === "error" && (message.code === "rate_limited" || message.code === "busy")) {
        // Not applied: send it again, under the same id, a moment later.
        this.outbox.push(entry);
        this.saveOutbox();
        setTimeout(() => this.send({ type: "act", id: entry.id, action: entry.action }), 600);
        return;
      }
      if (message.type === "error" && message.code === "unavailable") {
        // The game's store is out of reach: kept, and sent again when the server says it is back.
        this.outbox.push(entry);
        this.saveOutbox();
        return;
      }
    }
    const waiter = this.waiting.get(message.id);
    const source = entry?.source || waiter?.source;
    if (source) {
      if (message.type === "error") this.store.refuse(source, message.code, message.message);
      else this.store.clearRefusal(source);
    }
    if (waiter) {
      this.waiting.delete(message.id);
      waiter.resolve(message);
    }
    this.ask(false);
  }

  /** Send an action; it is kept until acknowledged and sent again after a reconnect. */
  act(action, source = "board") {
    const id = newId("a");
    this.outbox.push({ id, action, source });
    this.saveOutbox();
    this.store.clearRefusal(source);
    const answer = new Promise((resolve) => this.waiting.set(id, { resolve, source }));
    this.send({ type: "act", id, action });
    return answer;
  }

  /** A facilitator's control; answered by its ack or error (not kept across reloads). */
  control(command, args = {}, source = "console") {
    const id = newId("c");
    const answer = new Promise((resolve) => this.waiting.set(id, { resolve, source }));
    this.store.clearRefusal(source);
    if (!this.send({ type: "control", id, command, ...args })) {
      this.waiting.delete(id);
      const offline = { type: "error", id, code: "offline", message: "" };
      this.store.refuse(source, "offline", "");
      return Promise.resolve(offline);
    }
    return answer;
  }
}

/** A connection per (game, token), shared by the screens of one page. */
const open = new Map();
export function connect(options) {
  const key = `${options.game}:${options.token}`;
  if (!open.has(key)) open.set(key, new Connection(options).start());
  return open.get(key);
}

export function disconnectAll() {
  for (const connection of open.values()) connection.stop();
  open.clear();
}

// For the browser's console and the tests: the page's connections, to look at or to drop.
window.normarena = { connections: open };
