// One store per game connection: the view, the events in sequence order, the legal list and
// the connection's state, as wire v2 sends them (docs/protocol.md): `welcome` (a whole view),
// `events` (new events and a JSON Patch against the view held), `view` (a whole view and a
// number that replace ours: the server lost track of what we hold, or its store went back
// after a crash) and `status` (degraded / ok). Screens read the store and call its intents;
// they never touch the socket.
import { applyPatch, PatchError } from "./patch.js";
import { useEffect, useState } from "./html.js";

export const EVENT_MEMORY = 2000; // events kept in memory and in the tab's storage

export function emptyState() {
  return {
    game: "",
    role: "",
    seat: null,
    player: "", // this player's display name (the welcome's)
    seq: 0,
    view: null,
    events: [],
    legal: null, // [{action, cost}] from the last `turn`, or null before any
    legalVersion: -1,
    connection: "connecting", // connecting | live | offline | closed
    wire: "", // the subprotocol the server chose
    retryAt: 0,
    serverStatus: "ok", // ok | degraded (`status`)
    serverMessage: "",
    clockOffset: 0, // server time minus this browser's time, in seconds
    fatal: null, // {code, message}: the token no longer opens this game
    refusals: {}, // source -> {code, message, at}
    pending: 0, // actions sent and not yet acknowledged
  };
}

export class Store {
  constructor(initial = {}) {
    this.state = { ...emptyState(), ...initial };
    this.listeners = new Set();
    this.needsResync = null; // set by the connection: asks the server for a whole view again
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(changes) {
    this.state = { ...this.state, ...changes };
    for (const listener of this.listeners) listener(this.state);
  }

  /** Apply one server message; answers false when the view could not follow (resync needed). */
  receive(message) {
    switch (message.type) {
      case "welcome":
        this.set({
          game: message.game,
          role: message.role,
          seat: message.seat ?? null,
          player: message.player || "",
          view: message.view,
          // The game's newest number: ours is never above it unless the store went back.
          seq: message.seq,
          events: mergeEvents(this.state.events.filter((e) => e.seq <= message.seq), message.missed || []),
          ...offset(message.server_time),
        });
        return true;
      case "events":
        return this.receiveEvents(message);
      case "view": {
        // The server's word is final: its number may be lower than ours (its store went back),
        // so what we held above that number never happened.
        const seq = message.seq || 0;
        this.set({ view: message.view, seq, events: this.state.events.filter((e) => e.seq <= seq), legal: null });
        return true;
      }
      case "status":
        this.set({ serverStatus: message.state === "degraded" ? "degraded" : "ok", serverMessage: message.message || "" });
        return true;
      case "turn":
        // The turn's view is the one held (the wire promises it); the view moves only by events,
        // so a patch is never applied to a view it was not made from.
        this.set({ legal: message.legal || [], legalVersion: message.version });
        return true;
      case "pong":
        this.set(offset(message.server_time));
        return true;
      default:
        return true;
    }
  }

  receiveEvents(message) {
    let view = this.state.view;
    try {
      view = applyPatch(view, message.patch || []);
    } catch (error) {
      if (error instanceof PatchError) return false;
      throw error;
    }
    const old = this.state.view;
    const moved = !old || !view || old.phase !== view.phase || old.round !== view.round;
    this.set({
      view,
      seq: Math.max(this.state.seq, message.seq || 0),
      events: mergeEvents(this.state.events, message.events || []),
      // A refusal belongs to the phase it was given in.
      ...(moved && Object.keys(this.state.refusals).length ? { refusals: {} } : {}),
    });
    return true;
  }

  refuse(source, code, message) {
    this.set({ refusals: { ...this.state.refusals, [source]: { code, message, at: Date.now() } } });
  }

  clearRefusal(source) {
    if (!(source in this.state.refusals)) return;
    const refusals = { ...this.state.refusals };
    delete refusals[source];
    this.set({ refusals });
  }
}

function offset(serverTime) {
  return typeof serverTime === "number" ? { clockOffset: serverTime - Date.now() / 1000 } : {};
}

/** Events in sequence order, each once: a resume that repeats one does not show it twice. */
export function mergeEvents(held, incoming) {
  if (incoming.length === 0) return held;
  const last = held.length ? held[held.length - 1].seq : 0;
  const fresh = incoming.filter((e) => e.seq > last);
  const late = incoming.filter((e) => e.seq <= last && !held.some((h) => h.seq === e.seq));
  let merged = held.concat(fresh);
  if (late.length) merged = merged.concat(late).sort((a, b) => a.seq - b.seq);
  if (incoming.some((e) => e.kind === "game_rolled_back")) merged = pruneRolledBack(merged);
  return merged.length > EVENT_MEMORY ? merged.slice(merged.length - EVENT_MEMORY) : merged;
}

/** After a rollback to round R, what happened in round R and later (before it) is undone:
 * the feed and the conversations forget it, as the game did. */
export function pruneRolledBack(events) {
  let kept = events;
  for (const rollback of events.filter((e) => e.kind === "game_rolled_back")) {
    kept = kept.filter((e) => e.seq >= rollback.seq || e.round < rollback.round);
  }
  return kept;
}

/** The store's state in a component, re-rendered on every change. */
export function useStore(store) {
  const [state, setState] = useState(store ? store.state : emptyState());
  useEffect(() => {
    if (!store) return undefined;
    setState(store.state);
    return store.subscribe(setState);
  }, [store]);
  return state;
}
