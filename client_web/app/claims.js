// The article's claims that this game showed, each tied to the moment it happened. The server
// reads them from the game (game_rules/debrief.py: the export's `claims`, each a claim, a round
// and its facts); this module tells each in the reader's language, with names, never ids.
import { t, formatNumber } from "./i18n.js";
import { allianceName, pledgeText, provisionName, seatName, venueName, wording } from "./describe.js";

function names(view, ids) {
  return (ids || []).map((id) => seatName(view, id)).join(", ") || "–";
}

/** One claim's facts as a sentence. */
function sentence(view, claim, round, f) {
  switch (claim) {
    case "horse_trading":
      if (f.broken_by) return t("claim.horse_trading.broken", { seat: seatName(view, f.broken_by) });
      return t("claim.horse_trading.sentence", {
        sender: seatName(view, f.sender), recipient: seatName(view, f.recipient),
        pledges: (f.pledges || []).map((p) => pledgeText(view, p)).join("; "),
      });
    case "spoiling":
      if (f.event === "amendment_blocked") {
        return t("claim.spoiling.blocked", { provision: provisionName(view, f.provision), proposer: seatName(view, f.proposer) });
      }
      return t("claim.spoiling.sentence", { seat: seatName(view, f.seat), mode: t(`spoil.${f.mode}`) });
    case "linked_ecologies":
      return t("claim.linked_ecologies.sentence", { alliance: allianceName(view, f.alliance), span: f.span });
    case "revolving_doors":
      return t("claim.revolving_doors.sentence", { seat: seatName(view, f.seat), to: seatName(view, f.to) });
    case "trial_balloons":
      return t(f.free ? "claim.trial_balloons.free" : "claim.trial_balloons.paid", {
        seat: seatName(view, f.seat), provision: provisionName(view, f.provision), wording: wording(view, f.provision, f.level),
      });
    case "panels":
      return t("claim.panels.sentence", { alliance: allianceName(view, f.alliance), seats: names(view, f.seats), span: f.span });
    case "consultations": {
      const held = t("claim.consultations.sentence", {
        venue: venueName(view, f.venue), hosts: names(view, f.hosts), blocs: names(view, f.blocs), ownership: formatNumber(f.ownership || 0),
      });
      if (f.vote_round === undefined) return held;
      const lost = formatNumber(f.lost_to_politicisation || 0);
      const after = f.shielded?.length
        ? t("claim.consultations.shielded", { round: f.vote_round, blocs: names(view, f.shielded), lost })
        : t("claim.consultations.not_shielded", { round: f.vote_round, lost });
      return `${held} ${after}`;
    }
    case "funding":
      if (f.event === "pooled_fund") return t("claim.funding.pooled", { seat: seatName(view, f.seat), amount: f.amount });
      return t("claim.funding.sentence", {
        donor: seatName(view, f.donor), recipient: seatName(view, f.recipient), amount: f.amount, purpose: t(`purpose.${f.purpose}`),
      });
    case "ripeness":
      if (f.vote_unripe) return t("claim.ripeness.unripe", { round, ripeness: formatNumber(f.ripeness || 0) });
      return t("claim.ripeness.sentence", { performer: seatName(view, f.performer), ripeness: formatNumber(f.ripeness || 0) });
    case "watering_down":
      return t("claim.watering_down.sentence", { provision: provisionName(view, f.provision), wording: wording(view, f.provision, f.level) });
    case "legitimacy": {
      const owned = Object.entries(f.ownership || {}).sort((a, b) => a[1] - b[1]);
      const least = owned[0];
      return t("claim.legitimacy.sentence", {
        legitimacy: formatNumber(f.legitimacy || 0),
        bloc: least ? seatName(view, least[0]) : "–",
        ownership: least ? formatNumber(least[1], 0) : "–",
      });
    }
    case "skin_deep":
      return t("claim.skin_deep.sentence", { depth: formatNumber(f.depth || 0), funds: formatNumber(f.pooled_fund || 0) });
    default:
      return "";
  }
}

/** The export's claims as [{claim, round, sentence}], in the order the game showed them. */
export function claimsShown(view, claims) {
  return (claims || [])
    .map((c) => ({ claim: c.claim, round: c.round, sentence: sentence(view, c.claim, c.round, c.facts || {}) }))
    .filter((c) => c.sentence);
}
