"""Paint the twelve style paintings of art/catalogue.toml into art/styles/*.png.

Run from the repository root:

    .venv/bin/python -m art.paint_styles              # all twelve
    .venv/bin/python -m art.paint_styles mosaic drips # just these
    .venv/bin/python -m art.paint_styles --out /tmp/styles

Every mark is made with the game's own brush engine (package `brushes`: acrylic and
watercolour on a procedural paper), helped by numpy for flat underpainting and
geometry. The paintings are the project's own work (CC0). Everything is seeded, so
each run writes byte-identical PNGs; each file must stay under MAX_BYTES.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from art.styles_lib import blocks, flows, marks, mosaic
from art.styles_lib.kit import HEIGHT, WIDTH

MAX_BYTES = 450_000  # hard limit per file (the repository must stay small)
TARGET_BYTES = 420_000  # above this, drop invisible low bits to keep a margin
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "styles"

# id -> painter; the ids match art/catalogue.toml and name the PNG files.
STYLES: tuple[tuple[str, Callable[[], np.ndarray]], ...] = (
    ("colour_fields", blocks.paint_colour_fields),
    ("geometric_grid", blocks.paint_geometric_grid),
    ("concentric_circles", flows.paint_concentric_circles),
    ("swirling_flow", flows.paint_swirling_flow),
    ("pointillism", marks.paint_pointillism),
    ("drips", marks.paint_drips),
    ("mosaic", mosaic.paint_mosaic),
    ("hatching", marks.paint_hatching),
    ("watercolour_washes", marks.paint_watercolour_washes),
    ("cubist_shards", blocks.paint_cubist_shards),
    ("wave_bands", flows.paint_wave_bands),
    ("night_impasto", flows.paint_night_impasto),
)
STYLE_IDS: tuple[str, ...] = tuple(sid for sid, _ in STYLES)


def paint(style_id: str) -> np.ndarray:
    """(384, 512, 3) uint8 painting for one style id."""
    fn = dict(STYLES)[style_id]
    img = fn()
    if img.shape != (HEIGHT, WIDTH, 3) or img.dtype != np.uint8:
        raise ValueError(f"{style_id}: got {img.shape} {img.dtype}")
    return img


def png_bytes(img: np.ndarray) -> bytes:
    """Deterministic PNG encoding (Pillow writes no timestamps).

    Fine paint and paper texture compresses poorly; if a picture is too big
    the lowest bits are dropped (invisible at 1-2 levels of 255) until it is under
    TARGET_BYTES.
    """
    for mask in (0xFF, 0xFE, 0xFC, 0xF8):
        buf = io.BytesIO()
        Image.fromarray(img & np.uint8(mask), "RGB").save(buf, format="PNG", optimize=True)
        if buf.tell() <= TARGET_BYTES:
            break
    return buf.getvalue()


def write_style(style_id: str, out_dir: Path) -> tuple[Path, int]:
    data = png_bytes(paint(style_id))
    if len(data) > MAX_BYTES:
        raise ValueError(f"{style_id}: {len(data)} bytes is over {MAX_BYTES}")
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{style_id}.png"
    path.write_bytes(data)
    return path, len(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ids", nargs="*", help=f"style ids (default: all): {', '.join(STYLE_IDS)}")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder")
    args = ap.parse_args(argv)
    unknown = [i for i in args.ids if i not in STYLE_IDS]
    if unknown:
        ap.error(f"unknown style ids: {', '.join(unknown)}")
    start = time.perf_counter()
    for sid in args.ids or STYLE_IDS:
        t0 = time.perf_counter()
        path, size = write_style(sid, args.out)
        print(f"{path.name:24s} {size / 1024:7.1f} KB {time.perf_counter() - t0:6.1f} s")
    print(f"total {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
