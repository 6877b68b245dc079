"""Brush-tip geometry, precomputed per (diameter, angle) and cached on each tool.

A tip is a square window of normalised radius (0 at the centre, 1 on the rim) plus,
for directional brushes, the index of each pixel across the stroke into a 1-D
bristle profile. Stamps then only do cheap per-pixel maths on cached arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

ANGLE_BUCKETS = 64  # 5.6 degrees apart: fine enough that curves stay smooth
PROFILE_LEN = 256  # samples of the bristle profile across the brush (fits uint8)


@dataclass(frozen=True)
class Tip:
    n: int  # window side in px (or cells)
    r: np.ndarray  # (n, n) float32 distance from the centre / radius
    across: np.ndarray | None  # (n, n) uint8 bristle index across the stroke, or None


class TipCache:
    """Tips keyed by (half-px diameter, angle bucket); lives on one tool instance."""

    def __init__(self, max_entries: int = 512):
        self._tips: dict[tuple[int, int], Tip] = {}
        self._max = max_entries

    def get(self, diameter: float, angle: float | None = None, aspect: float = 1.0) -> Tip:
        """Tip for a brush `diameter` units wide; `angle` (radians) makes it directional.

        aspect < 1 shortens the footprint along the stroke direction (a flattish brush).
        """
        dkey = max(int(round(diameter * 2.0)), 2)
        bucket = -1  # round tip, no direction
        if angle is not None:
            bucket = int(round(angle / (2 * math.pi) * ANGLE_BUCKETS)) % ANGLE_BUCKETS
        key = (dkey, bucket)
        tip = self._tips.get(key)
        if tip is None:
            if len(self._tips) >= self._max:
                self._tips.pop(next(iter(self._tips)))  # oldest first: sizes change rarely
            tip = _make_tip(dkey / 2.0, bucket, aspect)
            self._tips[key] = tip
        return tip

    def __len__(self) -> int:
        return len(self._tips)


def _make_tip(diameter: float, bucket: int, aspect: float) -> Tip:
    radius = max(diameter / 2.0, 0.5)
    n = int(math.ceil(diameter)) + 3  # room for the anti-aliased rim
    c = (n - 1) / 2.0
    d = np.arange(n, dtype=np.float32) - np.float32(c)
    dy, dx = np.meshgrid(d, d, indexing="ij")  # (n, n) each
    if bucket < 0:
        r = np.sqrt(dx * dx + dy * dy) / np.float32(radius)
        return Tip(n, r.astype(np.float32), None)
    ang = bucket * 2 * math.pi / ANGLE_BUCKETS
    ca, sa = np.float32(math.cos(ang)), np.float32(math.sin(ang))
    along = (dx * ca + dy * sa) / np.float32(radius)
    across = (-dx * sa + dy * ca) / np.float32(radius)
    r = np.sqrt(across * across + (along / np.float32(aspect)) ** 2)
    idx = np.clip((across + 1.0) * 0.5 * (PROFILE_LEN - 1) + 0.5, 0, PROFILE_LEN - 1)
    return Tip(n, r.astype(np.float32), idx.astype(np.uint8))


def window(center: float, n: int) -> int:
    """Top/left index of an n-wide window centred on `center` (pixel-centre coordinates)."""
    return int(math.floor(center - (n - 1) / 2.0 + 0.5))
