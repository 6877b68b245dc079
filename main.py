"""Style Duel: paint what the machine would paint.

    python main.py                 play (the default)
    python main.py --kiosk         museum kiosk: fullscreen, attract mode, admin key chord
    python main.py demo            the game plays itself and writes screenshots
                                   (--party N for a party of N bots, --kiosk for the kiosk)
    python main.py supervise -- --kiosk ...   restart the game whenever it crashes
    python main.py models ...      status | fetch [NAME] | import DIR | export DIR
    python main.py stylize CONTENT STYLE [STYLE...] --engine magenta|gatys --out OUT.png
    python main.py score --against REF.png [--against REF2.png] PAINTING.png [...]
                                   one JSON line per painting, as the reveal would score it

Common options: --config PATH, --set section.key=value, --seconds N, --fullscreen,
--content IMAGE, --style IMAGE (start with your own photo or painting), --seed N.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def build_parser() -> argparse.ArgumentParser:
    from game.config import add_cli_options

    parser = argparse.ArgumentParser(prog="main.py", description="Style Duel")
    parser.add_argument("command", nargs="?", default="play", choices=("play", "demo"),
                        help="play (default) or demo")
    add_cli_options(parser)
    parser.add_argument("--seconds", type=int, help="round time in seconds (30–600)")
    screen = parser.add_mutually_exclusive_group()
    screen.add_argument("--fullscreen", action="store_true", default=None)
    screen.add_argument("--windowed", dest="fullscreen", action="store_false")
    parser.add_argument("--content", type=Path, metavar="IMAGE", help="your own photo to paint")
    parser.add_argument("--style", type=Path, metavar="IMAGE", help="your own style painting")
    parser.add_argument("--seed", type=int, help="fixes the random choices (pairs, paper)")
    parser.add_argument("--kiosk", action="store_true",
                        help="museum kiosk mode (fullscreen; quit with the admin key chord)")
    parser.add_argument("--language", help="en or ro (same as --set display.language=...)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    demo = parser.add_argument_group("demo")
    demo.add_argument("--rounds", type=int, default=1, help="demo: rounds to play")
    demo.add_argument("--screenshots", type=Path, metavar="DIR",
                      help="demo: write a PNG of every scene here")
    demo.add_argument("--realtime", action="store_true",
                      help="demo: run at wall-clock speed instead of as fast as possible")
    demo.add_argument("--party", type=int, metavar="N",
                      help="demo: N bots play a hot-seat party (2–8)")
    demo.add_argument("--report", type=Path, metavar="FILE",
                      help="demo --party: write what the party reached as JSON (benchmarks)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["models"]:
        # Model commands have their own parser; they may import TensorFlow, the game never.
        from models.cli import main as models_main

        def bot_painter():      # only train-encoder calls it: the bot is game code
            from game.bot import bot_painter as make
            return make()
        return models_main(argv[1:], bot_painter=bot_painter)
    if argv[:1] == ["supervise"]:
        return supervise(argv[1:])
    if argv[:1] == ["score"]:
        from game.image_loader import load_rgb
        from models.score_cli import main as score_main
        return score_main(argv[1:], load_rgb)
    if argv[:1] == ["stylize"]:
        from game.image_loader import load_rgb
        from models.stylize_cli import main as stylize_main
        return stylize_main(argv[1:], load_rgb)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    from game.config import config_from_cli
    from game.launcher import run_game

    if args.command == "demo" and "STYLE_DUEL_HOME" not in os.environ and args.config is None:
        # The bot's scores and settings must not land in the player's own files.
        import tempfile
        os.environ["STYLE_DUEL_HOME"] = tempfile.mkdtemp(prefix="style-duel-demo-")

    overrides = list(args.overrides)
    if args.command == "demo" and args.seconds is not None:
        args.seconds = demo_seconds(args.seconds)
    if args.seconds is not None:
        overrides.append(f"round.seconds={args.seconds}")
    if args.kiosk:
        overrides.append("kiosk.enabled=true")
        if args.command != "demo":
            overrides.append("display.fullscreen=true")
    if args.language:
        overrides.append(f"display.language={args.language}")
    if args.fullscreen is not None:
        overrides.append(f"display.fullscreen={str(args.fullscreen).lower()}")
    args.overrides = overrides
    config, warnings = config_from_cli(args)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    director = None
    if args.command == "demo":
        from game.demo import DemoDirector
        if args.seconds is None:
            config.round.seconds = 30           # the shortest round: a demo should be brisk
        director = make_director(args, config)
    code = run_game(config, args.config, warnings, seed=args.seed, content=args.content,
                    style=args.style, director=director,
                    fast_clock=args.command == "demo" and not args.realtime)
    if director is not None and args.screenshots is not None and code == 0:
        print(f"demo: {len(director.shots)} screenshots in {args.screenshots}")
    return code


def demo_seconds(asked: int) -> int:
    """The demo's round length: `asked`, brought inside the settings' range with a word.

    A player's out-of-range setting keeps the default (game.config); a demo asked for 5 s
    wants the shortest round there is, and whoever runs it reads stdout, not a log.
    """
    from game.config import MAX_SECONDS, MIN_SECONDS

    seconds = min(MAX_SECONDS, max(MIN_SECONDS, asked))
    if seconds != asked:
        side, bound = ("below", "floor") if asked < MIN_SECONDS else ("above", "ceiling")
        print(f"demo: rounds last {seconds} s (--seconds {asked} is {side} the {seconds} s "
              f"{bound})", flush=True)
    return seconds


def make_director(args: argparse.Namespace, config):
    """The demo bot for the mode asked for: solo, party or kiosk."""
    rounds, seed = max(1, args.rounds), args.seed or 0
    if args.party is not None:
        from game.demo_party import PartyDemoDirector
        return PartyDemoDirector(rounds=rounds, screenshots=args.screenshots, seed=seed,
                                 players=min(8, max(2, args.party)), report=args.report)
    if config.kiosk.enabled:
        from game.demo_kiosk import KioskDemoDirector
        return KioskDemoDirector(rounds=rounds, screenshots=args.screenshots, seed=seed)
    from game.demo import DemoDirector
    return DemoDirector(rounds=rounds, screenshots=args.screenshots, seed=seed)


def supervise(argv: list[str]) -> int:
    """`main.py supervise [-- game options]`: run the game, restart it after a crash.

    The restart log goes to the data folder of the settings the game will use, so staff
    find it beside the leaderboard.
    """
    from game.config import config_from_cli, resolved_data_dir
    from game.supervisor import main as supervisor_main

    rest = argv[argv.index("--") + 1:] if "--" in argv else list(argv)
    options, _ = build_parser().parse_known_args(["play", *rest])
    config, _ = config_from_cli(options)
    log_path = resolved_data_dir(config) / "supervisor.log"
    game = [sys.executable, str(Path(__file__).resolve()), "--kiosk", *rest]
    return supervisor_main(["--log", str(log_path), "--", *game])


if __name__ == "__main__":
    sys.exit(main())
