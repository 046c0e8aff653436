"""Norm Arena's rules engine: pure, deterministic, total.

A game is its scenario, its seed and its action log. The public surface:

    new_game(scenario, seed)                 -> GameState (in the lobby)
    apply(scenario, state, actor, action)    -> Applied(state, events) | Rejected(code, message)
    close_phase(scenario, state)             -> the same, when a deadline passes
    view(scenario, state, viewer)            -> what a seat, the facilitator or a spectator sees
    legal_actions(scenario, state, seat)     -> [LegalAction(action, cost)]
    scores(scenario, state), epilogue(...), legitimacy(...)

Nothing here knows about sockets, Redis, clocks or global randomness.
"""

from game_rules.actions import FACILITATOR, PUBLIC, Action, Order, SeatAction
from game_rules.codec import DecodeError, decode_action, from_plain, to_plain
from game_rules.engine import ABLATIONS, Applied, Result, apply, close_phase, new_game
from game_rules.events import Event
from game_rules.legal import LegalAction, legal_actions
from game_rules.rejections import Rejected
from game_rules.scenario import Scenario
from game_rules.scenario_mapping import scenario_from_mapping
from game_rules.scoring import ScoreCard, epilogue, scores
from game_rules.state import GameState
from game_rules.views import SPECTATOR, view, visible_events
from game_rules.world import legitimacy, ripeness

__all__ = [
    "ABLATIONS",
    "FACILITATOR",
    "PUBLIC",
    "SPECTATOR",
    "Action",
    "Applied",
    "DecodeError",
    "Event",
    "GameState",
    "LegalAction",
    "Order",
    "Rejected",
    "Result",
    "Scenario",
    "ScoreCard",
    "SeatAction",
    "apply",
    "close_phase",
    "decode_action",
    "epilogue",
    "from_plain",
    "legal_actions",
    "legitimacy",
    "new_game",
    "ripeness",
    "scenario_from_mapping",
    "scores",
    "to_plain",
    "view",
    "visible_events",
]
