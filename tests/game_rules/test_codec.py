"""The wire codec: what it refuses, and that it says where.

A client's action arrives as plain values; `decode_action` must turn it into a typed
action or raise `DecodeError` naming the path of the first value that does not fit
("order.funds"), and nothing else.
"""

from __future__ import annotations

from typing import Any

import msgpack
import pytest

from game_rules import DecodeError, GameState, decode_action, from_plain, new_game, to_plain
from game_rules.actions import (
    FACILITATOR_ACTION_TYPES,
    ORDER_TYPES,
    SEAT_ACTION_TYPES,
    CallVote,
    CastVote,
    CommissionStudy,
    ConvenePanel,
    EndGame,
    FoundAlliance,
    Grant,
    HostConsultation,
    Lobby,
    MakeOffer,
    Pledge,
    PledgePooledFund,
    ProposeAmendment,
    SecondStaff,
    SendMessage,
    Spoil,
    SubmitOrder,
    TableDraft,
    Terms,
    TrialBalloon,
    WithdrawOrder,
)
from game_rules.events import Event
from game_rules.state import SeatState
from scenarios import list_scenarios, load_scenario


def decode_error(value: Any) -> DecodeError:
    """Decode a value that must be refused; the error it was refused with."""
    with pytest.raises(DecodeError) as caught:
        decode_action(value)
    return caught.value


def study(**fields: Any) -> dict[str, Any]:
    order = {"type": "commission_study", "performer": "nupi", "funds": 4, **fields}
    return {"type": "submit_order", "order": order}


# --- paths -------------------------------------------------------------------------------


def test_a_bad_field_inside_an_order_is_named_by_its_path() -> None:
    error = decode_error(study(funds="x"))
    assert error.path == "order.funds"
    assert "order.funds" in str(error)


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"type": "send_message", "to": "public", "text": 7}, "text"),
        ({"type": "withdraw_order", "index": "0"}, "index"),
        ({"type": "cast_vote", "draft": "maybe"}, "draft"),
        ({"type": "cast_vote", "draft": "yes", "side_issues": {"budget": "perhaps"}}, "side_issues.budget"),
        ({"type": "cast_vote", "draft": "yes", "side_issues": ["yes"]}, "side_issues"),
        ({"type": "found_alliance", "name": "F", "platform": {"authority": "3"}}, "platform.authority"),
        (
            {"type": "make_offer", "to": "china", "gives": {"pledges": [{"kind": "bribe"}]}, "gets": {}},
            "gives.pledges[0].kind",
        ),
        ({"type": "make_offer", "to": "china", "gives": {"funds": 1.5}, "gets": {}}, "gives.funds"),
        ({"type": "make_offer", "to": "china", "gives": {}, "gets": []}, "gets"),
        (study(performer=None), "order.performer"),
        ({"type": "submit_order", "order": "commission_study"}, "order"),
        ({"type": "submit_order", "order": {"type": "spoil", "mode": "sulk"}}, "order.mode"),
        ({"type": "submit_order", "order": {"type": "propose_amendment", "provision": "a"}}, "order.direction"),
    ],
)
def test_decode_errors_name_the_path_of_the_value_that_does_not_fit(value: dict[str, Any], path: str) -> None:
    assert decode_error(value).path == path


# --- type tags ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [{"type": "fly_to_geneva"}, {"type": ""}, {"type": None}, {"type": 3}, {}])
def test_an_unknown_or_missing_action_type_is_refused_at_type(value: dict[str, Any]) -> None:
    assert decode_error(value).path == "type"


def test_an_unknown_action_type_lists_what_a_seat_can_do_and_no_facilitator_control() -> None:
    problem = decode_error({"type": "fly_to_geneva"}).problem
    assert "send_message" in problem and "submit_order" in problem
    for control in ("start_game", "close_phase", "inject_event", "end_game"):
        assert control not in problem


def test_facilitator_controls_still_decode() -> None:
    assert decode_action({"type": "end_game"}) == EndGame()


def test_an_unknown_order_type_is_refused_at_order_type() -> None:
    error = decode_error({"type": "submit_order", "order": {"type": "bribe", "amount": 3}})
    assert error.path == "order.type"


def test_an_order_is_not_an_action_and_an_action_is_not_an_order() -> None:
    decode_error({"type": "commission_study", "performer": "nupi", "funds": 4})
    nested = decode_error({"type": "submit_order", "order": {"type": "end_orders"}})
    assert nested.path == "order.type"


@pytest.mark.parametrize("tag", [[], {}, ["submit_order"], {"type": "end_orders"}])
def test_an_unhashable_type_tag_is_a_decode_error(tag: Any) -> None:
    """A client can send any JSON as the tag: a list or a map must be refused, not crash."""
    assert decode_error({"type": tag}).path == "type"
    assert decode_error({"type": "submit_order", "order": {"type": tag}}).path == "order.type"


def test_from_plain_refuses_a_tag_of_another_class() -> None:
    with pytest.raises(DecodeError) as caught:
        from_plain(SendMessage, {"type": "make_offer", "to": "public", "text": "hi"})
    assert caught.value.path == "type"


# --- missing and extra fields ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"type": "send_message", "to": "public"}, "text"),
        ({"type": "send_message", "text": "hello"}, "to"),
        ({"type": "accept_offer"}, "offer"),
        ({"type": "submit_order"}, "order"),
        ({"type": "make_offer", "to": "china", "gives": {}}, "gets"),
        ({"type": "submit_order", "order": {"type": "commission_study", "performer": "nupi"}}, "order.funds"),
        ({"type": "submit_order", "order": {"type": "grant", "to": "nupi", "amount": 2}}, "order.purpose"),
        ({"type": "cast_vote"}, "draft"),
    ],
)
def test_a_missing_field_is_refused_at_its_path(value: dict[str, Any], path: str) -> None:
    error = decode_error(value)
    assert error.path == path
    assert "missing" in error.problem


def test_fields_with_defaults_may_be_left_out() -> None:
    assert decode_action({"type": "cast_vote", "draft": "no"}) == CastVote(draft="no")
    assert decode_action({"type": "found_alliance", "name": "F"}) == FoundAlliance(name="F")
    offer = decode_action({"type": "make_offer", "to": "china", "gives": {}, "gets": {"funds": 2}})
    assert offer == MakeOffer(to="china", gives=Terms(), gets=Terms(funds=2))


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"type": "send_message", "to": "public", "text": "hi", "urgent": True}, ""),
        ({"type": "end_orders", "force": 1}, ""),
        ({"type": "close_phase", "phase": "act"}, ""),
        (study(discount=2), "order"),
        ({"type": "make_offer", "to": "china", "gives": {"votes": 3}, "gets": {}}, "gives"),
        ({"type": "send_message", "to": "public", "text": "hi", 3: "x"}, ""),
    ],
)
def test_an_extra_field_is_refused(value: dict[Any, Any], path: str) -> None:
    error = decode_error(value)
    assert error.path == path
    assert "unexpected" in error.problem


# --- scalars -----------------------------------------------------------------------------


@pytest.mark.parametrize("flag", [True, False])
def test_a_bool_is_not_accepted_as_a_whole_number(flag: bool) -> None:
    assert decode_error({"type": "withdraw_order", "index": flag}).path == "index"
    assert decode_error(study(funds=flag)).path == "order.funds"
    offer = {"type": "make_offer", "to": "china", "gives": {"capital": flag}, "gets": {}}
    assert decode_error(offer).path == "gives.capital"


@pytest.mark.parametrize("flag", [1, 0, "true", None])
def test_a_number_is_not_accepted_as_a_bool(flag: Any) -> None:
    state = new_game(load_scenario(list_scenarios()[0]), 1)
    seat = next(iter(state.seats))
    plain = to_plain(state.seats[seat])
    assert from_plain(SeatState, plain) == state.seats[seat]
    with pytest.raises(DecodeError) as caught:
        from_plain(dict[str, SeatState], {seat: {**plain, "done": flag}})
    assert caught.value.path == f"{seat}.done"


@pytest.mark.parametrize("value", [1.0, 2.5, "3", None, [1]])
def test_a_whole_number_field_takes_whole_numbers_only(value: Any) -> None:
    assert decode_error({"type": "withdraw_order", "index": value}).path == "index"


@pytest.mark.parametrize("value", [2**53 + 1, -(2**53) - 1, 10**30])
def test_numbers_beyond_what_json_carries_exactly_are_refused(value: int) -> None:
    error = decode_error({"type": "withdraw_order", "index": value})
    assert error.path == "index"


@pytest.mark.parametrize("draft", ["YES", " yes", True, 1, b"yes", None])
def test_a_choice_must_be_one_of_its_words_exactly(draft: Any) -> None:
    assert decode_error({"type": "cast_vote", "draft": draft}).path == "draft"


@pytest.mark.parametrize("value", ["submit_order", 3, None, [], ["type", "end_orders"], 1.5, True])
def test_an_action_must_be_a_map(value: Any) -> None:
    assert decode_error(value).path == ""


def test_map_keys_must_be_strings() -> None:
    error = decode_error({"type": "found_alliance", "name": "F", "platform": {1: 2}})
    assert error.path == "platform"


# --- what decodes ------------------------------------------------------------------------


def test_a_decode_error_is_a_value_error_with_a_path_and_a_problem() -> None:
    error = decode_error(study(funds="x"))
    assert isinstance(error, ValueError)
    assert error.path == "order.funds" and error.problem
    assert str(error).startswith("order.funds: ")


def test_every_action_tag_is_unique_and_decodes_to_its_class() -> None:
    tags = [cls.type for cls in (*SEAT_ACTION_TYPES, *FACILITATOR_ACTION_TYPES)]
    assert len(tags) == len(set(tags))
    order_tags = [cls.type for cls in ORDER_TYPES]
    assert len(order_tags) == len(set(order_tags))
    assert not set(tags) & set(order_tags), "an order tag doubles as an action tag"
    for cls in (*SEAT_ACTION_TYPES, *FACILITATOR_ACTION_TYPES):
        try:
            decoded = decode_action({"type": cls.type})
        except DecodeError as error:
            assert error.problem.startswith("missing"), (cls, error)
        else:
            assert type(decoded) is cls


SAMPLES: list[Any] = [
    SendMessage(to="alliance:a1", text="Ça va? «quoted» 日本"),
    MakeOffer(
        to="china",
        gives=Terms(capital=2, pledges=(Pledge("vote", "", "yes"), Pledge("no_spoil"))),
        gets=Terms(funds=3, expertise=1, pledges=(Pledge("side_issue", "budget_scale", "no"),)),
    ),
    CastVote(draft="abstain", side_issues={"budget_scale": "yes"}),
    FoundAlliance(name="Friends", platform={"authority": 2}),
    WithdrawOrder(index=0),
    SubmitOrder(order=CommissionStudy(performer="nupi", funds=2**53)),
    SubmitOrder(order=HostConsultation(venue="geneva", expertise=2, alliance="a1")),
    SubmitOrder(order=ConvenePanel(alliance="a1")),
    SubmitOrder(order=TrialBalloon(provision="authority", level=3)),
    SubmitOrder(order=Grant(to="nupi", amount=4, purpose="panel")),
    SubmitOrder(order=PledgePooledFund(amount=5)),
    SubmitOrder(order=SecondStaff(to="dpko")),
    SubmitOrder(order=TableDraft()),
    SubmitOrder(order=ProposeAmendment(provision="authority", direction=-1)),
    SubmitOrder(order=Lobby(target="african")),
    SubmitOrder(order=Spoil(mode="water_down", provision="authority")),
    SubmitOrder(order=CallVote()),
]


def test_the_samples_cover_every_order_type() -> None:
    covered = {type(a.order) for a in SAMPLES if isinstance(a, SubmitOrder)}
    assert covered == set(ORDER_TYPES)


@pytest.mark.parametrize("action", SAMPLES, ids=lambda a: getattr(a, "order", a).type)
def test_actions_survive_msgpack_and_json_shaped_round_trips(action: Any) -> None:
    plain = to_plain(action)
    assert plain["type"] == action.type
    assert decode_action(plain) == action
    assert decode_action(msgpack.unpackb(msgpack.packb(plain), raw=False)) == action


def test_events_with_an_audience_survive_the_wire() -> None:
    event = Event(kind="offer_made", round=2, text="An offer.", audience=("a", "b"), detail={"offer": "o1", "n": [1]})
    plain = msgpack.unpackb(msgpack.packb(to_plain(event)), raw=False)
    assert from_plain(Event, plain) == event
    with pytest.raises(DecodeError) as caught:
        from_plain(Event, {**plain, "kind": "gossip"})
    assert caught.value.path == "kind"


@pytest.mark.parametrize("name", list_scenarios())
def test_a_new_games_state_survives_the_wire(name: str) -> None:
    """The generator's state is a 64-bit number: it must travel like any other field."""
    for seed in (0, 1, 2**32 - 1):
        state = new_game(load_scenario(name), seed)
        plain = msgpack.unpackb(msgpack.packb(to_plain(state)), raw=False)
        try:
            back = from_plain(GameState, plain)
        except DecodeError as error:
            pytest.fail(f"seed {seed}: the state does not decode at {error.path!r}: {error.problem}")
        assert back == state
