"""`python main.py models ...` (also `python -m models ...`): status, fetch, import, export.

    status                       what is installed where, and whether it checks out
    fetch [NAME ...]             download (default: what the game uses)
    import DIR                   install model files copied by hand (USB stick, share)
    export [--vgg-blocks N] DIR  copy installed files to DIR, or cut VGG-19 to N blocks
    train-encoder [--epochs N]   train the score's encoder (models/train_encoder.py)

Errors are one clear line on stderr and exit code 1; nothing here imports TensorFlow
except fetching the Hub or Keras files and importing a SavedModel folder.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from models import catalogue
from models.cache import MODELS_ENV, ModelCache
from models.fetch import MIRROR_ENV

# What `models fetch` without a name installs: both Magenta transfer models (the fp16 one
# is only 0.4 MB more) and the VGG-19 blocks the Gatys engine uses.
DEFAULT_FETCH = ("magenta-tflite-int8", "magenta-tflite-fp16", "vgg19-blocks1-3")


DESCRIPTION = "Install and check Style Duel's model files (the pretrained networks)."
EXAMPLES = """\
examples:
  main.py models status                     what is installed, where, verified or not
  main.py models fetch                      download what the game uses (needs internet)
  main.py models fetch vgg19                one catalogue entry
  main.py models import /media/usb/models   offline: install files copied by hand
  main.py models export /media/usb/models   copy what is installed (for another kiosk)
  main.py models export --vgg-blocks 3 DIR  write a VGG-19 file cut to blocks 1-3
  main.py models train-encoder              retrain the score's encoder (~7 min, 2 cores)

Each command has its own help: main.py models fetch --help."""
# One example (or two) under each command's own --help.
COMMAND_EXAMPLES = {
    "status": "main.py models status\n  STYLE_DUEL_MODELS=/srv/models main.py models status",
    "fetch": "main.py models fetch\n  main.py models fetch vgg19 --mirror "
             "https://mirror.example/models/",
    "import": "main.py models import /media/usb/style-duel-models",
    "export": "main.py models export /media/usb/style-duel-models\n"
              "  main.py models export --vgg-blocks 3 out/vgg",
    "train-encoder": "main.py models train-encoder\n  main.py models train-encoder --tiny "
                     "--out /tmp/encoder",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py models", description=DESCRIPTION,
                                     epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The models command's options and sub-commands (main.py's parser shares them)."""
    parser.add_argument("--models-dir", type=Path, metavar="DIR",
                        help=f"the model cache folder (default: ${MODELS_ENV} or the "
                             "per-user cache)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     title="commands")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=summary, description=summary[0].upper() + summary[1:] + ".",
            epilog=f"example:\n  {COMMAND_EXAMPLES[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter)

    command("status", "what is installed, where, and verified or not")
    fetch = command("fetch", "download models (needs internet)")
    fetch.add_argument("names", nargs="*", metavar="NAME",
                       help=f"catalogue entries: {', '.join(catalogue.entry_names())} "
                            f"(default: {' '.join(DEFAULT_FETCH)})")
    fetch.add_argument("--timeout", type=float, default=30.0,
                       help="seconds without data before a download counts as stalled")
    fetch.add_argument("--force", action="store_true", help="download even if installed")
    fetch.add_argument("--mirror", metavar="URL",
                       help=f"download from this base address instead (file names appended; "
                            f"default: ${MIRROR_ENV} when set)")
    imports = command("import", "install model files from a folder")
    imports.add_argument("folder", type=Path, metavar="DIR")
    export = command("export", "copy installed models to a folder")
    export.add_argument("folder", type=Path, metavar="DIR")
    export.add_argument("--vgg-blocks", type=int, metavar="N", choices=range(1, 6),
                        help="instead: write VGG-19 weights cut to blocks 1..N (1-5)")
    train = command("train-encoder", "train the score's autoencoder and calibrate the score")
    train.add_argument("--epochs", type=int, help="passes (default: the committed run's)")
    train.add_argument("--steps", type=int, help="batches per epoch")
    train.add_argument("--seed", type=int, help="random seed (default: the committed run's)")
    train.add_argument("--out", type=Path, metavar="DIR",
                       help="write the weights and record here (default: models/weights)")
    train.add_argument("--no-bot", action="store_true", help="no demo-bot paintings")
    train.add_argument("--no-magenta", action="store_true", help="no Magenta results")
    train.add_argument("--tiny", action="store_true", help="a tiny smoke-test run")


def main(argv: list[str] | None = None, bot_painter=None) -> int:
    """bot_painter: factory of the demo bot's painter for train-encoder (from main.py)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:          # --help, or a usage error already printed
        return int(stop.code or 0)
    cache = ModelCache(args.models_dir)
    try:
        if args.command == "status":
            return _status(cache)
        if args.command == "fetch":
            return _fetch(cache, args)
        if args.command == "import":
            return _import(cache, args.folder)
        if args.command == "train-encoder":
            from models.train_encoder import main as train_main
            return train_main(args, bot_painter)
        return _export(cache, args)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _status(cache: ModelCache) -> int:
    writable = os.access(cache.root, os.W_OK) if cache.root.exists() else True
    print(f"Model cache: {cache.root}{'' if writable else ' (read-only)'}")
    for entry in cache.status():
        state = ("verified" if entry.verified else "installed, NOT verified"
                 if entry.installed else "not installed")
        print(f"  {entry.entry.name:<22} {state}")
        for found in entry.files:
            if found.present:
                print(f"      {found.path.name}: {found.detail}")
    for found in cache.extra_files():
        state = "verified" if found.verified else "NOT verified"
        print(f"  {found.model_file.name:<22} {state} (extra file {found.path.name})")
    return 0


def _fetch(cache: ModelCache, args) -> int:
    from models.fetch import FetchError, FetchSettings, fetch_entry

    settings = FetchSettings(stall_timeout_s=args.timeout, force=args.force,
                             mirror=args.mirror)
    names = args.names or list(DEFAULT_FETCH)
    for name in names:
        catalogue.entry(name)           # unknown names fail before any download starts
    failed = 0
    for name in names:
        try:
            for path in fetch_entry(name, cache, settings):
                print(f"{name}: {path}")
        except FetchError as error:
            print(f"error: {name}: {error}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _import(cache: ModelCache, folder: Path) -> int:
    from models.importer import import_folder

    report = import_folder(folder, cache)
    for item in report.imported:
        note = " (already installed)" if item.already else ""
        print(f"imported {item.source.name} as {item.model_file.name} "
              f"[{item.check}]{note}")
    for item in report.ignored:
        print(f"ignored  {item.path.name}: {item.reason}")
    print(f"{len(report.imported)} imported, {len(report.ignored)} ignored; cache {cache.root}")
    return 0 if report.imported else 1


def _export(cache: ModelCache, args) -> int:
    from models.export import export_installed, export_vgg_blocks

    if args.vgg_blocks is not None:
        print(f"wrote {export_vgg_blocks(args.vgg_blocks, args.folder, cache)}")
        return 0
    written = export_installed(args.folder, cache)
    print(f"{len(written)} exported to {args.folder}")
    return 0 if written else 1
