"""The client's store, run in real Chromium on the server's messages as docs/protocol.md writes
them: JSON Patches, the `view` that replaces the view and the number held, `status` notices,
events in sequence order without duplicates, and a rollback forgetting what it undid."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import LAPTOP, Contexts


def run(page: Page, script: str) -> Any:
    """Evaluate `script` (an async function body with `Store`, `applyPatch` in scope)."""
    page.goto("/rules")
    # Playwright evaluates through the browser's tools; the page itself could not (its CSP
    # refuses eval, which is as it should be).
    return page.evaluate(
        "async () => {"
        " const { Store } = await import('/app/store.js');"
        " const { applyPatch, PatchError } = await import('/app/patch.js');"
        f" {script} }}"
    )


WELCOME = """
const store = new Store();
store.receive({type: 'welcome', game: 'g', role: 'seat', seat: 'norway', seq: 2, server_time: 1000,
  view: {phase: 'negotiate', round: 1, messages: [], seats: [{id: 'norway', done: false}]},
  missed: [{seq: 1, kind: 'game_started', round: 1, text: '', audience: [], detail: {}},
           {seq: 2, kind: 'phase_changed', round: 1, text: '', audience: [], detail: {}}]});
"""


def test_patches_turn_the_view_held_into_the_new_one(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        const before = store.state.view;
        const ok = store.receive({type: 'events', seq: 3, events: [],
          patch: [{op: 'replace', path: '/phase', value: 'act'},
                  {op: 'add', path: '/messages/-', value: {number: 1, text: 'hi'}},
                  {op: 'replace', path: '/seats/0/done', value: true},
                  {op: 'add', path: '/clock', value: {deadline: 1100, paused: false}},
                  {op: 'remove', path: '/round'}]});
        return [ok, store.state.view, before.phase, before.seats[0].done, store.state.seq];
        """,
    )
    ok, view, old_phase, old_done, seq = result
    assert ok is True
    assert view == {
        "phase": "act",
        "messages": [{"number": 1, "text": "hi"}],
        "seats": [{"id": "norway", "done": True}],
        "clock": {"deadline": 1100, "paused": False},
    }
    assert (old_phase, old_done) == ("negotiate", False), "the view a screen held was not changed under it"
    assert seq == 3


def test_a_patch_that_does_not_fit_asks_for_a_resync(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        const wrong = [{op: 'replace', path: '/nothing/here', value: 1}];
        const ok = store.receive({type: 'events', seq: 3, events: [], patch: wrong});
        const phase = store.state.view.phase;
        store.receive({type: 'view', seq: 4, view: {phase: 'vote', round: 2}});
        return [ok, phase, store.state.view.phase, store.state.seq];
        """,
    )
    assert result == [False, "negotiate", "vote", 4]


def test_a_whole_view_replaces_the_view_and_the_number_held_even_going_back(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        const e = (seq) => ({seq, kind: 'seat_done', round: 1, text: '', audience: [], detail: {}});
        store.receive({type: 'events', seq: 4, events: [e(3), e(4)], patch: []});
        // The store came back from a crash having lost event 4: its word is final.
        store.receive({type: 'view', seq: 3, view: {phase: 'act', round: 1, messages: []}});
        const after = [store.state.seq, store.state.view.phase, store.state.events.map((x) => x.seq)];
        store.receive({type: 'events', seq: 4, events: [{...e(4), kind: 'message'}], patch: []});
        return [...after, store.state.events.map((x) => x.kind)];
        """,
    )
    assert result == [3, "act", [1, 2, 3], ["game_started", "phase_changed", "seat_done", "message"]]


def test_status_notices_say_when_the_server_is_degraded(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        store.receive({type: 'status', state: 'degraded', message: 'Redis is unreachable'});
        const during = [store.state.serverStatus, store.state.serverMessage];
        store.receive({type: 'status', state: 'ok', message: ''});
        return [...during, store.state.serverStatus];
        """,
    )
    assert result == ["degraded", "Redis is unreachable", "ok"]


def test_events_stay_in_sequence_order_and_are_never_repeated(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        const e = (seq, round = 1) => ({seq, kind: 'seat_done', round, text: '', audience: [], detail: {}});
        store.receive({type: 'events', seq: 5, events: [e(3), e(5)], patch: []});
        store.receive({type: 'welcome', game: 'g', role: 'seat', seat: 'norway', seq: 6, view: store.state.view,
                       missed: [e(4), e(5), e(6)]});
        return store.state.events.map((x) => x.seq);
        """,
    )
    assert result == [1, 2, 3, 4, 5, 6]


def test_a_rollback_forgets_the_events_it_undid(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        const msg = (seq, round, number) => ({seq, kind: 'message', round, text: '', audience: [],
          detail: {number, sender: 'norway', to: 'public', text: 'r' + round}});
        store.receive({type: 'events', seq: 4, events: [msg(3, 1, 1), msg(4, 2, 2)], patch: []});
        const back = {seq: 5, kind: 'game_rolled_back', round: 2, text: '', audience: [], detail: {}};
        store.receive({type: 'events', seq: 5, events: [back], patch: []});
        return store.state.events.map((x) => x.seq);
        """,
    )
    assert result == [1, 2, 3, 5]


def test_json_patch_follows_rfc_6902_for_lists_and_escapes(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        """
        const doc = {list: [1, 2, 3], 'a/b': {'c~d': 1}};
        const out = applyPatch(doc, [
          {op: 'add', path: '/list/1', value: 9},
          {op: 'remove', path: '/list/0'},
          {op: 'replace', path: '/a~1b/c~0d', value: 2}]);
        let refused = '';
        try { applyPatch(doc, [{op: 'remove', path: '/list/7'}]); } catch (error) { refused = error.constructor.name; }
        return [out, doc.list, refused];
        """,
    )
    assert result == [{"list": [9, 2, 3], "a/b": {"c~d": 2}}, [1, 2, 3], "PatchError"]


def test_a_refusal_is_forgotten_when_the_phase_moves_on(contexts: Contexts) -> None:
    page = contexts.page(LAPTOP)
    result = run(
        page,
        WELCOME
        + """
        store.refuse('orders', 'insufficient_resources', 'You do not hold enough funds.');
        store.receive({type: 'events', seq: 3, events: [], patch: [{op: 'replace', path: '/seats', value: []}]});
        const kept = Object.keys(store.state.refusals);
        store.receive({type: 'events', seq: 4, events: [], patch: [{op: 'replace', path: '/phase', value: 'act'}]});
        return [kept, Object.keys(store.state.refusals)];
        """,
    )
    assert result == [["orders"], []]
