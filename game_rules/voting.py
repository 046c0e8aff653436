"""The formal session: ballots, the blocs' shares, the scenario's decision rule, side issues."""

from __future__ import annotations

from game_rules.actions import CastVote, Choice
from game_rules.events import Event
from game_rules.rejections import Rejected, reject
from game_rules.scenario import Scenario
from game_rules.state import GameState, PledgeRecord, VoteRecord, replace
from game_rules.world import disposition, ripeness, yes_share

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
        lost += (calm - share) * (bloc.council_seats if scenario.decision_rule == "security_council" else bloc.votes)
    return shares, round(lost, 6)


def hold_vote(scenario: Scenario, state: GameState, events: list[Event]) -> VoteRecord:
    """Count the ballots and the blocs' shares, settle side issues, and record the session."""
    ballots: dict[str, str] = {s: state.seats[s].ballot or "abstain" for s in voters(scenario)}
    shares, lost = _bloc_shares(scenario, state)
    rule = scenario.decision_rule
    yes = float(sum(1 for c in ballots.values() if c == "yes"))
    no = float(sum(1 for c in ballots.values() if c == "no"))
    abstain = float(sum(1 for c in ballots.values() if c == "abstain"))
    objections = tuple(s for s, c in ballots.items() if c == "no")
    vetoes = tuple(s for s in objections if scenario.seat(s).veto)
    if rule == "security_council":
        for bloc in scenario.blocs:
            council_yes = round(bloc.council_seats * shares[bloc.id])
            yes += council_yes
            no += bloc.council_seats - council_yes
        passed = yes >= scenario.rules.council_majority and not vetoes
    else:
        bloc_votes = sum(b.votes for b in scenario.blocs) or 1
        bloc_yes = sum(b.votes * shares[b.id] for b in scenario.blocs)
        yes += bloc_yes
        no += bloc_votes - bloc_yes
        if rule == "consensus":
            passed = not objections and bloc_yes / bloc_votes >= scenario.rules.consensus_threshold
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
    )
    state.votes.append(record)
    verdict = "ADOPTED" if record.adopted else "NOT ADOPTED"
    why = "" if ripe or not passed else " (the time was not ripe: the window had not opened)"
    events.append(
        Event(
            kind="vote_result",
            round=state.round,
            text=f"The draft was {verdict}: {yes:.1f} yes, {no:.1f} no, {abstain:.0f} abstaining{why}.",
            detail={
                "adopted": record.adopted,
                "yes": record.yes,
                "no": record.no,
                "abstain": record.abstain,
                "objections": list(objections),
                "vetoes": list(vetoes),
                "ripe": ripe,
                "lost_to_politicisation": lost,
            },
        )
    )
    state.bulletins.append(events[-1].text)
    _side_issues(scenario, state, events)
    _check_vote_pledges(scenario, state, events)
    return record


def _side_issues(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    for issue in scenario.side_issues:
        if issue.id in state.side_issue_results:
            continue
        yes = no = 0.0
        for seat in voters(scenario):
            choice = state.seats[seat].side_ballots.get(issue.id, "abstain")
            yes += choice == "yes"
            no += choice == "no"
        for bloc in scenario.blocs:
            lean = issue.bloc_lean.get(bloc.id, 50.0) / 100.0
            yes += bloc.votes * lean
            no += bloc.votes * (1 - lean)
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


def _check_vote_pledges(scenario: Scenario, state: GameState, events: list[Event]) -> None:
    for index, record in pending_pledges(state, "vote"):
        if state.seats[record.pledger].ballot is None and record.pledger not in voters(scenario):
            continue
        cast = state.seats[record.pledger].ballot or "abstain"
        if cast == record.pledge.value:
            keep_pledge(state, index)
        else:
            break_pledge(scenario, state, index, events, f"promised to vote {record.pledge.value}")
    for index, record in pending_pledges(state, "side_issue"):
        cast = state.seats[record.pledger].side_ballots.get(record.pledge.target, "abstain")
        if cast == record.pledge.value:
            keep_pledge(state, index)
        else:
            break_pledge(scenario, state, index, events, f"promised {record.pledge.value} on {record.pledge.target}")
