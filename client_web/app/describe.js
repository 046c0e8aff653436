// Sentences for people: events, actions, offers and orders told with names (never ids),
// from the catalogue, so the feed reads the same in every language.
import { t, has, formatNumber } from "./i18n.js";

export function seatName(view, id) {
  if (!id) return "";
  const seat = view?.seats?.find((s) => s.id === id);
  if (seat) return seat.name;
  const bloc = view?.blocs?.find((b) => b.id === id);
  return bloc ? bloc.name : id;
}

export function allianceName(view, id) {
  const alliance = view?.alliances?.find((a) => a.id === id);
  return alliance ? alliance.name : t("alliance.unknown");
}

export function provisionName(view, id) {
  return view?.draft?.provisions?.find((p) => p.id === id)?.name || id;
}

export function wording(view, provision, level) {
  return view?.draft?.provisions?.find((p) => p.id === provision)?.levels?.[level] ?? String(level);
}

export function venueName(view, id) {
  return view?.venues?.find((v) => v.id === id)?.name || id;
}

export function sideIssueName(view, id) {
  return view?.side_issues?.find((s) => s.id === id)?.name || id;
}

export function targetName(view, id) {
  return seatName(view, id);
}

/** Where a message went: everyone, an alliance's channel, or one seat. */
export function audienceName(view, to) {
  if (to === "public") return t("messages.public");
  if (to.startsWith("alliance:")) return allianceName(view, to.slice("alliance:".length));
  return seatName(view, to);
}

export function kindName(kind) {
  return t(`kind.${kind}`);
}

export function phaseName(phase) {
  return t(`phase.${phase || "lobby"}`);
}

function list(names) {
  if (names.length === 0) return t("common.nobody");
  try {
    return new Intl.ListFormat(document.documentElement.lang || "en", { type: "conjunction" }).format(names);
  } catch {
    return names.join(", ");
  }
}

/** One side of an offer, in words: "2 capital, 1 expertise and a yes vote". */
export function termsText(view, terms) {
  const parts = [];
  for (const resource of ["capital", "funds", "expertise"]) {
    if (terms?.[resource]) parts.push(t(`resource.amount.${resource}`, { count: terms[resource] }));
  }
  for (const pledge of terms?.pledges || []) parts.push(pledgeText(view, pledge));
  return parts.length ? list(parts) : t("offer.nothing");
}

export function pledgeText(view, pledge) {
  const params = {
    value: t(`choice.${pledge.value || "yes"}`),
    provision: provisionName(view, pledge.target),
    alliance: allianceName(view, pledge.target),
    issue: sideIssueName(view, pledge.target),
    direction: t(`direction.${pledge.value === "down" ? "down" : "up"}`),
  };
  return t(`pledge.${pledge.kind}`, params);
}

/** An order (submit_order's inner order) in words. */
export function orderText(view, order) {
  const p = {
    performer: seatName(view, order.performer),
    funds: order.funds,
    venue: venueName(view, order.venue),
    expertise: order.expertise || 0,
    alliance: order.alliance ? allianceName(view, order.alliance) : "",
    provision: provisionName(view, order.provision),
    level: order.level !== undefined ? wording(view, order.provision, order.level) : "",
    to: seatName(view, order.to),
    amount: order.amount,
    purpose: order.purpose ? t(`purpose.${order.purpose}`) : "",
    target: targetName(view, order.target),
    direction: order.direction > 0 ? t("direction.up") : t("direction.down"),
    mode: order.mode ? t(`spoil.${order.mode}`) : "",
  };
  let key = `order.${order.type}`;
  if (order.type === "host_consultation" && order.alliance) key = "order.host_consultation_joint";
  if (order.type === "host_consultation" && order.expertise) key += "_expertise";
  if (order.type === "spoil" && order.mode !== "delay_vote") key = "order.spoil_provision";
  return t(key, p);
}

/** Any seat action in words (the legal list's entries). */
export function actionText(view, action) {
  switch (action.type) {
    case "submit_order":
      return orderText(view, action.order);
    case "send_message":
      return t("action.send_message", { to: audienceName(view, action.to) });
    case "make_offer":
      return t("action.make_offer", {
        to: seatName(view, action.to),
        gives: termsText(view, action.gives),
        gets: termsText(view, action.gets),
      });
    case "found_alliance":
      return t("action.found_alliance", { name: action.name });
    case "invite_to_alliance":
      return t("action.invite_to_alliance", { seat: seatName(view, action.seat), alliance: allianceName(view, action.alliance) });
    case "join_alliance":
    case "leave_alliance":
      return t(`action.${action.type}`, { alliance: allianceName(view, action.alliance) });
    case "cast_vote":
      return t("action.cast_vote", { choice: t(`choice.${action.draft}`) });
    default:
      return has(`action.${action.type}`) ? t(`action.${action.type}`) : action.type;
  }
}

export function costText(cost) {
  const parts = [];
  for (const resource of ["staff", "capital", "funds", "expertise"]) {
    if (cost?.[resource]) parts.push(t(`resource.amount.${resource}`, { count: cost[resource] }));
  }
  return parts.length ? parts.join(" · ") : t("cost.free");
}

/** An event as a sentence with names; the server's own text when the catalogue has none. */
export function eventText(view, event, you) {
  const d = event.detail || {};
  const name = (id) => seatName(view, id);
  const p = { ...d };
  for (const key of ["seat", "sender", "recipient", "founder", "by", "donor", "performer", "pledger", "proposer", "to", "target"]) {
    if (typeof d[key] === "string") p[key] = key === "to" && event.kind === "message" ? audienceName(view, d.to) : name(d[key]);
  }
  if (d.alliance) p.alliance = d.name || allianceName(view, d.alliance);
  if (d.provision) p.provision = provisionName(view, d.provision);
  if (d.provision && d.level !== undefined) p.wording = wording(view, d.provision, d.level);
  if (d.venue) p.venue = venueName(view, d.venue);
  if (d.hosts) p.hosts = list(d.hosts.map(name));
  if (d.sponsors) p.sponsors = list(d.sponsors.map(name));
  if (d.seats) p.seats = list(d.seats.map(name));
  if (d.bloc) p.bloc = name(d.bloc);
  if (d.purpose) p.purpose = t(`purpose.${d.purpose}`);
  if (d.strategy) p.strategy = t(`strategy.${d.strategy}`);
  if (d.mode) p.mode = t(`spoil.${d.mode}`);
  if (d.phase) p.phase = phaseName(d.phase);
  if (d.outcome) p.outcome = t(`outcome.${d.outcome}`);
  if (d.issue) p.issue = sideIssueName(view, d.issue);
  if (typeof d.order === "string") p.order = t(`ordertype.${d.order}`);
  if (d.gives) p.gives = termsText(view, d.gives);
  if (d.gets) p.gets = termsText(view, d.gets);
  for (const key of ["yes", "no", "abstain", "ownership", "ripeness", "seconds"]) {
    if (typeof d[key] === "number") p[key] = formatNumber(d[key]);
  }
  let key = `event.${event.kind}`;
  if (event.kind === "vote_result") key = d.adopted ? "event.vote_result.adopted" : "event.vote_result.failed";
  if (event.kind === "side_issue_result") key = d.passed ? "event.side_issue_result.carried" : "event.side_issue_result.lost";
  if (event.kind === "offer_made" && you && d.recipient === you) key = "event.offer_made.to_you";
  if (event.kind === "scenario_event") return d.title ? `${d.title}: ${event.text.split(": ").slice(1).join(": ") || event.text}` : event.text;
  if (!has(key)) return event.text;
  return t(key, p);
}

/** Text written with hard line breaks (role sheets, briefs) as paragraphs: lines join, blank
 * lines and list items ("- ", "1. ") keep their breaks. */
export function reflow(text) {
  const lines = String(text || "").trim().split("\n");
  let out = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) out += "\n\n";
    else if (!out || out.endsWith("\n") || /^([-•*]|\d+\.)\s/.test(line)) out += (out && !out.endsWith("\n") ? "\n" : "") + line;
    else out += ` ${line}`;
  }
  return out.replace(/\n{3,}/g, "\n\n");
}
