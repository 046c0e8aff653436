// Facts the screens derive from the store: who sits where, who talked to whom, whether the
// clock is paused. The view carries the clock and the room (who holds each seat); the
// facilitator's game endpoint adds the codes.

/** Is the game paused? The view's clock says so. */
export function isPaused(state) {
  return Boolean(state.view?.clock?.paused);
}

/** Every message the viewer has seen: the view's windows (public `messages`, the seat's
 * `private_messages`) merged with the message events, each with `by`, the player who wrote
 * it (from its event: team-mates sharing a seat are told apart). */
export function messages(state) {
  const byNumber = new Map();
  for (const event of state.events) {
    if (event.kind === "message" && event.detail) {
      const d = event.detail;
      byNumber.set(d.number, { number: d.number, round: event.round, sender: d.sender, to: d.to, text: d.text, by: event.by || "" });
    }
  }
  for (const m of [...(state.view?.messages || []), ...(state.view?.private_messages || [])]) {
    byNumber.set(m.number, { by: "", ...byNumber.get(m.number), ...m });
  }
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

/** The conversation a message belongs to, from the viewer's side ("public", "alliance:x" or a seat). */
export function conversationOf(message, me) {
  if (message.to === "public" || message.to.startsWith("alliance:")) return message.to;
  if (!me) return [message.sender, message.to].sort().join("|");
  return message.sender === me ? message.to : message.sender;
}

/** Per seat: messages sent, orders submitted and offers made, counted from the events held. */
export function participation(state) {
  const tally = {};
  const bump = (seat, key) => {
    if (!seat) return;
    tally[seat] = tally[seat] || { messages: 0, orders: 0, offers: 0, actions: 0 };
    tally[seat][key] += 1;
    tally[seat].actions += 1;
  };
  for (const event of state.events) {
    const d = event.detail || {};
    if (event.kind === "message") bump(d.sender, "messages");
    else if (event.kind === "order_submitted") bump(event.audience?.[0], "orders");
    else if (event.kind === "offer_made") bump(d.sender, "offers");
  }
  return tally;
}

/** The seats with what is known about them: the view's (with its live `room`: who holds each
 * seat, who is online, which bot plays) and the game endpoint's (codes). */
export function seatRows(view, game, local) {
  const fromGame = new Map((game?.seats || []).map((s) => [s.id, s]));
  const room = view?.room?.seats || {};
  return (view?.seats || game?.seats || []).map((seat) => {
    const info = fromGame.get(seat.id) || {};
    const inRoom = room[seat.id] || info;
    return {
      id: seat.id,
      name: seat.name,
      kind: seat.kind,
      bloc: seat.bloc,
      done: Boolean(seat.done),
      code: info.code || local?.codes?.[seat.id] || "",
      bot: inRoom.bot ?? info.bot ?? "",
      players: inRoom.players || [],
      online: inRoom.online ?? null,
    };
  });
}
