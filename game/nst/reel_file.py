"""Gatys's reel on disk: one JPEG strip of its snapshots, and the layout to cut it back.

The result cache (game.nst.result_cache) keeps a Gatys result's reel beside its picture, so a
pair revealed from the cache replays too. Forty snapshots as forty files would be forty
writes and forty chances of a half entry; one strip is one file, written before the entry's
JSON (the commit mark), which holds the layout: `[[seconds, iteration, h, w], ...]`, oldest
first, each snapshot at the strip's left edge, one under the other. JPEG: the replay shows
them at 192 px for a moment each. Measured on a 35-s Gatys run at 256 px (33 snapshots,
192x128): quality 80 is 270 KB, a mean error of 6.8 levels (88: 359 KB, 5.7; 70: 215 KB,
7.6; the PNGs: 1.9 MB).

Reading checks the layout (count, sides, numbers) and the strip's size against it before
any pixel is decoded; the caller turns every ValueError into "no reel" and a log line.
No pygame, no TensorFlow.
"""
from __future__ import annotations

import math
from typing import BinaryIO

import numpy as np
from PIL import Image

from models.messages import MAX_SNAPSHOTS, SNAPSHOT_SIDE, Snapshot
from models.reel import valid_snapshots

JPEG_QUALITY = 80


def layout_of(snapshots: list[Snapshot]) -> list[list]:
    """The JSON record of a reel: [seconds, iteration, h, w] per snapshot."""
    return [[float(s.seconds), int(s.iteration), int(s.image.shape[0]), int(s.image.shape[1])]
            for s in snapshots]


def strip_size(layout: list) -> tuple[int, int]:
    """(width, height) of the strip a checked layout describes."""
    return max(w for *_, w in layout), sum(h for _, _, h, _ in layout)


def write_strip(stream: BinaryIO, snapshots: list[Snapshot]) -> None:
    """Every snapshot, one under the other, into one JPEG (black where a row is narrower)."""
    width, height = strip_size(layout_of(snapshots))
    strip = np.zeros((height, width, 3), np.uint8)     # (sum h, max w, 3)
    top = 0
    for snapshot in snapshots:
        h, w = snapshot.image.shape[:2]
        strip[top:top + h, :w] = snapshot.image
        top += h
    Image.fromarray(strip).save(stream, format="JPEG", quality=JPEG_QUALITY)


def checked_layout(layout: object) -> list[list]:
    """The JSON's "reel" value, checked; ValueError says what is wrong."""
    if not isinstance(layout, list) or not 1 <= len(layout) <= MAX_SNAPSHOTS:
        raise ValueError(f"the reel's layout is not a list of 1..{MAX_SNAPSHOTS} rows")
    checked = []
    for row in layout:
        if not (isinstance(row, list) and len(row) == 4
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row)):
            raise ValueError(f"bad reel row {row!r}")
        seconds, iteration, h, w = row
        if not (math.isfinite(seconds) and h == int(h) and w == int(w)
                and 1 <= h <= SNAPSHOT_SIDE and 1 <= w <= SNAPSHOT_SIDE):
            raise ValueError(f"bad reel row {row!r}")
        checked.append([float(seconds), int(iteration), int(h), int(w)])
    return checked


def read_strip(path, layout: object) -> list[Snapshot]:
    """The snapshots of the strip at `path` cut by `layout`; ValueError / OSError if the
    file or the layout is damaged (a strip of another size is never decoded)."""
    rows = checked_layout(layout)
    with Image.open(path) as picture:
        if picture.format != "JPEG" or picture.size != strip_size(rows):
            raise ValueError(f"the reel is {picture.format} {picture.size}, "
                             f"the record says JPEG {strip_size(rows)}")
        strip = np.asarray(picture.convert("RGB"), np.uint8)   # (sum h, max w, 3)
    snapshots, top = [], 0
    for seconds, iteration, h, w in rows:
        snapshots.append(Snapshot(seconds, iteration, strip[top:top + h, :w].copy()))
        top += h
    return valid_snapshots(snapshots)
