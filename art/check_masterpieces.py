"""Both real engines on every painting candidate, as contact sheets for docs/art.md.

Run from the repository root (slow: Gatys gets GATYS_SECONDS per picture; run it niced):

    .venv/bin/python -m art.import_masterpieces --candidates out/art_candidates
    STYLE_DUEL_SHARED_MODELS=../shared/models nice -n 10 \\
        .venv/bin/python -m art.check_masterpieces out/art_candidates/styles

Each sheet has a row per painting: the painting, then for each of the PHOTOS what Magenta
and Gatys made of it. The pictures are made by bench/score_ladders.py (the same engines
and the same cache the score benchmarks use): Magenta TFLite, and Gatys on the VGG-19
blocks 1-3 at the game's CPU settings (256 px) with GATYS_SECONDS of L-BFGS, one thread.
Whether a row is "that painting's style" is judged by eye; docs/art.md records the verdicts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import score_ladders as ladders  # noqa: E402

from art.import_masterpieces import DITHERED, PAINTINGS  # noqa: E402

PHOTOS = ("content/chelsea.png", "content/kodak_kodim22.jpg")
GATYS_SECONDS = 20.0
CELL = (200, 150)
LABEL = 18
ROWS_PER_SHEET = 8
BACKGROUND = (24, 24, 28)
TEXT = (230, 230, 230)
DIM = (150, 150, 160)


def thumb(image: np.ndarray, box: tuple[int, int]) -> Image.Image:
    picture = Image.fromarray(image)
    picture.thumbnail(box, Image.Resampling.LANCZOS)
    return picture


def make_sheet(pictures: ladders.Pictures, styles: list[str], title: str,
               cell: tuple[int, int] = CELL) -> Image.Image:
    pair = pictures.sets["art"]
    contents = list(pair.contents)
    columns = 1 + 2 * len(contents)
    font = ImageFont.load_default(size=13)
    width = columns * cell[0] + (columns + 1) * 4
    row_h = cell[1] + LABEL + 6
    height = 30 + (len(styles) + 1) * row_h
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    draw.text((6, 6), title, fill=TEXT, font=ImageFont.load_default(size=16))

    def cell_x(column: int) -> int:
        return 4 + column * (cell[0] + 4)

    def paste_centred(picture: Image.Image, x: int, y: int) -> None:
        sheet.paste(picture, (x + (cell[0] - picture.width) // 2,
                              y + (cell[1] - picture.height) // 2))

    y = 30
    draw.text((cell_x(0), y + cell[1] // 2), "painting  /  photo:", fill=DIM, font=font)
    for i, name in enumerate(contents):
        x = cell_x(1 + 2 * i)
        paste_centred(thumb(pair.contents[name], cell), x + cell[0] // 2, y)
        draw.text((x, y + cell[1] + 2), f"{name}: Magenta, Gatys", fill=DIM, font=font)
    for style in styles:
        y += row_h
        paste_centred(thumb(pair.styles[style], cell), cell_x(0), y)
        draw.text((cell_x(0), y + cell[1] + 2), style[:cell[0] // 7], fill=TEXT, font=font)
        for i, name in enumerate(contents):
            for j, kind in enumerate(ladders.MACHINES):
                picture = pictures.get(kind, "art", name, style)
                paste_centred(thumb(picture, cell), cell_x(1 + 2 * i + j), y)
                draw.text((cell_x(1 + 2 * i + j), y + cell[1] + 2), kind, fill=DIM, font=font)
    return sheet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("styles", type=Path, help="folder of painting candidates")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--prefix", default="art-check")
    parser.add_argument("--photos", nargs="+", default=PHOTOS,
                        help="photos to paint, relative to art/")
    parser.add_argument("--only", nargs="+", default=None, metavar="ID",
                        help="only these paintings (default: every candidate)")
    parser.add_argument("--gatys-seconds", type=float, default=GATYS_SECONDS)
    parser.add_argument("--cell", type=int, nargs=2, default=CELL, metavar=("W", "H"),
                        help="size of one picture on the sheet")
    parser.add_argument("--colours", type=int, default=0,
                        help="save the sheets with this many colours (0: full colour); "
                             "docs/img uses 256 to keep the repository small")
    args = parser.parse_args(argv)
    settings = ladders.MachineSettings(gatys_seconds=args.gatys_seconds)
    labels = ladders.engine_labels(settings)
    if "offline" in labels["magenta"] + labels["gatys"]:
        raise SystemExit(f"the real models are not installed: {labels}")
    contents = {Path(p).stem: ladders.load_rgb(ROOT / "art" / p) for p in args.photos}
    groups = [("true colour", [s.id for s in PAINTINGS]),
              ("16-colour dithered", [s.id for s in DITHERED])]
    if args.only:
        groups = [("checked again", args.only)]
    styles = {i: ladders.load_rgb(args.styles / f"{i}.jpg") for _, ids in groups for i in ids}
    pair = ladders.PairSet("art", contents, styles)
    everything = {("art", c, s) for c, s in pair.pairs()}
    pictures = ladders.Pictures({"art": pair}, settings, labels, everything)
    args.out.mkdir(parents=True, exist_ok=True)
    number = 0
    for group, ids in groups:
        sheets = -(-len(ids) // ROWS_PER_SHEET)
        per_sheet = -(-len(ids) // sheets)
        for start in range(0, len(ids), per_sheet):
            number += 1
            title = f"{group}: {labels['magenta']}; {labels['gatys']} (pictures at 384 px)"
            path = args.out / f"{args.prefix}-{number}.png"
            sheet = make_sheet(pictures, ids[start:start + per_sheet], title, tuple(args.cell))
            if args.colours:
                sheet = sheet.quantize(args.colours, method=Image.Quantize.MEDIANCUT)
            sheet.save(path, optimize=True)
            print(f"wrote {path}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
