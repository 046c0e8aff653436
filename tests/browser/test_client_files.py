"""The client's files, read without a browser: catalogues complete, layout right-to-left safe,
player text never treated as markup, vendored libraries as the manifest says."""

from __future__ import annotations

import importlib.util
import json
import re
import typing
from pathlib import Path
from types import ModuleType

import pytest

from game_rules.actions import ORDER_TYPES, GrantPurpose, PledgeKind, SpoilMode
from game_rules.debrief import CLAIMS
from game_rules.events import EventKind
from game_rules.state import DraftVia, OfferStatus, Outcome, PledgeStatus

CLIENT = Path(__file__).resolve().parents[2] / "client_web"
APP = CLIENT / "app"
CATALOGUES = sorted((CLIENT / "i18n").glob("*.json"))
SOURCES = sorted(APP.rglob("*.js"))


def catalogue(lang: str) -> dict[str, str]:
    loaded: dict[str, str] = json.loads((CLIENT / "i18n" / f"{lang}.json").read_text())
    return loaded


def js_list(name: str, source: str) -> list[str]:
    """The strings of a `const NAME = [...]` in the client's code."""
    found = re.search(rf"const {name} = \[(.*?)\];", source, re.DOTALL)
    assert found, f"no list {name}"
    return re.findall(r'"([^"]+)"', found.group(1))


def code() -> str:
    return "\n".join(path.read_text() for path in SOURCES)


def test_there_are_english_and_french_catalogues() -> None:
    assert {path.stem for path in CATALOGUES} >= {"en", "fr"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_every_catalogue_has_every_key_of_the_english_one(path: Path) -> None:
    english = catalogue("en")
    other: dict[str, str] = json.loads(path.read_text())
    assert sorted(set(english) - set(other)) == [], f"{path.name} lacks keys"
    assert sorted(set(other) - set(english)) == [], f"{path.name} has keys English does not"
    for key, text in english.items():
        # The same placeholders in every language, or a sentence would lose a name.
        assert set(re.findall(r"\{(\w+)\}", other[key])) == set(re.findall(r"\{(\w+)\}", text)), key
        assert other[key].strip(), f"{path.name}: {key} is empty"


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    english = catalogue("en")
    named = set(re.findall(r"""\bt\(\s*["']([a-z_.0-9]+)["']""", code()))
    assert len(named) > 300
    # Keys chosen before the call (t(cond ? "a.b" : "a.c")): any literal in a catalogue namespace.
    namespaces = {key.split(".")[0] for key in english}
    literals = set(re.findall(r'"([a-z_]+\.[a-z_.]+)"', code()))
    named |= {k for k in literals if k.split(".")[0] in namespaces and not k.endswith((".js", ".json"))}
    assert sorted(k for k in named if k not in english and f"{k}.other" not in english) == []


def _literal(kind: object) -> list[str]:
    return [str(v) for v in typing.get_args(kind)]


def test_every_key_the_code_builds_is_in_the_catalogue() -> None:
    """Keys built from a value (`event.${kind}`) exist for every value the game can send."""
    english = catalogue("en")
    source = code()
    orders = [cls.type for cls in ORDER_TYPES]
    families: dict[str, list[str]] = {
        "ordertype": orders,
        "orderhelp": orders,
        "order": orders,
        "phase": ["lobby", "negotiate", "act", "vote", "ended"],
        "kind": ["state", "agency", "ngo", "think_tank"],
        "strategy": js_list("STRATEGIES", (APP / "screens" / "lobby.js").read_text()),
        "outcome": [o for o in _literal(Outcome) if o],
        "offerstatus": _literal(OfferStatus),
        "pledgestatus": _literal(PledgeStatus),
        "pledge": _literal(PledgeKind),
        "spoil": _literal(SpoilMode),
        "purpose": _literal(GrantPurpose),
        "draft.change": _literal(DraftVia),
        "choice": ["yes", "no", "abstain"],
        "band": ["closed", "opening", "ripe", "hostile", "sceptical", "open", "supportive"],
        "board.section": js_list("SECTIONS", (APP / "screens" / "board.js").read_text()),
        "rules": [
            f"{s}.{part}"
            for s in js_list("RULES_SECTIONS", (APP / "screens" / "print.js").read_text())
            for part in ("title", "body")
        ],
        "score": js_list("SCORE_PARTS", (APP / "screens" / "debrief.js").read_text()),
        "network.type": ["alliance", "link", "private", "public"],
        "connection": ["connecting", "live", "offline", "closed"],
        "fatal": ["unauthorised", "revoked", "unknown_game", "not_a_player"],
        "join.error": ["unknown_code", "joining_locked", "code_reissued", "seat_full", "rate_limited", "offline"],
        "clock": ["classroom", "distance", "bots"],
        "rule": ["consensus", "two_thirds", "security_council"],
        "epilogue": ["skin_deep", "partial", "deep"],
        "facilitator.tab": ["lobby", "console", "channels", "feed"],
        "print": ["roles", "rules", "brief"],
    }
    # Every claim the engine can show has a title (its sentences are named in claims.js).
    families["claim"] = [f"{c}.title" for c in CLAIMS]
    missing = []
    for prefix, values in families.items():
        for value in values:
            key = f"{prefix}.{value}"
            if key not in english and f"{key}.other" not in english:
                missing.append(key)
    # Every event the engine emits reads as a sentence (two have a variant per verdict).
    for kind in _literal(EventKind):
        if kind == "scenario_event":
            continue  # told in the scenario's own words
        if not ({f"event.{kind}", f"event.{kind}.adopted", f"event.{kind}.carried"} & set(english)):
            missing.append(f"event.{kind}")
    assert missing == []
    assert "`event.${event.kind}`" in source  # the family above is the one the code builds


def test_the_layout_is_right_to_left_safe() -> None:
    """Logical properties only: a right-to-left catalogue mirrors the layout."""
    physical = re.compile(
        r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|text-align:\s*(left|right)|float:\s*(left|right)"
    )
    for sheet in sorted((CLIENT / "css").glob("*.css")):
        for number, line in enumerate(sheet.read_text().splitlines(), 1):
            assert not physical.search(line), f"{sheet.name}:{number}: {line.strip()}"


def test_player_text_is_never_inserted_as_markup() -> None:
    dangerous = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write|\beval\(|new Function\("
    )
    for path in SOURCES:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not dangerous.search(line), f"{path.relative_to(CLIENT)}:{number}: {line.strip()}"


def test_the_page_has_no_inline_script_but_the_import_map() -> None:
    page = (CLIENT / "index.html").read_text()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' type="importmap"']
    assert not re.search(r"\son[a-z]+=", page), "an inline event handler"
    assert "http://" not in page and "https://" not in page, "a CDN"


def _refresh() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_refresh", CLIENT / "vendor" / "refresh.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_files_match_their_manifest() -> None:
    refresh = _refresh()
    assert refresh.check() == []
    manifest = json.loads((CLIENT / "vendor" / "manifest.json").read_text())
    names = {p["name"] for p in manifest["packages"]}
    assert {"preact", "htm", "uplot", "cytoscape", "uqr", "axe-core"} <= names
    for package in manifest["packages"]:
        assert package["licence"] and package["integrity"].startswith("sha512-")
        licence = [f for f in package["files"] if f["path"].endswith("/LICENSE")]
        assert licence and (CLIENT / "vendor" / licence[0]["path"]).stat().st_size > 100


def test_the_import_map_points_at_vendored_files() -> None:
    page = (CLIENT / "index.html").read_text()
    block = re.search(r'<script type="importmap">(.*?)</script>', page, re.DOTALL)
    assert block
    imports = json.loads(block.group(1))["imports"]
    for specifier, url in imports.items():
        assert url.startswith("/vendor/"), specifier
        assert (CLIENT / url.lstrip("/")).is_file(), url
    for href in re.findall(r'href="(/vendor/[^"]+)"', page):
        assert (CLIENT / href.lstrip("/")).is_file(), href


def test_no_client_module_grows_past_four_hundred_lines() -> None:
    for path in SOURCES:
        assert len(path.read_text().splitlines()) <= 400, path.name


def test_the_facilitators_guide_shows_the_pictures_the_tests_take() -> None:
    docs = CLIENT.parent / "docs"
    guide = (docs / "facilitator.md").read_text()
    shown = set(re.findall(r"!\[[^\]]+\]\(img/([^)]+)\)", guide))
    kept = {path.name for path in (docs / "img").glob("*.png")}
    assert shown and shown == kept
    for name in kept:
        assert (docs / "img" / name).read_bytes().startswith(b"\x89PNG"), name
    tests = "\n".join(path.read_text() for path in Path(__file__).parent.glob("test_*.py"))
    for name in shown:
        assert f'"{name.removesuffix(".png")}"' in tests, f"no test takes {name}"
