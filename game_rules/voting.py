"""The formal session: ballots, the blocs' shares, the scenario's decision rule, and the final
vote that settles the side issues and brings pledges due."""

from __future__ import annotations

import math

from game_rules.actions import CastVote, Choice
from game_rules.events import Event
from game_rules.rejections import Rejected, reject
from game_rules.scenario import Bloc, Scenario
from game_rules.state import GameState, PledgeRecord, VoteCause, VoteRecord, replace
from game_rules.world import clamp, disposition, ripeness, yes_share

CHOICES: tuple[Choice, ...] = ("yes", "no", "abstain")


def voters(scenario: Scenario) -> list[str]:
    """Seats that vote: member states with a vote (on the Council, its members)."""
    if scenario.decision_rule == "security_council":
        return [s.id for s in scenario.seats if s.kind == "state" and s.council]
    return [s.id for s in scenario.seats if s.kind == "state" and s.votes]


def cast_vote(
    scenario: Scenario, state: GameState, seat: str, action: CastVote, events: list[Event]
) -> Rejected | None:
    if seat not in voters(scenario):
        return reject("not_a_voter", f"{scenario.seat(seat).name} has no vote in this session.")
    if action.draft not in CHOICES:
        return reject("invalid_choice", "Vote yes, no or abstain.")
    for issue, choice in action.side_issues.items():
        if issue not in {s.id for s in scenario.side_issues}:
            return reject("unknown_side_issue", f"There is no side issue {issue!r}.")
        if choice not in CHOICES:
            return reject("invalid_choice", f"Vote yes, no or abstain on {issue}.")
    live = state.seats[seat]
    live.ballot = action.draft
    live.side_ballots = dict(action.side_issues)
    live.done = True
    events.append(
        Event(
            kind="ballot_cast",
            round=state.round,
            text=f"{scenario.seat(seat).name} has voted.",
            detail={"seat": seat},
        )
    )
    return None


def _bloc_shares(scenario: Scenario, state: GameState) -> tuple[dict[str, float], float]:
    """Each bloc's yes share, and the votes politicisation cost compared with none at all."""
    shares: dict[str, float] = {}
    lost = 0.0
    for bloc in scenario.blocs:
        share = yes_share(scenario, disposition(scenario, state, bloc.id))
        calm = yes_share(scenario, disposition(scenario, state, bloc.id, politicisation=0.0))
        shares[bloc.id] = round(share, 6)
        lost += (calm - share) * bloc_weight(scenario, bloc)
    return shares, round(lost, 6)


def bloc_weight(scenario: Scenario, bloc: Bloc) -> int:
    """The votes a bloc casts in the deciding body: its council seats in the Security Council,
    its members elsewhere."""
    return bloc.council_seats if scenario.decision_rule == "security_council" else bloc.votes


def council_yes(council_seats: int, share: float) -> int:
    """A bloc's yes votes on the Council: its seats times its share, halves rounded up (a
    member is either for or against; Python's round() would send half of the halves down)."""
    return math.floor(council_seats * share + 0.5)


def _cause(rule: str, ripe: bool, passed: bool, vetoes: tuple[str, ...], objections: tuple[str, ...]) -> VoteCause:
    """Why a vote ended as it did: the window first (nothing passes below it), then a veto, an
    objection under consensus, or too few yes."""
    if passed and ripe:
        return "adopted"
    if not ripe:
        return "unripe"
    if vetoes:
        return "vetoed"
    if rule == "consensus" and objections:
        return "objection"
    return "short"


def hold_vote(scenario: Scenario, state: GameState, events: list[Event]) -> VoteRecord:
    """Count the ballots and the blocs' shares and record the vote. A failed vote costs its
    caller credibility and every bloc some patience; pledges and side issues wait for the
    final vote (`close_session`)."""
    ballots: dict[str, str] = {s: state.seats[s].ballot or "abstain" for s in voters(scenario)}
    shares, lost = _bloc_shares(scenario, state)
    rule = scenario.decision_rule
    yes = float(sum(1 for c in ballots.values() if c == "yes"))
    no = float(sum(1 for c in ballots.values() if c == "no"))
    abstain = float(sum(1 for c in ballots.values() if c == "abstain"))
    objections = tuple(s for s, c in ballots.items() if c == "no")
    vetoes = tuple(s for s in objections if scenario.seat(s).veto) if rule == "security_council" else ()
    if rule == "security_council":
        for bloc in scenario.blocs:
            bloc_yes = council_yes(bloc.council_seats, shares[bloc.id])
            yes += bloc_yes
            no += bloc.council_seats - bloc_yes
        passed = yes >= scenario.rules.council_majority and not vetoes
    else:
        bloc_votes = sum(b.votes for b in scenario.blocs) or 1
        bloc_yes_votes = sum(b.votes * shares[b.id] for b in scenario.blocs)
        yes += bloc_yes_votes
        no += bloc_votes - bloc_yes_votes
        if rule == "consensus":
            passed = not objections and bloc_yes_votes / bloc_votes >= scenario.rules.consensus_threshold
        else:
            passed = yes * 3 >= 2 * (yes + no)
    current = ripeness(scenario, state)
    ripe = current >= scenario.ripeness_threshold
    record = VoteRecord(
        round=state.round,
        rule=rule,
        ripeness=round(current, 6),
        ripe=ripe,
        yes=round(yes, 6),
        no=round(no, 6),
        abstain=abstain,
        objections=objections,
        vetoes=vetoes,
        seat_ballots=ballots,
        bloc_yes_share=shares,
        lost_to_politicisation=lost,
        adopted=passed and ripe,
        cause=_cause(rule, ripe, passed, vetoes, objections),
        caller=state.vote_called_by,
        side_ballots={s: dict(state.seats[s].side_ballots) for s in ballots},
        levels=dict(state.levels),
    )
    state.votes.append(record)
    credibility_lost = 0 if record.adopted else _charge_failure(scenario, state, record.caller)
    verdict = "ADOPTED" if record.adopted else "NOT ADOPTED"
    why = {
        "adopted": "",
        "unripe": " (the time was not ripe: the window had not opened)",
        "vetoed": f" (vetoed by {', '.join(scenario.seat(s).name for s in vetoes)})",
        "objection": f" ({', '.join(scenario.seat(s).name for s in objections)} objected)",
        "short": " (too few votes in favour)",
    }[record.cause]
    events.append(
        Event(
            kind="vote_result",
            round=state.round,
            text=f"The draft was {verdict}: {yes:.1f} yes, {no:.1f} no, {abstain:.0f} abstaining{why}.",
            detail={
                "adopted": record.adopted,
                "cause": record.cause,
                "yes": record.yes,
                "no": record.no,
                "abstain": record.abstain,
                "objections": list(objections),
                "vetoes": list(vetoes),
                "ripe": ripe,
                "lost_to_politicisation": lost,
                "caller": record.caller,
                "credibility_lost": credibility_lost,
            },
        )
    )
    state.bulletins.append(events[-1].text)
    return record


def _charge_failure(scenario: Scenario, state: GameState, caller: str) -> int:
    """What a failed vote costs: the caller's credibility, and every bloc's patience."""
    rules = scenario.rules
    lost = 0
    if caller in state.seats:
        live = state.seats[caller]
        lost = min(live.credibility, rules.failed_vote_credibility)
        live.credibility -= lost
    for live_bloc in state.blocs.values():
        live_bloc.goodwill -= rules.failed_vote_goodwill
    return lost


def is_reconsideration(state: GameState) -> bool:
    """Whether calling the vote now would put the very text that was last rejected back to
    the vote: a rejected proposal is not reconsidered unchanged at the same session (rule 81
    of the General Assembly's rules of procedure)."""
    return bool(state.votes) and not state.votes[-1].adopted and state.votes[-1].levels == state.levels


def close_session(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    """The session ends with the game: the final vote (the adopting one, or the last held)
    decides the side issues with the blocs, and vote and side-issue pledges come due."""
    final = state.votes[-1] if state.votes else None
    side_ballots = final.side_ballots if final else {}
    for seat, choices in side_ballots.items():
        bloc = scenario.seat(seat).bloc
        for issue, choice in choices.items():
            if bloc and choice != "abstain" and issue in state.side_leans:
                pull = scenario.rules.side_issue_seat_pull * (1 if choice == "yes" else -1)
                state.side_leans[issue][bloc] = clamp(state.side_leans[issue][bloc] + pull)
    _side_issues(scenario, state, side_ballots, events)
    for index, record in pending_pledges(state, "vote"):
        if final is None:
            state.pledges[index] = replace(record, status="lapsed")
        elif final.seat_ballots.get(record.pledger, "abstain") == record.pledge.value:
            keep_pledge(state, index)
        else:
            break_pledge(scenario, state, index, events, f"promised to vote {record.pledge.value}")
    for index, record in pending_pledges(state, "side_issue"):
        cast = side_ballots.get(record.pledger, {}).get(record.pledge.target, "abstain")
        if final is None:
            state.pledges[index] = replace(record, status="lapsed")
        elif cast == record.pledge.value:
            keep_pledge(state, index)
        else:
            break_pledge(scenario, state, index, events, f"promised {record.pledge.value} on {record.pledge.target}")


def side_issue_outlook(scenario: Scenario, leans: dict[str, dict[str, float]]) -> dict[str, bool]:
    """How each side issue would go on the blocs' leans alone, before any seat votes."""
    outlook = {}
    for issue in scenario.side_issues:
        yes = sum(bloc_weight(scenario, b) * leans[issue.id][b.id] / 100.0 for b in scenario.blocs)
        outlook[issue.id] = yes > sum(bloc_weight(scenario, b) for b in scenario.blocs) - yes
    return outlook


def _side_issues(
    scenario: Scenario, state: GameState, side_ballots: dict[str, dict[str, str]], events: list[Event]
) -> None:
    for issue in scenario.side_issues:
        yes = no = 0.0
        for choices in side_ballots.values():
            choice = choices.get(issue.id, "abstain")
            yes += choice == "yes"
            no += choice == "no"
        for bloc in scenario.blocs:
            lean = state.side_leans[issue.id][bloc.id] / 100.0
            yes += bloc_weight(scenario, bloc) * lean
            no += bloc_weight(scenario, bloc) * (1 - lean)
        passed = yes > no
        state.side_issue_results[issue.id] = passed
        events.append(
            Event(
                kind="side_issue_result",
                round=state.round,
                text=f"Side issue “{issue.name}”: {'carried' if passed else 'rejected'} ({yes:.1f} to {no:.1f}).",
                detail={"issue": issue.id, "passed": passed, "yes": round(yes, 6), "no": round(no, 6)},
            )
        )
        state.bulletins.append(events[-1].text)


def break_pledge(scenario: Scenario, state: GameState, index: int, events: list[Event], what: str) -> None:
    """Mark a pledge broken: the breaker loses credibility and the other side is told."""
    record = state.pledges[index]
    state.pledges[index] = replace(record, status="broken")
    live = state.seats[record.pledger]
    loss = min(live.credibility, scenario.rules.pledge_break_credibility)
    live.credibility -= loss
    events.append(
        Event(
            kind="pledge_broken",
            round=state.round,
            text=f"{scenario.seat(record.pledger).name} broke a pledge ({what}) made in offer {record.offer}.",
            audience=(record.pledger, record.beneficiary),
            detail={"pledger": record.pledger, "offer": record.offer, "credibility_lost": loss},
        )
    )


def keep_pledge(state: GameState, index: int) -> None:
    state.pledges[index] = replace(state.pledges[index], status="kept")


def pending_pledges(state: GameState, kind: str) -> list[tuple[int, PledgeRecord]]:
    return [(i, p) for i, p in enumerate(state.pledges) if p.status == "pending" and p.pledge.kind == kind]
