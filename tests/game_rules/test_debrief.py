"""The debrief's reading of played games: the article's claims, tied to their moments."""

from __future__ import annotations

from bots import parse_lineup
from game_rules.debrief import CLAIMS, claims_shown
from scenarios import load_scenario
from simulation.play import play_game


def test_a_played_game_shows_the_article_s_claims_each_at_its_moment() -> None:
    scenario = load_scenario("integrated-missions")
    seen: dict[str, int] = {}
    for seed in (1, 2, 3):
        game = play_game(scenario, seed, parse_lineup("auto", scenario))
        claims = claims_shown(scenario, game.state, game.events)
        assert all(c.claim in CLAIMS and 0 <= c.round <= game.state.round for c in claims)
        assert [c.round for c in claims if c.claim != "ripeness"] == sorted(
            c.round for c in claims if c.claim != "ripeness"
        ), "claims come in the order the game showed them"
        for claim in claims:
            seen[claim.claim] = seen.get(claim.claim, 0) + 1
        ending = [c for c in claims if c.claim == "legitimacy"]
        assert len(ending) == 1 and set(ending[0].facts["ownership"]) == set(game.state.blocs)
    for name in ("consultations", "linked_ecologies", "legitimacy"):
        assert seen.get(name), f"three integrated-missions games should show {name}: {seen}"


def test_a_consultation_is_tied_to_the_next_vote_and_the_blocs_it_shielded() -> None:
    scenario = load_scenario("integrated-missions")
    for seed in range(1, 8):
        game = play_game(scenario, seed, parse_lineup("auto", scenario))
        consultations = [c for c in claims_shown(scenario, game.state, game.events) if c.claim == "consultations"]
        with_vote = [c for c in consultations if "vote_round" in c.facts]
        if not with_vote:
            continue
        for claim in with_vote:
            vote = next(v for v in game.state.votes if v.round == claim.facts["vote_round"])
            assert vote.round >= claim.round
            assert set(claim.facts["shielded"]) <= set(claim.facts["blocs"])
            record = next(r for r in game.state.history if r.round == vote.round)
            for bloc in claim.facts["shielded"]:
                assert record.blocs[bloc].politicisation < 1.0
        return
    raise AssertionError("no game of seven held a vote after a consultation")
