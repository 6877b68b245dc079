"""`python main.py stylize CONTENT STYLE [STYLE...]`: one NST picture from the command line.

Runs the same engine the game's worker would choose (real models from the cache, else the
offline stand-ins), in this process, with a progress bar for Gatys. Images come in through
the caller's loader (the game's defensive one), so bad files get the same clear messages.
An --out ending .mp4, .gif or .webp makes CONTENT a video, painted frame by frame
(models/stylize_video.py) through the caller's video module, handed over like the loader.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

import numpy as np

from models.messages import Job, Progress
from models.progress import ProgressBar
from models.stylize_video import MAX_SMOOTH, VIDEO_KINDS, run_video


DESCRIPTION = "Paint a photo in one or more styles, as the game's machines would."
EXAMPLES = """\
examples:
  main.py stylize art/content/coffee.png art/styles/night_impasto.png --out out/coffee.png
  main.py stylize photo.jpg a.png b.png --weights 2 1 --engine gatys --size 256 \\
          --seconds 30 --out out/mix.png        two styles mixed 2:1, with Gatys
  main.py stylize clip.mp4 art/styles/night_impasto.png --smooth 0.6 --out out/clip.gif
                                        every frame of a video (or GIF), less flicker"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py stylize", description=DESCRIPTION,
                                     epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The stylize command's arguments (main.py's parser shares them)."""
    parser.add_argument("content", type=Path,
                        help="the photo (a video or GIF when --out is .mp4/.gif/.webp)")
    parser.add_argument("styles", type=Path, nargs="+", help="one or more style paintings")
    parser.add_argument("--engine", choices=("magenta", "gatys"), default="magenta")
    parser.add_argument("--size", type=int, default=384,
                        help="long side of the result in pixels (Gatys works at this size)")
    parser.add_argument("--strength", type=float, default=1.0,
                        help="0 keeps the photo's look, 1 is the full style")
    parser.add_argument("--weights", type=float, nargs="+",
                        help="one weight per style (artist mode); default equal")
    parser.add_argument("--seconds", type=float, default=60.0, help="Gatys time budget")
    parser.add_argument("--out", type=Path, required=True,
                        help="output PNG; .mp4, .gif or .webp paints a video frame by frame")
    parser.add_argument("--smooth", type=float, default=0.0, metavar="S",
                        help=f"video only: temporal smoothing 0-{MAX_SMOOTH:g} against "
                             "flicker (0.6 is a good start; moving parts stay sharp)")
    parser.add_argument("--models-dir", type=Path, metavar="DIR", help="model cache folder")
    parser.add_argument("--farm", metavar="URL", help="paint it on this render farm instead "
                                                      "(docs/farm.md)")
    parser.add_argument("--token-file", type=Path, metavar="FILE",
                        help="with --farm: the file holding the farm's token")


def fit_long_side(image: np.ndarray, side: int) -> np.ndarray:
    from PIL import Image

    h, w = image.shape[:2]
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(image).resize(size, Image.LANCZOS))


def video_refusal(args: argparse.Namespace, video_files) -> str | None:
    """Why this video command cannot run, in one line; None when it can."""
    if video_files is None:
        return "video needs the game's video module (run it as `main.py stylize`)"
    if args.engine == "gatys":
        return ("--engine gatys takes about 30 s a frame, too slow for a video: "
                "use --engine magenta")
    if args.farm:
        return "--farm paints single pictures; a video is painted on this computer"
    if not 0 <= args.smooth <= MAX_SMOOTH:
        return f"--smooth must be between 0 and {MAX_SMOOTH:g}"
    return None


def main(argv: list[str], load_image: Callable[[Path], np.ndarray],
         video_files=None) -> int:
    """Returns the exit code; load_image raises an exception whose str is the message.

    video_files: the game's video module (probe_video, read_frames, VideoWriter), which
    main.py hands over for a video --out.
    """
    args = build_parser().parse_args(argv)
    weights = args.weights or [1.0] * len(args.styles)
    if len(weights) != len(args.styles) or not 0 <= args.strength <= 1 or args.size < 16:
        print("stylize: one weight per style, strength in [0, 1], size >= 16", file=sys.stderr)
        return 2
    video = args.out.suffix.lower() in VIDEO_KINDS
    refusal = video_refusal(args, video_files) if video else (
        "--smooth is for a video --out (.mp4, .gif or .webp)" if args.smooth else None)
    if refusal:
        print(f"stylize: {refusal}", file=sys.stderr)
        return 2
    try:
        content = None if video else fit_long_side(load_image(args.content), args.size)
        styles = [(load_image(path), w) for path, w in zip(args.styles, weights)]
    except Exception as exc:  # noqa: BLE001 - the loader's message is the one to show
        print(f"stylize: {exc}", file=sys.stderr)
        return 1
    if video:                      # loaded after the file checks: TF takes seconds
        from models import engines

        return run_video(args, styles, video_files, lambda: engines.load_engine(
            "magenta", args.models_dir, threads=os.cpu_count() or 1))
    settings = {"size": args.size} if args.engine == "gatys" else {}
    if args.farm:
        from models.farm.cli import stylize_on_farm
        return stylize_on_farm(args, content, styles, settings)
    from models.engines import load_engine

    engine = load_engine(args.engine, args.models_dir, threads=os.cpu_count() or 1)
    job = Job("cli", "cli", args.engine, content, styles, args.strength, args.seconds, settings)
    bar = (ProgressBar(engine.label, total=1000, show_bytes=False)
           if args.engine == "gatys" else None)

    def report(progress: Progress) -> None:
        if bar is not None:
            bar.note = f"iteration {progress.iteration}"
            bar.update(round(progress.fraction * 1000))

    output = engine.run(job, report, lambda: False)
    if bar is not None:
        bar.update(1000)
        bar.finish()
    from PIL import Image

    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(output.image).save(args.out)
    print(f"{output.label}: wrote {args.out} ({output.image.shape[1]}x{output.image.shape[0]}, "
          f"{output.iterations} iteration{'s' if output.iterations != 1 else ''})")
    for note in output.notes:
        print(f"  note: {note}")
    return 0
