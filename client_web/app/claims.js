// The article's claims that this game showed, each tied to the moment it happened. Read from
// the events (all of them, revealed, once the game is over) and the round records.
import { t, formatNumber } from "./i18n.js";
import { seatName, venueName, allianceName, provisionName, wording } from "./describe.js";

const KINDS_OF_SEAT_FOR_BALLOONS = new Set(["think_tank", "ngo"]);

export function claimsShown(view, events) {
  const claims = [];
  const seatKind = (id) => view.seats.find((s) => s.id === id)?.kind;
  const add = (claim, round, sentence) => claims.push({ claim, round, sentence });
  const votes = view.votes || view.state?.votes || [];
  for (const event of events) {
    const d = event.detail || {};
    switch (event.kind) {
      case "consultation": {
        const venue = view.venues.find((v) => v.id === d.venue);
        const blocs = (venue?.blocs || []).map((b) => seatName(view, b));
        const later = votes.find((v) => v.round >= event.round);
        const shield = later ? t("claim.consultation.vote", { round: later.round, lost: formatNumber(later.lost_to_politicisation) }) : "";
        add("consultation", event.round, `${t("claim.consultation.sentence", {
          venue: venueName(view, d.venue), hosts: (d.hosts || []).map((h) => seatName(view, h)).join(", "),
          blocs: blocs.join(", ") || "–", ownership: formatNumber(d.ownership || 0),
        })} ${shield}`.trim());
        break;
      }
      case "panel":
        add("panel", event.round, t("claim.panel.sentence", { alliance: allianceName(view, d.alliance), span: d.span }));
        break;
      case "alliance_joined":
        if ((d.span || 0) >= 3) add("alliance", event.round, t("claim.alliance.sentence", { alliance: allianceName(view, d.alliance), span: d.span }));
        break;
      case "secondment":
        add("revolving_door", event.round, t("claim.revolving_door.sentence", { seat: seatName(view, d.seat), to: seatName(view, d.to) }));
        break;
      case "trial_balloon":
        if (KINDS_OF_SEAT_FOR_BALLOONS.has(seatKind(d.seat))) {
          add("trial_balloon", event.round, t("claim.trial_balloon.sentence", { seat: seatName(view, d.seat), provision: provisionName(view, d.provision), wording: wording(view, d.provision, d.level) }));
        }
        break;
      case "watered_down":
        add("watered_down", event.round, t("claim.watered_down.sentence", { provision: provisionName(view, d.provision), wording: wording(view, d.provision, d.level) }));
        break;
      case "spoiler_exposed":
        add("spoiling", event.round, t("claim.spoiling.sentence", { seat: seatName(view, d.seat), mode: t(`spoil.${d.mode}`) }));
        break;
      case "grant":
        add("funding", event.round, t("claim.funding.sentence", { donor: seatName(view, d.donor), recipient: seatName(view, d.recipient), amount: d.amount, purpose: t(`purpose.${d.purpose}`) }));
        break;
      case "study":
        add("ripeness", event.round, t("claim.ripeness.sentence", { performer: seatName(view, d.performer), ripeness: formatNumber(d.ripeness || 0) }));
        break;
      default:
        break;
    }
  }
  for (const vote of votes) {
    if (!vote.ripe) add("window", vote.round, t("claim.window.sentence", { round: vote.round }));
    if (vote.lost_to_politicisation > 0.5) add("politicisation", vote.round, t("claim.politicisation.sentence", { lost: formatNumber(vote.lost_to_politicisation) }));
  }
  const ending = view.epilogue;
  if (ending && ending.depth < 40) add("skin_deep", view.round, t("claim.skin_deep.sentence", { depth: formatNumber(ending.depth) }));
  return claims.sort((a, b) => a.round - b.round);
}
