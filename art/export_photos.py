"""Write the scikit-image sample photographs we ship as content into art/content/*.png.

Run from the repository root:  .venv/bin/python -m art.export_photos

Only photos whose licence notes (in the skimage.data docstrings) allow redistribution
are listed here; catalogue.toml records each one's licence and source and explains
the exclusions. The output is deterministic: same pixels in, same PNG bytes out
(Pillow writes no timestamps), and every file must stay under MAX_BYTES so the
repository stays small.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skimage
import skimage.data
from PIL import Image

MAX_BYTES = 700_000
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True)
class Photo:
    id: str  # catalogue id and file stem
    loader: str  # name of the skimage.data function that returns the pixels


# Every loader here reads a file bundled inside the scikit-image wheel: no network.
PHOTOS: tuple[Photo, ...] = (
    Photo("astronaut", "astronaut"),
    Photo("chelsea", "chelsea"),
    Photo("coffee", "coffee"),
    Photo("rocket", "rocket"),
    Photo("camera", "camera"),
    Photo("coins", "coins"),
)


def photo_pixels(photo: Photo) -> np.ndarray:
    """The photo as (H, W, 3) uint8; greyscale sources are repeated into 3 channels."""
    data = np.asarray(getattr(skimage.data, photo.loader)())
    if data.dtype != np.uint8:
        raise ValueError(f"skimage.data.{photo.loader}() is {data.dtype}, expected uint8")
    if data.ndim == 2:
        data = np.repeat(data[:, :, None], 3, axis=2)  # (H, W) -> (H, W, 3)
    return np.ascontiguousarray(data[:, :, :3])  # (H, W, 3) uint8


def export_photo(photo: Photo, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{photo.id}.png"
    Image.fromarray(photo_pixels(photo)).save(target, format="PNG", optimize=True)
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise RuntimeError(f"{target} is {size} bytes, over the {MAX_BYTES}-byte budget")
    return target


def export_all(out_dir: Path = DEFAULT_OUT_DIR) -> list[Path]:
    return [export_photo(photo, out_dir) for photo in PHOTOS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    print(f"scikit-image {skimage.__version__}")
    for path in export_all(args.out):
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
