"""The `normarena` command: serve, play bots and tournaments, simulate bot games, and list,
validate and describe scenarios."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence

from tqdm import tqdm

from bots import parse_lineup
from game_rules import ABLATIONS
from normarena.describe import describe
from scenarios import ScenarioError, list_scenarios, load_scenario, schema, validate_file
from simulation.play import BotMisplay
from simulation.summary import csv_header, default_workers, format_summary, run_games, summarise


def _simulate(args: argparse.Namespace) -> int:
    try:
        scenario = load_scenario(args.scenario)
        lineup = parse_lineup(args.bots, scenario)
    except ScenarioError as error:
        print(f"normarena: scenario {args.scenario!r} is not valid:\n{error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"normarena: {error}", file=sys.stderr)
        return 2
    if args.games < 1:
        print("normarena: --games must be at least 1", file=sys.stderr)
        return 2
    ablations = tuple(args.ablate or ())
    rows = []
    progress = tqdm(total=args.games, desc=scenario.id, unit="game", file=sys.stderr, disable=args.quiet)
    try:
        for row in run_games(scenario, args.games, args.seed, lambda i: lineup, ablations, args.workers):
            rows.append(row)
            progress.update(1)
    except BotMisplay as error:
        print(f"normarena: {error}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    summary = summarise(scenario, rows, args.seed, ablations)
    summary["bots"] = lineup
    if args.csv:
        seats = list(scenario.seat_ids)
        with open(args.csv, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(csv_header(seats))
            writer.writerows(row.csv_row(seats) for row in rows)
    if args.json:
        print(json.dumps(summary, sort_keys=True, ensure_ascii=False))
    else:
        print(format_summary(summary, {s.id: s.name for s in scenario.seats}))
        if args.csv:
            print(f"  one row per game written to {args.csv}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from server.run import serve  # the server's packages load only for this command
    from server.settings import Settings

    cluster = True if args.cluster else None
    try:
        settings = Settings.from_env(
            host=args.host,
            port=args.port,
            redis_url=args.redis_url,
            cluster=cluster,
            data_dir=args.data_dir,
            operator_token=args.operator_token,
            public_url=args.public_url,
        )
    except ValueError as error:
        print(f"normarena serve: {error}", file=sys.stderr)
        return 1
    return serve(settings)


def _bot(args: argparse.Namespace) -> int:
    import asyncio

    import httpx
    import websockets

    from arena_client import ServerError
    from arena_client.runner import play_seat

    try:
        final = asyncio.run(play_seat(args.url, args.code, args.strategy, args.seed, args.name))
    except ServerError as error:
        print(f"normarena bot: the server refused: {error.message} ({error.code})", file=sys.stderr)
        return 1
    except (ConnectionError, OSError, httpx.HTTPError, websockets.WebSocketException) as error:
        print(f"normarena bot: cannot reach {args.url}: {error or type(error).__name__}", file=sys.stderr)
        return 1
    you = final.get("you", {})
    print(json.dumps({"seat": you.get("seat"), "outcome": final.get("outcome"), "scores": final.get("scores", {})}))
    return 0


def _tournament(args: argparse.Namespace) -> int:
    import asyncio

    import httpx
    import websockets

    from arena_client import ServerError
    from arena_client.report import format_tournament, summarise_tournament
    from arena_client.runner import run_tournament

    try:
        lineup = parse_lineup(args.bots, load_scenario(args.scenario))
    except (ScenarioError, ValueError) as error:
        print(f"normarena tournament: {error}", file=sys.stderr)
        return 2
    progress = tqdm(
        total=args.games, desc=f"{args.scenario} @ {args.url}", unit="game", file=sys.stderr, disable=args.quiet
    )
    try:
        results = asyncio.run(
            run_tournament(args.url, args.scenario, args.games, args.bots, args.seed, lambda: progress.update(1))
        )
    except ServerError as error:
        print(f"normarena tournament: the server refused: {error.message} ({error.code})", file=sys.stderr)
        return 1
    except (ConnectionError, OSError, httpx.HTTPError, websockets.WebSocketException) as error:
        print(f"normarena tournament: cannot reach {args.url}: {error or type(error).__name__}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    summary = summarise_tournament(args.scenario, args.seed, results)
    summary["lineup"] = lineup
    if args.csv:
        seats = list(lineup)
        with open(args.csv, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["game", "seed", "server_game", "outcome", "rounds", "legitimacy", *(f"score_{s}" for s in seats)]
            )
            for r in results:
                writer.writerow(
                    [r.index, r.seed, r.game, r.outcome, r.rounds, r.legitimacy, *(r.scores[s] for s in seats)]
                )
    print(json.dumps(summary, sort_keys=True) if args.json else format_tournament(summary))
    return 0


def _validate(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        problems = validate_file(path)
        if problems:
            failed = True
            for problem in problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: valid")
    return 1 if failed else 0


def _list(args: argparse.Namespace) -> int:
    for name in list_scenarios():
        scenario = load_scenario(name)
        print(f"{name:<28} {len(scenario.seats):>2} seats {scenario.rounds:>2} rounds  {scenario.title}")
    return 0


def _describe(args: argparse.Namespace) -> int:
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        print(f"normarena: scenario {args.scenario!r} is not valid:\n{error}", file=sys.stderr)
        return 2
    print(describe(scenario))
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(schema(), indent=2, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="normarena", description="Norm Arena: norm change in the UN, as a game.")
    commands = parser.add_subparsers(dest="command", required=True)

    sim = commands.add_parser("simulate", help="play seeded games between bots and summarise them")
    sim.add_argument("--scenario", required=True, help="a shipped scenario's name or a scenario file")
    sim.add_argument("--games", type=int, default=100, help="how many games (default 100)")
    sim.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    sim.add_argument(
        "--bots",
        default="auto",
        help='who plays: "auto" (the character that fits each seat), "random", a reference bot, '
        'per seat: "norway=entrepreneur,*=random", or your own as module:Class (from the current folder '
        "or the path) or path/to/bot.py:Class (default auto)",
    )
    sim.add_argument(
        "--ablate",
        action="append",
        choices=ABLATIONS,
        metavar="MECHANIC",
        help=f"switch a mechanic off (repeatable): {', '.join(ABLATIONS)}",
    )
    sim.add_argument("--csv", metavar="FILE", help="write one row per game to FILE")
    sim.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    sim.add_argument("--quiet", action="store_true", help="no progress bar")
    sim.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="processes to play in (default: the cores, up to 4); the output does not depend on it",
    )
    sim.set_defaults(run=_simulate)

    served = commands.add_parser("serve", help="run the game server (on an embedded Redis when none is given)")
    served.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    served.add_argument("--port", type=int, default=None, help="port (default 8000)")
    served.add_argument("--redis-url", default=None, help="redis://HOST:PORT/DB (default: $REDIS_URL, else embedded)")
    served.add_argument(
        "--cluster",
        action="store_true",
        help="the Redis address is a node of a Redis Cluster (or write redis+cluster://HOST:PORT)",
    )
    served.add_argument(
        "--data-dir",
        default=None,
        help="where the embedded Redis keeps games (default: $NORMARENA_DATA, else ~/.local/share/normarena/redis)",
    )
    served.add_argument(
        "--operator-token",
        default=None,
        help="the token that creates games (default: $NORMARENA_OPERATOR_TOKEN; off loopback one is made and printed)",
    )
    served.add_argument(
        "--public-url",
        default=None,
        help="the address players reach, for join links and QR codes (e.g. behind a proxy)",
    )
    served.set_defaults(run=_serve)

    bot = commands.add_parser("bot", help="play a seat of a live game with a bot until the game ends")
    bot.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    bot.add_argument("--code", required=True, help="the seat's join code")
    bot.add_argument(
        "--strategy",
        default="broker",
        help="random, entrepreneur, spoiler, broker, hasty, module:Class or path/to/bot.py:Class",
    )
    bot.add_argument("--name", default="", help="the display name (default: the strategy)")
    bot.add_argument("--seed", type=int, default=0, help="the bot's own seed (default 0)")
    bot.set_defaults(run=_bot)

    tour = commands.add_parser("tournament", help="play many games between bots on a live server and compare them")
    tour.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    tour.add_argument("--scenario", required=True)
    tour.add_argument("--games", type=int, default=20)
    tour.add_argument(
        "--bots", default="auto", help='as for simulate: "auto", "random", "norway=entrepreneur,*=random"'
    )
    tour.add_argument("--seed", type=int, default=1)
    tour.add_argument("--csv", metavar="FILE", help="write one row per game to FILE")
    tour.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    tour.add_argument("--quiet", action="store_true", help="no progress bar")
    tour.set_defaults(run=_tournament)

    scenario = commands.add_parser("scenario", help="list, validate or describe scenarios, or print their schema")
    scenario_commands = scenario.add_subparsers(dest="scenario_command", required=True)
    validate = scenario_commands.add_parser("validate", help="check scenario files against the schema")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(run=_validate)
    listing = scenario_commands.add_parser("list", help="the scenarios shipped with Norm Arena")
    listing.set_defaults(run=_list)
    described = scenario_commands.add_parser(
        "describe", help="a scenario for its facilitator: seats, clocks, timing, the brief and the debrief"
    )
    described.add_argument("scenario", metavar="NAME_OR_FILE")
    described.set_defaults(run=_describe)
    printed = scenario_commands.add_parser("schema", help="print the scenario JSON Schema")
    printed.set_defaults(run=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `normarena` console script."""
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
