"""Norm Arena as a PettingZoo AEC environment: one seat acts at a time, on the engine alone.

Agents are the scenario's seat ids. Each turn the selected seat picks an index into its own
current `legal_actions` list (whose order the engine fixes): action i plays entry i. The
observation is a fixed-length float32 vector built only from the seat's own view, with a
mask of the indices that are legal now.

Turn order mirrors `simulation.play`: seats take turns in the scenario's seat order; within a
phase the turn passes to the next seat (wrapping around) that has a legal action, and a new
phase starts again from the first seat. When no seat has anything left to do, the phase is
closed as a deadline would close it, until some seat can act or the game ends.

Totality: an index the mask marks 0 (past the end of the legal list, or past MAX_ACTIONS),
or `None` for a live seat, plays the seat's way out of the phase: `EndNegotiation` in the
negotiation phase, `EndOrders` in the act phase, and an abstention (`CastVote("abstain")`,
no side-issue ballots) in the vote phase.

Rewards are 0 during play; when the game ends every seat receives its score / 100 (in
[0, 1]) and every seat is terminated.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from gymnasium import spaces
from pettingzoo import AECEnv

from game_rules import (
    FACILITATOR,
    Applied,
    GameState,
    LegalAction,
    Result,
    Scenario,
    apply,
    close_phase,
    legal_actions,
    new_game,
    scores,
    view,
)
from game_rules.actions import CastVote, EndNegotiation, EndOrders, SeatAction, StartGame
from scenarios import load_scenario
from simulation.play import STEPS_PER_SEAT_PHASE

# The largest legal list seen in random play of the shipped scenarios is about 270 entries
# (integrated-missions, act phase). Entries past MAX_ACTIONS cannot be chosen; the phase's
# end action is always entry 0 of the list, so it is always reachable.
MAX_ACTIONS = 512
# Resources, staff and reserved costs are divided by the largest starting value among the
# scenario's seats and clipped at this ceiling.
RESOURCE_CEILING = 10.0

PHASES = ("lobby", "negotiate", "act", "vote", "ended")
RIPENESS_BANDS = ("closed", "opening", "ripe")
# A band stands for the middle of its range on the 0-100 scale (see world.disposition_band),
# so bands and the exact values shown once the game ends share one scale.
BAND_VALUES = {"hostile": 0.175, "sceptical": 0.425, "open": 0.575, "supportive": 0.825}

Observation = dict[str, npt.NDArray[Any]]
ActionIndex = int | np.integer[Any] | None


class NormArenaEnv(AECEnv):  # type: ignore[misc]
    """A Norm Arena game between learning seats, in PettingZoo's AEC API."""

    metadata: ClassVar[dict[str, Any]] = {"name": "normarena_v1", "render_modes": []}

    def __init__(
        self,
        scenario: str | Scenario = "classroom-quick",
        ablations: tuple[str, ...] = (),
        phase_step_budget: int | None = None,
    ) -> None:
        """An environment for a shipped scenario (by name) or a loaded one, with mechanics
        switched off by `ablations` (see game_rules.ABLATIONS). A phase in which the seats have
        taken `phase_step_budget` turns is closed as a deadline would close it, so episodes end
        whatever the policy does; the default is the local simulator's (40 turns a seat), and 0
        switches it off (phases then close only when no seat has anything left to do)."""
        super().__init__()
        self.scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.ablations = tuple(ablations)
        default_budget = STEPS_PER_SEAT_PHASE * len(self.scenario.seats)
        budget = default_budget if phase_step_budget is None else phase_step_budget
        self.phase_step_budget: int | None = budget or None
        self.render_mode: str | None = None
        self.possible_agents: list[str] = list(self.scenario.seat_ids)
        self._seat_index = {seat: i for i, seat in enumerate(self.possible_agents)}
        self._provision_tops = [max(1, p.top) for p in self.scenario.provisions]
        starts = [s.resources for s in self.scenario.seats]
        self._resource_scale = (
            float(max(1, *(r.capital for r in starts))),
            float(max(1, *(r.funds for r in starts))),
            float(max(1, *(r.expertise for r in starts))),
        )
        self._staff_scale = float(max(1, *(s.staff for s in self.scenario.seats)))
        low, high = self._bounds()
        self._observation_spaces = {
            seat: spaces.Dict(
                {
                    "observation": spaces.Box(low=low, high=high, dtype=np.float32),
                    "action_mask": spaces.Box(low=0, high=1, shape=(MAX_ACTIONS,), dtype=np.int8),
                }
            )
            for seat in self.possible_agents
        }
        self._action_spaces = {seat: spaces.Discrete(MAX_ACTIONS) for seat in self.possible_agents}
        self._seed_source = np.random.default_rng()
        self._legal: dict[str, list[LegalAction]] = {}
        self._phase_steps = 0
        self.agents: list[str] = []
        self.game_state: GameState = new_game(self.scenario, 0, self.ablations)

    # --- spaces --------------------------------------------------------------------------

    def observation_space(self, agent: str) -> spaces.Dict:
        """The seat's observation space: the vector and the action mask (the same object each call)."""
        return self._observation_spaces[agent]

    def action_space(self, agent: str) -> spaces.Discrete:
        """The seat's action space: an index into its legal list (the same object each call)."""
        return self._action_spaces[agent]

    def _bounds(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """The observation vector's bounds, entry by entry (layout as in `_vector`)."""
        n_seats, n_provisions, n_blocs = len(self.possible_agents), len(self._provision_tops), len(self.scenario.blocs)
        ceilings = [
            *[1.0] * (n_seats + 1 + len(PHASES) + len(RIPENESS_BANDS)),
            *[RESOURCE_CEILING] * 3,  # capital, funds, expertise
            1.0,  # credibility
            *[RESOURCE_CEILING] * 2,  # staff, orders given
            *[RESOURCE_CEILING] * 3,  # reserved capital, funds, expertise
            1.0,  # done
            *[1.0] * n_provisions,
            1.0,  # blocs visible
            *[1.0] * (2 * n_blocs),
            *[1.0] * 7,  # tabled, vote called, sponsor, alliance, invited, offers in and out
        ]
        high = np.array(ceilings, dtype=np.float32)
        return np.zeros_like(high), high

    # --- the game ------------------------------------------------------------------------

    def reset(self, seed: int | None = None, options: dict[str, Any] | None = None) -> None:
        """Start a new game: `new_game(scenario, seed)` and the facilitator's StartGame. A seed
        makes this game and the seeds of later unseeded resets reproducible."""
        if seed is not None:
            self._seed_source = np.random.default_rng(seed)
            game_seed = int(seed)
        else:
            game_seed = int(self._seed_source.integers(0, 2**31 - 1))
        self._set_state(
            _applied(apply(self.scenario, new_game(self.scenario, game_seed, self.ablations), FACILITATOR, StartGame()))
        )
        self.agents = list(self.possible_agents)
        self.rewards = {seat: 0.0 for seat in self.agents}
        self._cumulative_rewards = {seat: 0.0 for seat in self.agents}
        self.terminations = {seat: False for seat in self.agents}
        self.truncations = {seat: False for seat in self.agents}
        self.infos: dict[str, dict[str, Any]] = {seat: {} for seat in self.agents}
        self._skip_agent_selection = None
        self.agent_selection = self.agents[0]
        self._select_next(after=None)

    def step(self, action: ActionIndex) -> None:
        """Play the selected seat's choice (an index into its legal list; see the module's
        note on indices the mask rules out), then pass the turn. A terminated seat steps
        with None and leaves the game."""
        seat = self.agent_selection
        if self.terminations[seat] or self.truncations[seat]:
            self._was_dead_step(action)
            return
        self._cumulative_rewards[seat] = 0.0
        self._clear_rewards()
        phase_key = (self.game_state.round, self.game_state.phase)
        self._set_state(_applied(apply(self.scenario, self.game_state, seat, self._chosen(seat, action))))
        self._phase_steps += 1
        moved_on = (self.game_state.round, self.game_state.phase) != phase_key
        if moved_on:
            self._phase_steps = 0
        self._select_next(after=None if moved_on else seat)
        self._accumulate_rewards()

    def legal_actions(self, agent: str) -> list[LegalAction]:
        """The engine's actions the seat's indices stand for now (at most MAX_ACTIONS)."""
        found = self._legal.get(agent)
        if found is None:
            found = legal_actions(self.scenario, self.game_state, agent)[:MAX_ACTIONS]
            self._legal[agent] = found
        return found

    def _chosen(self, seat: str, action: ActionIndex) -> SeatAction:
        """The engine action an index stands for; the phase's end action if the mask rules it out."""
        legal = self.legal_actions(seat)
        if action is not None:
            index = int(action)
            if 0 <= index < len(legal):
                return legal[index].action
        if self.game_state.phase == "negotiate":
            return EndNegotiation()
        if self.game_state.phase == "act":
            return EndOrders()
        return CastVote(draft="abstain")

    def _set_state(self, state: GameState) -> None:
        self.game_state = state
        self._legal = {}

    def _select_next(self, after: str | None) -> None:
        """Give the turn to the next seat (after `after`, or from the first seat) with a legal
        action, closing phases in which nobody has one (or whose step budget is spent)."""
        seats = self.possible_agents
        start = 0 if after is None else self._seat_index[after] + 1
        while self.game_state.phase != "ended":
            if self.phase_step_budget is None or self._phase_steps < self.phase_step_budget:
                for offset in range(len(seats)):
                    seat = seats[(start + offset) % len(seats)]
                    if self.legal_actions(seat):
                        self.agent_selection = seat
                        return
            self._set_state(_applied(close_phase(self.scenario, self.game_state)))
            self._phase_steps = 0
            start = 0
        self._finish()

    def _finish(self) -> None:
        """The game is over: every seat's score / 100 as its reward, and every seat terminated."""
        cards = scores(self.scenario, self.game_state)
        for seat in self.agents:
            self.rewards[seat] = cards[seat].score / 100.0
            self.terminations[seat] = True

    # --- what a seat sees ----------------------------------------------------------------

    def observe(self, agent: str) -> Observation:
        """The seat's observation: its own view as a vector, and which indices are legal now."""
        mask = np.zeros(MAX_ACTIONS, dtype=np.int8)
        mask[: len(self.legal_actions(agent))] = 1
        return {"observation": self._vector(agent), "action_mask": mask}

    def _vector(self, seat: str) -> npt.NDArray[np.float32]:
        """The view of `seat` (game_rules.view) as numbers, in the order `_bounds` lists."""
        seen = view(self.scenario, self.game_state, seat)
        you = seen["you"]
        values: list[float] = _one_hot(self._seat_index[seat], len(self.possible_agents))
        values.append(min(1.0, seen["round"] / max(1, seen["rounds"])))
        values += _one_hot(PHASES.index(seen["phase"]), len(PHASES))
        values += _one_hot(RIPENESS_BANDS.index(seen["ripeness"]["band"]), len(RIPENESS_BANDS))
        held, reserved = you["resources"], you["reserved"]
        capital_scale, funds_scale, expertise_scale = self._resource_scale
        values += [
            _scaled(held["capital"], capital_scale),
            _scaled(held["funds"], funds_scale),
            _scaled(held["expertise"], expertise_scale),
            min(1.0, max(0.0, held["credibility"] / 100.0)),
            _scaled(you["staff"], self._staff_scale),
            _scaled(len(you["orders"]), self._staff_scale),
            _scaled(reserved["capital"], capital_scale),
            _scaled(reserved["funds"], funds_scale),
            _scaled(reserved["expertise"], expertise_scale),
            float(you["done"]),
        ]
        draft = seen["draft"]
        values += [p["level"] / top for p, top in zip(draft["provisions"], self._provision_tops, strict=True)]
        blocs = seen["blocs"]
        values.append(float(all("disposition" in b for b in blocs)))
        for bloc in blocs:
            values += [_band_value(bloc.get("disposition")), _band_value(bloc.get("ownership"))]
        offers = [o for o in seen.get("offers", []) if o["status"] == "open"]
        members = any(seat in a["members"] for a in seen["alliances"])
        values += [
            float(draft["tabled"]),
            float(draft["vote_called"]),
            float(seat in draft["sponsors"]),
            float(members),
            float(bool(seen.get("invitations"))),
            _share(sum(o["recipient"] == seat for o in offers), len(self.possible_agents)),
            _share(sum(o["sender"] == seat for o in offers), len(self.possible_agents)),
        ]
        return np.array(values, dtype=np.float32)

    def render(self) -> None:
        """Nothing to draw: the environment has no render modes."""
        return None

    def close(self) -> None:
        """Nothing to release: the engine holds no files, sockets or windows."""
        return None


def _applied(result: Result) -> GameState:
    """The state after an action the engine must accept (the legal list promises it)."""
    if not isinstance(result, Applied):
        raise RuntimeError(f"the engine refused an action the environment chose: {result}")
    return result.state


def _one_hot(index: int, size: int) -> list[float]:
    values = [0.0] * size
    values[index] = 1.0
    return values


def _scaled(value: float, scale: float) -> float:
    return min(RESOURCE_CEILING, max(0.0, value / scale))


def _share(count: int, size: int) -> float:
    return min(1.0, count / max(1, size))


def _band_value(shown: object) -> float:
    """A bloc's band (or exact 0-100 value, once the game has ended) on a 0-1 scale; 0.5 if hidden."""
    if isinstance(shown, str):
        return BAND_VALUES.get(shown, 0.5)
    if isinstance(shown, int | float):
        return min(1.0, max(0.0, float(shown) / 100.0))
    return 0.5


def env(
    scenario: str | Scenario = "classroom-quick",
    ablations: tuple[str, ...] = (),
    phase_step_budget: int | None = None,
) -> NormArenaEnv:
    """A Norm Arena AEC environment (the PettingZoo factory convention)."""
    return NormArenaEnv(scenario, ablations, phase_step_budget)


__all__ = ["MAX_ACTIONS", "NormArenaEnv", "env"]
