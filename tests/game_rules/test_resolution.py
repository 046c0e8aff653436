"""Resolution: every step of the fixed order, from funding to calls, one behaviour at a time."""

from __future__ import annotations

import pytest

from game_rules import FACILITATOR, Applied, GameState, Order, Scenario, apply, view
from game_rules.actions import (
    AcceptOffer,
    CallVote,
    ClosePhase,
    CommissionStudy,
    ConvenePanel,
    Grant,
    HostConsultation,
    Lobby,
    MakeOffer,
    PledgePooledFund,
    ProposeAmendment,
    SecondStaff,
    Spoil,
    SubmitOrder,
    TableDraft,
    Terms,
    TrialBalloon,
)
from game_rules.events import Event
from tests.conftest import allied, close, ok, refused, started

Orders = dict[str, list[Order]]


def resolve(scenario: Scenario, state: GameState, orders: Orders) -> tuple[GameState, tuple[Event, ...]]:
    """From the negotiation phase: submit the orders, close the act phase, return what followed."""
    state = close(scenario, state)
    assert state.phase == "act"
    for seat, given in orders.items():
        for order in given:
            state = ok(scenario, state, seat, SubmitOrder(order=order))
    result = apply(scenario, state, FACILITATOR, ClosePhase())
    assert isinstance(result, Applied), result
    return result.state, result.events


def play(scenario: Scenario, state: GameState, orders: Orders) -> GameState:
    return resolve(scenario, state, orders)[0]


def of_kind(events: tuple[Event, ...], kind: str) -> list[Event]:
    return [e for e in events if e.kind == kind]


# --- funding ----------------------------------------------------------------------------


def test_an_unused_grant_returns_to_the_donor_at_the_end_of_the_next_round(calm: Scenario) -> None:
    state = play(calm, started(calm), {"norway": [Grant(to="nupi", amount=5, purpose="study")]})
    assert (state.seats["norway"].funds, state.seats["nupi"].funds) == (19, 9)  # not returned after one round
    state = play(calm, state, {})
    assert (state.seats["norway"].funds, state.seats["nupi"].funds) == (24, 4)
    assert state.seats["nupi"].earmarks == {}


def test_a_grant_spent_on_something_else_is_still_returned(calm: Scenario) -> None:
    state = play(calm, started(calm), {"norway": [Grant(to="nupi", amount=5, purpose="consultation")]})
    state = play(calm, state, {"nupi": [CommissionStudy(performer="dpko", funds=4)]})
    assert state.seats["norway"].funds == 24
    assert state.seats["nupi"].funds == 0


def test_pooled_fund_pledges_move_funds_into_the_pool(calm: Scenario) -> None:
    state, events = resolve(calm, started(calm), {"norway": [PledgePooledFund(10)], "china": [PledgePooledFund(3)]})
    assert state.pooled_fund == 13
    assert (state.seats["norway"].funds, state.seats["china"].funds) == (14, 7)
    assert len(of_kind(events, "pooled_fund")) == 2


def test_secondment_creates_a_link_and_moves_expertise_and_funds(calm: Scenario) -> None:
    assert not started(calm).are_linked("norway", "china")
    state, events = resolve(calm, started(calm), {"norway": [SecondStaff(to="china")]})
    assert state.are_linked("norway", "china")
    cost, moved = calm.rules.second_cost_funds, calm.rules.second_expertise
    assert (state.seats["norway"].funds, state.seats["china"].funds) == (24 - cost, 10 + cost)
    assert (state.seats["norway"].expertise, state.seats["china"].expertise) == (2 - moved, 1 + moved)
    assert len(of_kind(events, "secondment")) == 1


def test_secondment_gives_the_host_an_extra_staff_member_next_round(calm: Scenario) -> None:
    state = close(calm, play(calm, started(calm), {"norway": [SecondStaff(to="china")]}))
    assert (state.round, state.phase) == (2, "act")
    staff = calm.seat("china").staff
    for bloc in ("african", "weog", "eeg")[: staff + 1]:
        state = ok(calm, state, "china", SubmitOrder(order=Lobby(target=bloc)))
    assert len(state.seats["china"].orders) == staff + 1


# --- studies and panels -----------------------------------------------------------------


def test_a_study_pays_the_performer_gives_expertise_and_raises_ripeness(calm: Scenario) -> None:
    r = calm.rules
    baseline = play(calm, started(calm), {})
    state, events = resolve(calm, started(calm), {"norway": [CommissionStudy(performer="nupi", funds=4)]})
    assert state.seats["norway"].expertise == 2 + r.study_expertise + 4 // r.study_funds_per_extra_expertise
    assert (state.seats["norway"].funds, state.seats["nupi"].funds) == (20, 8)
    boost = r.study_ripeness * calm.seat("nupi").resources.credibility / 100
    assert of_kind(events, "study")[0].detail["ripeness"] == pytest.approx(boost)
    assert state.ripeness_boost - baseline.ripeness_boost == pytest.approx(boost * (1 - r.ripeness_boost_decay))


def test_a_panel_of_three_kinds_raises_ripeness_and_expertise(calm: Scenario) -> None:
    r = calm.rules
    state, alliance = allied(calm, started(calm), "norway", "dpko", "msf")
    seats = ("norway", "dpko", "msf")
    before = {s: (state.seats[s].funds, state.seats[s].expertise) for s in seats}
    baseline = play(calm, state, {})
    panel = ConvenePanel(alliance=alliance)
    state, events = resolve(calm, state, {seat: [panel] for seat in seats})
    assert [e.detail["span"] for e in of_kind(events, "panel")] == [3]
    for seat, (funds, expertise) in before.items():
        assert state.seats[seat].expertise == expertise + r.panel_expertise
        assert state.seats[seat].funds == funds - r.panel_cost_funds // 3  # split evenly, no links
    gained = state.ripeness_boost - baseline.ripeness_boost
    assert gained == pytest.approx(r.panel_ripeness * (1 - r.ripeness_boost_decay))


def test_links_among_panel_members_make_the_panel_cheaper(calm: Scenario) -> None:
    state, alliance = allied(calm, started(calm), "norway", "dpko", "nupi")
    state = ok(calm, state, "norway", MakeOffer(to="nupi", gives=Terms(funds=4), gets=Terms()))
    (offer_id,) = state.offers
    state = ok(calm, state, "nupi", AcceptOffer(offer=offer_id))
    seats = ("norway", "dpko", "nupi")
    assert sum(state.are_linked(a, b) for a in seats for b in seats if a < b) == 2
    funds = sum(state.seats[s].funds for s in seats)
    panel = ConvenePanel(alliance=alliance)
    state, events = resolve(calm, state, {seat: [panel] for seat in seats})
    assert len(of_kind(events, "panel")) == 1
    assert 0 < funds - sum(state.seats[s].funds for s in seats) < calm.rules.panel_cost_funds


def test_a_panel_of_two_kinds_fails_and_costs_nothing(calm: Scenario) -> None:
    state, alliance = allied(calm, started(calm), "norway", "china", "msf")
    before = {s: (state.seats[s].funds, state.seats[s].expertise) for s in calm.seat_ids}
    panel = ConvenePanel(alliance=alliance)
    state, events = resolve(calm, state, {"norway": [panel], "china": [panel], "msf": [panel]})
    assert [e.detail["span"] for e in of_kind(events, "panel_failed")] == [2]
    assert of_kind(events, "panel") == []
    assert {s: (state.seats[s].funds, state.seats[s].expertise) for s in calm.seat_ids} == before


def test_a_panel_counts_only_the_members_who_convene(calm: Scenario) -> None:
    state, alliance = allied(calm, started(calm), "norway", "dpko", "msf")
    panel = ConvenePanel(alliance=alliance)
    _, events = resolve(calm, state, {"norway": [panel], "msf": [panel]})
    assert len(of_kind(events, "panel_failed")) == 1
    assert of_kind(events, "panel") == []


# --- consultations ----------------------------------------------------------------------


def test_consultation_raises_ownership_in_the_venues_blocs_only(calm: Scenario) -> None:
    start = started(calm)
    state = play(calm, start, {"norway": [HostConsultation(venue="addis_ababa")]})
    assert state.blocs["african"].ownership > start.blocs["african"].ownership
    assert state.constituencies["host_populations"] > start.constituencies["host_populations"]
    for bloc in ("asia_pacific", "grulac", "weog", "eeg"):
        assert state.blocs[bloc].ownership == start.blocs[bloc].ownership
    assert state.constituencies["humanitarian"] == start.constituencies["humanitarian"]
    assert state.seats["norway"].funds == 24 - calm.rules.consultation_cost_funds


def test_co_hosting_members_of_one_alliance_split_the_cost(calm: Scenario) -> None:
    state, alliance = allied(calm, started(calm), "china", "dpko")
    order = HostConsultation(venue="addis_ababa", alliance=alliance)
    state, events = resolve(calm, state, {"china": [order], "dpko": [order]})
    half = calm.rules.consultation_cost_funds // 2
    assert (state.seats["china"].funds, state.seats["dpko"].funds) == (10 - half, 8 - half)
    (consultation,) = of_kind(events, "consultation")
    assert sorted(consultation.detail["hosts"]) == ["china", "dpko"]


def test_a_wider_span_of_co_hosts_builds_more_ownership(calm: Scenario) -> None:
    def gain(partner: str) -> float:
        state, alliance = allied(calm, started(calm), "china", partner)
        order = HostConsultation(venue="addis_ababa", alliance=alliance)
        after = play(calm, state, {"china": [order], partner: [order]})
        return after.blocs["african"].ownership - state.blocs["african"].ownership

    # South Africa (a state, credibility 65) against DPKO (an agency, credibility 60): the
    # agency's lower credibility would give less; only the second kind can give more.
    assert gain("dpko") > gain("south_africa") > 0


# --- trial balloons ---------------------------------------------------------------------


@pytest.mark.parametrize("seat", ["nupi", "msf"])
def test_think_tanks_and_ngos_float_ideas_without_credibility_cost(calm: Scenario, seat: str) -> None:
    state, events = resolve(calm, started(calm), {seat: [TrialBalloon(provision="authority", level=0)]})
    (balloon,) = of_kind(events, "trial_balloon")
    assert any(v < 0 for v in balloon.detail["reactions"].values())
    assert state.seats[seat].credibility == calm.seat(seat).resources.credibility


@pytest.mark.parametrize("seat", ["dpko", "china"])
def test_states_and_agencies_lose_credibility_per_bloc_that_dislikes_the_idea(calm: Scenario, seat: str) -> None:
    state, events = resolve(calm, started(calm), {seat: [TrialBalloon(provision="authority", level=0)]})
    (balloon,) = of_kind(events, "trial_balloon")
    displeased = sum(1 for v in balloon.detail["reactions"].values() if v < 0)
    assert displeased > 0
    lost = calm.seat(seat).resources.credibility - state.seats[seat].credibility
    assert lost == displeased * calm.rules.trial_balloon_credibility


def test_trial_balloon_reactions_are_seen_by_the_floater_and_its_alliance_only(calm: Scenario) -> None:
    state, _ = allied(calm, started(calm), "nupi", "norway")
    state, events = resolve(calm, state, {"nupi": [TrialBalloon(provision="authority", level=3)]})
    (balloon,) = of_kind(events, "trial_balloon")
    assert set(balloon.audience) == {"nupi", "norway"}
    seeing = {seat for seat in calm.seat_ids if view(calm, state, seat)["soundings"]}
    assert seeing == {"nupi", "norway"}
    assert "soundings" not in view(calm, state, "spectator")


# --- lobbying ---------------------------------------------------------------------------


def test_lobbying_adds_goodwill_and_politicises_only_blocs_with_low_ownership(calm: Scenario) -> None:
    pivot = calm.rules.politicisation_ownership_pivot
    assert calm.bloc("african").ownership < pivot <= calm.bloc("weog").ownership
    state = play(calm, started(calm), {"norway": [Lobby(target="african"), Lobby(target="weog")]})
    assert state.blocs["african"].goodwill > 0 and state.blocs["weog"].goodwill > 0
    assert state.blocs["african"].politicisation > 0
    assert state.blocs["weog"].politicisation == 0
    assert all(state.blocs[b].goodwill == 0 for b in ("asia_pacific", "grulac", "eeg"))


# --- tabling and amendments -------------------------------------------------------------


def test_tabling_opens_formal_consideration_with_the_tabler_as_sponsor(calm: Scenario) -> None:
    state, events = resolve(calm, started(calm), {"norway": [TableDraft()]})
    assert state.tabled and state.sponsors == ["norway"]
    assert len(of_kind(events, "draft_tabled")) == 1
    spec = calm.seat("norway")
    assert state.seats["norway"].capital == spec.resources.capital - calm.rules.table_cost_capital + spec.capital_regen


def test_an_amendment_moves_one_level_and_the_history_records_who(calm: Scenario) -> None:
    state = play(calm, started(calm), {"south_africa": [ProposeAmendment(provision="humanitarian_space", direction=1)]})
    assert state.levels["humanitarian_space"] == 2
    (change,) = state.draft_history
    assert (change.seat, change.provision, change.before, change.after, change.via) == (
        "south_africa",
        "humanitarian_space",
        1,
        2,
        "amendment",
    )


def test_two_amendments_in_the_same_direction_still_move_one_level(calm: Scenario) -> None:
    up = ProposeAmendment(provision="authority", direction=1)
    state = play(calm, started(calm), {"norway": [up], "dpko": [up]})
    assert state.levels["authority"] == 2
    assert len(state.draft_history) == 1 and state.draft_history[0].seat in {"norway", "dpko"}


# --- spoiling ---------------------------------------------------------------------------


def test_water_down_lowers_a_provision_through_the_hq_loop(calm: Scenario) -> None:
    state = play(calm, started(calm), {"dpko": [Spoil(mode="water_down", provision="humanitarian_space")]})
    assert state.levels["humanitarian_space"] == 0
    assert [(c.seat, c.before, c.after, c.via) for c in state.draft_history] == [("dpko", 1, 0, "hq_loop")]


def test_delay_vote_postpones_a_called_vote_by_one_round(calm: Scenario) -> None:
    state = play(calm, started(calm), {"norway": [TableDraft()]})
    state, events = resolve(calm, state, {"norway": [CallVote()], "dpko": [Spoil(mode="delay_vote")]})
    assert len(of_kind(events, "vote_delayed")) == 1
    assert (state.round, state.phase) == (3, "negotiate")  # no vote in round 2
    state, events = resolve(calm, state, {})
    assert (state.round, state.phase) == (3, "vote")
    assert len(of_kind(events, "vote_called")) == 1


def test_exposed_spoilers_lose_credibility_and_unexposed_ones_do_not(calm: Scenario) -> None:
    r = calm.rules
    chance = r.spoil_exposure_base + r.spoil_exposure_per_link * len(started(calm).links_of("dpko"))
    outcomes = set()
    for seed in range(1, 40):
        state = play(calm, started(calm, seed), {"dpko": [Spoil(mode="water_down", provision="authority")]})
        (record,) = state.spoils
        assert record.exposed == (record.draw < chance)
        lost = calm.seat("dpko").resources.credibility - state.seats["dpko"].credibility
        assert lost == (r.spoil_exposure_credibility if record.exposed else 0)
        outcomes.add(record.exposed)
    assert outcomes == {True, False}


def test_more_links_make_exposure_likelier(calm: Scenario) -> None:
    exposed = {}
    for seat in ("china", "dpko"):  # no link, one link
        hits = 0
        for seed in range(1, 201):
            state = play(calm, started(calm, seed), {seat: [Spoil(mode="delay_vote")]})
            hits += state.spoils[0].exposed
        exposed[seat] = hits
    assert exposed["dpko"] > exposed["china"]


# --- calls ------------------------------------------------------------------------------


def test_tabling_and_calling_in_one_round_leads_to_a_vote(calm: Scenario) -> None:
    state, events = resolve(calm, started(calm), {"norway": [TableDraft(), CallVote()]})
    assert state.phase == "vote"
    assert [e.detail["by"] for e in of_kind(events, "vote_called")] == ["norway"]


def test_only_a_sponsor_of_the_tabled_draft_can_call_the_vote(calm: Scenario) -> None:
    state = close(calm, play(calm, started(calm), {"norway": [TableDraft()]}))
    assert refused(calm, state, "china", SubmitOrder(order=CallVote())).code == "not_a_sponsor"
    state = ok(calm, state, "china", SubmitOrder(order=TableDraft()))  # co-sponsoring opens the door
    state = ok(calm, state, "china", SubmitOrder(order=CallVote()))
    state = close(calm, state)
    assert state.phase == "vote"
    assert state.sponsors == ["norway", "china"]
