// Reading the legal list (from `ask` -> `turn.legal`): composers offer only what is in it.

export function legalOf(legal, type) {
  return (legal || []).filter((entry) => entry.action.type === type);
}

export function findLegal(legal, type, match = () => true) {
  return (legal || []).find((entry) => entry.action.type === type && match(entry.action)) || null;
}

export function legalOrders(legal) {
  return (legal || []).filter((entry) => entry.action.type === "submit_order");
}

/** What a seat holds once its pending orders' reservations are set aside. */
export function available(you) {
  const r = you?.resources || {};
  const held = you?.reserved || {};
  return {
    capital: (r.capital || 0) - (held.capital || 0),
    funds: (r.funds || 0) - (held.funds || 0),
    expertise: (r.expertise || 0) - (held.expertise || 0),
    staff: (you?.staff || 0) - (you?.orders?.length || 0),
  };
}
