"""What a game adds up to: the same counts from the engine's events and from their plain form
(a server's export), offers named by kind, votes by cause."""

from __future__ import annotations

from bots import parse_lineup
from game_rules import to_plain
from scenarios import load_scenario
from simulation.play import play_game
from simulation.tally import VOTE_CAUSES, format_tally, merge, offer_kind, tally_actions, tally_events


def test_an_offer_is_named_by_what_each_side_hands_over() -> None:
    pledge = {"kind": "vote", "target": "", "value": "yes"}
    assert offer_kind({"capital": 2, "pledges": []}, {"pledges": [pledge]}) == "capital for vote"
    assert offer_kind({"funds": 2, "expertise": 1, "pledges": []}, {"pledges": []}) == "funds+expertise for nothing"


def test_plain_events_and_actions_add_up_as_the_engines_do() -> None:
    scenario = load_scenario("classroom-quick")
    game = play_game(scenario, 5, parse_lineup("auto", scenario))
    plain_events = [to_plain(e) for e in game.events]
    plain_log = [(actor, to_plain(action)) for actor, action in game.log]
    assert tally_events(game.events) == tally_events(plain_events)
    assert tally_actions(game.log) == tally_actions(plain_log)
    counted = tally_events(game.events)
    assert sum(counted["votes_by_cause"].values()) == len(game.state.votes)
    assert counted["offers"] == sum(e.kind == "offer_made" for e in game.events) > 0
    broken = sum(p.status == "broken" for p in game.state.pledges)
    assert counted["pledges_broken"] == broken


def test_tallies_merge_by_summing_and_print_every_cause() -> None:
    one = {"votes_by_cause": {"adopted": 1}, "offers": 2, "offers_by_kind": {"capital for vote": 2}}
    two = {"votes_by_cause": {"adopted": 1, "short": 3}, "offers": 1, "offers_by_kind": {"capital for vote": 1}}
    total = merge([one, two])
    assert total == {
        "votes_by_cause": {"adopted": 2, "short": 3},
        "offers": 3,
        "offers_by_kind": {"capital for vote": 3},
    }
    text = "\n".join(format_tally(total, games=2))
    assert all(cause in text for cause in VOTE_CAUSES)
    assert "capital for vote" in text and "(100.0%)" in text


def test_a_tournament_summary_reports_votes_vetoes_pledges_and_offers() -> None:
    from arena_client.report import format_tournament, summarise_tournament
    from arena_client.runner import TournamentGame

    tally = {
        "votes_by_cause": {"vetoed": 1, "adopted": 1},
        "vetoes": {"china": 1},
        "pledges": 4,
        "pledges_broken": 1,
        "offers": 2,
        "offers_by_kind": {"capital for vote": 2},
    }
    game = TournamentGame(0, 1, "g", "adopted", 3, 50.0, {"norway": 60.0}, {"norway": "entrepreneur"}, tally)
    summary = summarise_tournament("classroom-quick", 1, [game, game])
    assert summary["votes_by_cause"] == {"vetoed": 2, "adopted": 2} and summary["vetoes"] == {"china": 2}
    text = format_tournament(summary)
    assert "vetoed 2" in text and "china 2" in text and "8 made, 2 broken (25.0%)" in text
    assert "capital for vote" in text
