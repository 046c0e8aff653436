"""View patches: the server's diff and the clients' patch turn any view into the next one."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arena_client.patch import PatchError, apply_patch
from game_rules import FACILITATOR, SPECTATOR, Applied
from game_rules.views import only_messages, public_touched, seats_touched
from scenarios import load_scenario
from server import fanout
from server.patch import diff
from tests.game_rules.playing import play

plain = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text("ab/~", max_size=3),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text("ab/~", max_size=3), inner, max_size=4),
    max_leaves=25,
)
views = st.dictionaries(st.text("abc/~", max_size=3), plain, max_size=5)


@settings(max_examples=600, deadline=None)
@given(views, views)
def test_the_patch_of_any_two_views_turns_one_into_the_other(old: dict[str, Any], new: dict[str, Any]) -> None:
    held = copy.deepcopy(old)
    assert apply_patch(held, diff(old, new)) == new


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=5), max_size=12), st.integers(0, 12), st.lists(st.text(max_size=5), max_size=6))
def test_a_moving_window_is_patched_by_its_ends(texts: list[str], dropped: int, added: list[str]) -> None:
    """Messages (each with its own number) leave a window's front and join its end."""
    window = [{"number": n, "text": t} for n, t in enumerate(texts)]
    fresh = [{"number": len(texts) + n, "text": t} for n, t in enumerate(added)]
    old = {"messages": window}
    new = {"messages": window[dropped:] + fresh}
    ops = diff(old, new)
    assert apply_patch(copy.deepcopy(old), ops) == new
    # Never more operations than the entries that left and came, or one to replace the window.
    assert len(ops) <= max(1, min(dropped, len(window)) + len(fresh))


def test_a_patch_that_does_not_fit_is_refused_not_half_applied_silently() -> None:
    try:
        apply_patch({"a": []}, [{"op": "remove", "path": "/a/3"}])
    except PatchError:
        return
    raise AssertionError("a remove beyond the list should be refused")


@pytest.mark.parametrize("from_last", [False, True], ids=["afresh", "from-the-last-views"])
def test_every_viewers_patched_view_equals_its_view_built_afresh_through_whole_games(from_last: bool) -> None:
    """The fan-out's composition (public table once, a seat's part per seat) and its patches,
    checked against views built from scratch, at every step of random games. `from_last`
    builds each change's views from the last ones as the room does: untouched seats keep
    their parts, and after messages only the messages are remade (`seats_touched`,
    `only_messages`, `public_touched`)."""
    for name in ("classroom-quick", "integrated-missions"):
        scenario = load_scenario(name)
        viewers = {*scenario.seat_ids, SPECTATOR, FACILITATOR}
        extras = {"clock": {"deadline": None}, "room": {"seats": {}}}
        game = play(scenario, 12, random.Random(12), max_steps=400)
        state = game.steps[0].before
        built = fanout.build(scenario, state, extras, viewers)
        held = {viewer: json.loads(json.dumps(built.of(viewer))) for viewer in viewers}
        kept_public = 0
        for step in game.steps:
            if not isinstance(step.result, Applied):
                continue
            after, events = step.result.state, list(step.result.events)
            afresh = fanout.build(scenario, after, extras, viewers)
            new = afresh
            if from_last:
                touched = seats_touched(state, after, events)
                same = not public_touched(state, after, events)
                new = fanout.build(scenario, after, extras, viewers, built, touched, only_messages(events), same)
                kept_public += new.public is built.public
            for viewer, ops in fanout.patches(built, new, viewers).items():
                apply_patch(held[viewer], json.loads(json.dumps(ops)))
                assert held[viewer] == json.loads(json.dumps(afresh.of(viewer))), (name, viewer, step.action)
            built, state = new, after
        assert built.public["round"] >= 2, "the game should have gone past its first round"
        if from_last:
            assert kept_public > 0, "some private message should have left the public table as it was"
