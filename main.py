"""Style Duel: paint what the machine would paint.

    python main.py [-v] [COMMAND] [options]      `python main.py --help` lists the commands;
                                                 `python main.py COMMAND --help` tells more

play (the default), demo, models, stylize, score, supervise, farm. One parser holds them all,
but a command's own options (and the modules behind them) are loaded only when that
command is chosen: the title must appear quickly, and TensorFlow never enters the game.
The libraries' start-up chatter (ALSA, TensorFlow, XDG_RUNTIME_DIR) is filtered from
stderr unless -v is given (game/quiet.py).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

RAW = argparse.RawDescriptionHelpFormatter
VERBOSE_FLAGS = ("-v", "--verbose")
HELP_FLAGS = ("-h", "--help")
VERBOSE_HELP = "also show log lines and the libraries' chatter (ALSA, TensorFlow)"
# Each command: its line in `main.py --help`, and what its own --help says first.
COMMANDS = {
    "play": ("play the game (the default without a command)",
             "Play the game. Without a command word, main.py's options are play's:\n"
             "`main.py --kiosk` is `main.py play --kiosk`."),
    "demo": ("the game plays itself, screenshots every scene",
             "The game plays itself through real input events and writes a screenshot of\n"
             "every scene: solo, a party of bots (--party N) or the kiosk (--kiosk)."),
    "models": ("install and check the pretrained networks", None),
    "stylize": ("paint a photo in one or more styles", None),
    "score": ("score paintings as the reveal would (JSON)", None),
    "supervise": ("run the kiosk, restart it whenever it crashes",
                  "Run the museum kiosk and restart it whenever it crashes."),
    "farm": ("a render farm for many kiosks: serve, status, stop", None),
}
EXAMPLES = """\
examples:
  main.py                                   play
  main.py --kiosk --config /etc/style-duel/kiosk.toml
  main.py demo --rounds 1 --seconds 30 --screenshots out/
  main.py models status
  main.py stylize art/content/coffee.png art/styles/night_impasto.png --out out/a.png
  main.py score --against magenta.png --against gatys.png painting.png
  main.py supervise -- --config /etc/style-duel/kiosk.toml
  main.py farm serve --host 192.168.10.5 --token-file /etc/style-duel/farm.tokens

Every command has its own help with examples: main.py demo --help."""
PLAY_EXAMPLES = """\
examples:
  main.py                                   a window, your settings
  main.py --seconds 60 --language ro        one run with 60-s rounds, in Romanian
  main.py --content photo.jpg --style painting.png      start with your own pictures
  main.py --kiosk --config /etc/style-duel/kiosk.toml   the museum installation
  main.py --set sound.muted=true --windowed

Settings come from config.toml in the per-user config folder (--config for another
file; STYLE_DUEL_HOME=DIR puts config and data under one folder)."""
DEMO_EXAMPLES = """\
examples:
  main.py demo --rounds 1 --seconds 30 --screenshots out/
  main.py demo --party 3 --rounds 2 --screenshots out/      three bots play a party
  main.py demo --kiosk --rounds 3 --screenshots out/        the museum kiosk
  main.py demo --content photo.jpg --style painting.png --screenshots out/
  main.py demo --realtime                                   watch at normal speed

The demo never writes to a real installation: its settings, leaderboard, paintings and
model cache live in a throw-away folder, deleted at the end (--keep-data DIR keeps it),
whatever STYLE_DUEL_HOME, --config or paths.data_dir say. It reads --config if given and
otherwise starts from the default settings; STYLE_DUEL_MODELS, when set, is the one
folder it reads real networks from (else it plays with the offline stand-ins)."""
SUPERVISE_EXAMPLES = """\
examples:
  main.py supervise -- --config /etc/style-duel/kiosk.toml
  main.py supervise                         the kiosk with the per-user settings

Everything after -- is handed to `main.py --kiosk`. A crash (exit code other than 0)
restarts the game after a growing pause; a staff quit (exit 0) or a stop signal ends
both. Restarts are logged to <data_dir>/supervisor.log (docs/kiosk-supervisor.md)."""


class UnknownCommand(Exception):
    """A first word that is not a command: one line and exit status 2."""


# -- the parser ------------------------------------------------------------------------
def add_game_options(parser: argparse.ArgumentParser) -> None:
    """What play and demo share: settings, round length, window, pictures, mode."""
    from game.config import add_cli_options

    add_cli_options(parser)
    parser.add_argument("--seconds", type=int, help="round time in seconds (30–600)")
    screen = parser.add_mutually_exclusive_group()
    screen.add_argument("--fullscreen", action="store_true", default=None,
                        help="fill the screen")
    screen.add_argument("--windowed", dest="fullscreen", action="store_false",
                        help="stay in a window")
    parser.add_argument("--content", type=Path, metavar="IMAGE", help="your own photo to paint")
    parser.add_argument("--style", type=Path, metavar="IMAGE", help="your own style painting")
    parser.add_argument("--attempt", type=Path, metavar="IMAGE",
                        help="a picture made elsewhere, scored as your attempt (not in a kiosk)")
    parser.add_argument("--seed", type=int, help="fixes the random choices (pairs, paper)")
    parser.add_argument("--kiosk", action="store_true",
                        help="museum kiosk mode (fullscreen; quit with the admin key chord)")
    parser.add_argument("--language", help="en or ro (same as --set display.language=...)")
    parser.add_argument("--farm", metavar="URL",
                        help="paint on this render farm (same as --set farm.url=...)")


def add_play(parser: argparse.ArgumentParser) -> None:
    parser.epilog = PLAY_EXAMPLES
    add_game_options(parser)


def add_demo(parser: argparse.ArgumentParser) -> None:
    parser.epilog = DEMO_EXAMPLES
    add_game_options(parser)
    demo = parser.add_argument_group("demo")
    demo.add_argument("--rounds", type=int, default=1, help="rounds to play (default 1)")
    demo.add_argument("--screenshots", type=Path, metavar="DIR",
                      help="write a PNG of every scene here")
    demo.add_argument("--realtime", action="store_true",
                      help="run at wall-clock speed instead of as fast as possible")
    demo.add_argument("--party", type=int, metavar="N",
                      help="N bots play a hot-seat party (2–8)")
    demo.add_argument("--report", type=Path, metavar="FILE",
                      help="with --party: write what the party reached as JSON (benchmarks)")
    demo.add_argument("--keep-data", type=Path, metavar="DIR",
                      help="keep the throw-away folder (settings, leaderboard, paintings) in "
                           "DIR, a new or empty folder, instead of deleting it")


def add_models(parser: argparse.ArgumentParser) -> None:
    from models import cli

    parser.description, parser.epilog = cli.DESCRIPTION, cli.EXAMPLES
    cli.add_arguments(parser)


def add_stylize(parser: argparse.ArgumentParser) -> None:
    from models import stylize_cli

    parser.description, parser.epilog = stylize_cli.DESCRIPTION, stylize_cli.EXAMPLES
    stylize_cli.add_arguments(parser)
    # The catalogue is the game's, so the artist is resolved here, into style paths.
    parser.add_argument("--artist", metavar="NAME",
                        help="paint in all of this artist's famous paintings together (as an "
                             "artist round does), e.g. \"Vincent van Gogh\"; in place of or "
                             "besides STYLE files")
    for action in parser._actions:      # STYLE files become optional with --artist
        if action.dest == "styles":
            action.nargs = "*"


def add_score(parser: argparse.ArgumentParser) -> None:
    from models import score_cli

    parser.description, parser.epilog = score_cli.DESCRIPTION, score_cli.EXAMPLES
    score_cli.add_arguments(parser)


def add_farm(parser: argparse.ArgumentParser) -> None:
    from models.farm import cli

    parser.description, parser.epilog = cli.DESCRIPTION, cli.EXAMPLES
    cli.add_arguments(parser)


def add_supervise(parser: argparse.ArgumentParser) -> None:
    parser.usage = "main.py supervise [-h] [-v] [-- GAME OPTIONS ...]"
    parser.epilog = SUPERVISE_EXAMPLES


ADD_ARGUMENTS = {"play": add_play, "demo": add_demo, "models": add_models,
                 "stylize": add_stylize, "score": add_score, "supervise": add_supervise,
                 "farm": add_farm}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; only `command`'s own options are filled in (its module is
    imported for them), the others show in `main.py --help` by name and summary."""
    parser = argparse.ArgumentParser(
        prog="main.py", description="Style Duel: paint what the machine would paint.",
        epilog=EXAMPLES, formatter_class=RAW)
    parser.add_argument(*VERBOSE_FLAGS, action="store_true", help=VERBOSE_HELP)
    # -v also after the command word; SUPPRESS keeps a -v given before it.
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument(*VERBOSE_FLAGS, action="store_true", default=argparse.SUPPRESS,
                         help=VERBOSE_HELP)
    commands = parser.add_subparsers(
        dest="main_command", metavar="COMMAND", title="commands",
        description="play is the default: options without a command word are play's")
    for name, (summary, description) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, parents=[verbose],
                                  description=description, formatter_class=RAW)
        if name == command:
            ADD_ARGUMENTS[name](sub)
            parser.set_defaults(command_parser=sub)
    return parser


def split_command(argv: list[str]) -> tuple[str | None, list[str], list[str]]:
    """(command, leading -v flags, the command's own arguments) from the raw argv.

    The command word comes first (after -v); without one, the arguments are play's, so
    `main.py --kiosk --config X` keeps working. None means the top-level --help.
    """
    flags = 0
    while flags < len(argv) and argv[flags] in VERBOSE_FLAGS:
        flags += 1
    head, tail = argv[:flags], argv[flags:]
    if tail and tail[0] in HELP_FLAGS:
        return None, head, tail
    if not tail or tail[0].startswith("-"):
        return "play", head, tail
    if tail[0] in COMMANDS:
        return tail[0], head, tail[1:]
    raise UnknownCommand(tail[0])


def parse_command_line(argv: list[str]) -> tuple[str, argparse.Namespace, list[str]]:
    """(command, parsed options, the command's own arguments); SystemExit for --help or a
    usage error (argparse has printed it), UnknownCommand for an unknown first word."""
    command, head, rest = split_command(argv)
    if command is None:
        build_parser().parse_args(head + rest)       # prints the help and exits
        raise SystemExit(0)
    if command == "supervise":
        # Only -h / -v before `--` are the supervisor's; the rest are the game's options.
        own = rest[:rest.index("--")] if "--" in rest else rest
        args = build_parser(command).parse_args(
            head + [command] + [arg for arg in own if arg in HELP_FLAGS + VERBOSE_FLAGS])
    else:
        args, extra = build_parser(command).parse_known_args(head + [command] + rest)
        if extra:       # said by the command's parser, with its usage, not main.py's
            args.command_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.verbose = getattr(args, "verbose", False)
    return command, args, rest


def without_verbose(rest: list[str]) -> list[str]:
    """The arguments for a module's own parser: -v was main.py's (up to a `--`)."""
    end = rest.index("--") if "--" in rest else len(rest)
    return [arg for arg in rest[:end] if arg not in VERBOSE_FLAGS] + rest[end:]


# -- running a command ------------------------------------------------------------------
def main(argv: list[str] | None = None, *, script: bool = False) -> int:
    """Runs one command; returns its exit code. `script`: this is the process itself
    (`python main.py`), so its stderr may be filtered and its environment set."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        command, args, rest = parse_command_line(argv)
    except UnknownCommand as unknown:
        print(f"main.py: unknown command {str(unknown)!r} (the commands are "
              f"{', '.join(COMMANDS)}; see main.py --help)", file=sys.stderr)
        return 2
    except SystemExit as stop:              # --help, or a usage error already printed
        return stop.code if isinstance(stop.code, int) else 2
    if script:
        from game import quiet

        quiet.quiet_environment(args.verbose)
        if not args.verbose and command != "supervise":   # its game filters its own
            quiet.install()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return RUNNERS[command](args, rest)


def run_play(args: argparse.Namespace, rest: list[str]) -> int:
    from game.config import config_from_cli
    from game.launcher import run_game

    config, warnings = config_from_cli(with_game_overrides(args, demo=False))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return run_game(config, args.config, warnings, seed=args.seed, content=args.content,
                    style=args.style, attempt=args.attempt)


def with_game_overrides(args: argparse.Namespace, demo: bool) -> argparse.Namespace:
    """The shortcuts (--seconds, --kiosk, --language, --fullscreen) as --set overrides."""
    overrides = list(args.overrides)
    if args.seconds is not None:
        overrides.append(f"round.seconds={args.seconds}")
    if args.kiosk:
        overrides.append("kiosk.enabled=true")
        if not demo:
            overrides.append("display.fullscreen=true")
    if args.language:
        overrides.append(f"display.language={args.language}")
    if args.fullscreen is not None:
        overrides.append(f"display.fullscreen={str(args.fullscreen).lower()}")
    if args.farm:
        overrides.append(f"farm.url={args.farm}")
    args.overrides = overrides
    return args


def run_demo(args: argparse.Namespace, rest: list[str]) -> int:
    """The demo, always in a throw-away folder: nothing it does reaches a real install."""
    import shutil

    from game import paths
    from game.config import config_from_cli

    refusal = demo_refusal(args)
    if refusal:
        print(f"main.py demo: {refusal}", file=sys.stderr)
        return 2
    try:
        home = paths.demo_home(args.keep_data)
    except (paths.DemoFolderError, OSError) as error:
        print(f"main.py demo: --keep-data {args.keep_data}: {error}", file=sys.stderr)
        return 2
    # From here on the per-user folders are the throw-away ones (the NST workers inherit
    # it too); --config, when given, is only read.
    os.environ[paths.HOME_ENV] = str(home)
    try:
        if args.seconds is not None:
            args.seconds = demo_seconds(args.seconds)
        config, warnings = config_from_cli(with_game_overrides(args, demo=True))
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if args.seconds is None:
            config.round.seconds = 30           # the shortest round: a demo should be brisk
        if config.paths.data_dir or config.paths.leaderboard_file:
            print("demo: paths.data_dir and paths.leaderboard_file are not used: the demo "
                  "writes to a throw-away folder", flush=True)
        config.paths.data_dir, config.paths.leaderboard_file = str(home / "data"), ""
        director = make_director(args, config)
        from game.launcher import run_game

        code = run_game(config, paths.default_config_path(), warnings, seed=args.seed,
                        content=args.content, style=args.style, director=director,
                        fast_clock=not args.realtime, attempt=args.attempt)
    finally:
        if args.keep_data is None:
            shutil.rmtree(home, ignore_errors=True)
    if args.screenshots is not None and code == 0:
        print(f"demo: {len(director.shots)} screenshots in {args.screenshots}")
    if args.keep_data is not None:
        print(f"demo: settings, leaderboard and paintings kept in {home}")
    return code


def demo_refusal(args: argparse.Namespace) -> str | None:
    """Why the demo cannot do what was asked, in one line; None when it can."""
    pictures = [(option, path) for option, path in (("--content", args.content),
                                                     ("--style", args.style)) if path]
    if pictures and args.party is not None:
        return ("--content and --style are for the solo and kiosk demos; a party picks its "
                "pictures in the lobby")
    from game.image_loader import ImageLoadError, load_rgb

    for option, path in pictures:
        try:
            load_rgb(path)
        except ImageLoadError as error:
            return f"{option}: {error}"
    return None


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
    # A photo or painting from the command line stays for every round: the bot shuffles
    # and picks only the other one.
    keep = {"keep_content": args.content is not None, "keep_style": args.style is not None}
    if config.kiosk.enabled:
        from game.demo_kiosk import KioskDemoDirector
        return KioskDemoDirector(rounds=rounds, screenshots=args.screenshots, seed=seed,
                                 **keep)
    from game.demo import DemoDirector
    return DemoDirector(rounds=rounds, screenshots=args.screenshots, seed=seed, **keep)


def run_models(args: argparse.Namespace, rest: list[str]) -> int:
    # Model commands may import TensorFlow; the game never does.
    from models.cli import main as models_main

    def bot_painter():      # only train-encoder calls it: the bot is game code
        from game.bot import bot_painter as make
        return make()
    return models_main(without_verbose(rest), bot_painter=bot_painter)


def run_stylize(args: argparse.Namespace, rest: list[str]) -> int:
    # The game's loader and video module are handed over: models never imports game.
    from game import video_files
    from game.image_loader import load_rgb
    from models.stylize_cli import main as stylize_main
    rest = without_verbose(rest)
    if args.artist is not None or not args.styles:
        paths = artist_paintings(args.artist)
        if paths is None:
            return 2
        rest = without_artist(rest) + [str(path) for path in paths]
    return stylize_main(rest, load_rgb, video_files)


def artist_paintings(name: str | None) -> list[Path] | None:
    """The files of an artist's famous paintings (game.artists), or None after saying why."""
    from game.catalogue import default_art_dir, load_catalogue
    artists = load_catalogue(default_art_dir(), check_images=False).artists()
    found = [a for a in artists if name and name.casefold() in (a.artist.casefold(),
                                                                a.id.split(":", 1)[1])]
    if not found:
        named = f"no artist {name!r} in the catalogue" if name else "no STYLE and no --artist"
        print(f"main.py stylize: {named} (artists with several paintings: "
              f"{', '.join(a.artist for a in artists)})", file=sys.stderr)
        return None
    return [member.path for member in found[0].members]


def without_artist(rest: list[str]) -> list[str]:
    """The arguments without --artist NAME / --artist=NAME (the style paths replace it)."""
    out, skip = [], False
    for arg in rest:
        if skip:
            skip = False
        elif arg == "--artist":
            skip = True
        elif not arg.startswith("--artist="):
            out.append(arg)
    return out


def run_score(args: argparse.Namespace, rest: list[str]) -> int:
    from game.image_loader import load_rgb
    from models.score_cli import main as score_main
    return score_main(without_verbose(rest), load_rgb)


def run_farm(args: argparse.Namespace, rest: list[str]) -> int:
    # Ray and the farm's engines run here, never in the game (docs/farm.md).
    from models.farm.cli import main as farm_main
    return farm_main(without_verbose(rest))


def run_supervise(args: argparse.Namespace, rest: list[str]) -> int:
    return supervise(rest, verbose=args.verbose)


def supervise(argv: list[str], verbose: bool = False) -> int:
    """`main.py supervise [-- game options]`: run the game, restart it after a crash.

    The restart log goes to the data folder of the settings the game will use, so staff
    find it beside the leaderboard.
    """
    from game.config import config_from_cli, resolved_data_dir
    from game.supervisor import main as supervisor_main

    rest = argv[argv.index("--") + 1:] if "--" in argv else \
        [arg for arg in argv if arg not in HELP_FLAGS + VERBOSE_FLAGS]
    if verbose and not any(arg in VERBOSE_FLAGS for arg in rest):
        rest = ["-v", *rest]
    options, _ = build_parser("play").parse_known_args(["play", *rest])
    config, _ = config_from_cli(options)
    log_path = resolved_data_dir(config) / "supervisor.log"
    game = [sys.executable, str(Path(__file__).resolve()), "--kiosk", *rest]
    return supervisor_main(["--log", str(log_path), "--", *game])


RUNNERS = {"play": run_play, "demo": run_demo, "models": run_models,
           "stylize": run_stylize, "score": run_score, "supervise": run_supervise,
           "farm": run_farm}


if __name__ == "__main__":
    sys.exit(main(script=True))
