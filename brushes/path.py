"""Pointer path -> evenly spaced stamps, each with direction, pressure and distance.

Stamping at a fixed spacing (not once per mouse event) makes a stroke look the
same at any frame rate. Direction is smoothed so bristle streaks bend with the
stroke instead of jittering with the mouse; speed stands in for pen pressure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .settings import PressureParams

MIN_DT = 1.0 / 240.0  # two events in the same frame must not read as infinite speed
MAX_STAMPS_PER_MOVE = 16  # a flick across the canvas must not cost a frame of stamps
THIN_SIZE = 20.0  # px; below this a stamp costs mostly fixed overhead, not area


def stamp_budget(size: float) -> int:
    """Most stamps one pointer move may cost for a tip `size` px wide.

    A thin tip's stamp is cheap (~60 us at size 5 against ~400 us at 120), and a thin
    line needs its dense spacing kept at speed or it beads again, so thin tips get
    up to 4x the budget.
    """
    return int(MAX_STAMPS_PER_MOVE * min(max(THIN_SIZE / max(size, 1e-6), 1.0), 4.0))


@dataclass(frozen=True)
class Stamp:
    x: float
    y: float
    angle: float  # radians, direction of travel
    pressure: float  # 1 = slow and full, 0 = as fast as counts
    dist: float  # px travelled along the stroke before this stamp


class PathSampler:
    def __init__(self, x: float, y: float, t: float, spacing: float,
                 pressure: PressureParams, needs_direction: bool, max_spacing: float,
                 max_stamps: int = MAX_STAMPS_PER_MOVE):
        self.x, self.y, self.t = float(x), float(y), float(t)
        self.spacing = max(float(spacing), 0.5)
        self.max_spacing = max(float(max_spacing), self.spacing)  # still overlapping
        self.max_stamps = max(int(max_stamps), 1)  # per move, unless that breaks overlap
        self._prm = pressure
        self._needs_dir = needs_direction
        self.dist = 0.0
        self._to_next = 0.0  # path length still to go before the next stamp
        self._dir: tuple[float, float] | None = None
        self._speed = 0.0
        self._pressure = 1.0
        self.stamped = False

    def start(self) -> list[Stamp]:
        """Stamps for the press itself (none for directional brushes: no direction yet)."""
        if self._needs_dir:
            return []
        self.stamped = True
        self._to_next = self.spacing
        return [Stamp(self.x, self.y, 0.0, 1.0, 0.0)]

    def advance(self, x: float, y: float, t: float) -> list[Stamp]:
        x, y, t = float(x), float(y), float(t)
        dx, dy = x - self.x, y - self.y
        seg = math.hypot(dx, dy)
        dt = max(t - self.t, MIN_DT)
        if seg < 1e-6:
            self.t = t
            return []
        prm = self._prm
        a = prm.smoothing
        self._speed = self._speed * (1 - a) + (seg / dt) * a if self.stamped else seg / dt
        new_pressure = 1.0 - min(self._speed / prm.full_speed, 1.0)
        ux, uy = dx / seg, dy / seg
        old_dir = self._dir
        if old_dir is None:
            new_dir = (ux, uy)
        else:
            bx, by = old_dir[0] * 0.45 + ux * 0.55, old_dir[1] * 0.45 + uy * 0.55
            norm = math.hypot(bx, by)
            new_dir = (bx / norm, by / norm) if norm > 1e-6 else (ux, uy)
        old_dir = old_dir or new_dir
        a0, a1 = math.atan2(old_dir[1], old_dir[0]), math.atan2(new_dir[1], new_dir[0])
        turn = (a1 - a0 + math.pi) % (2 * math.pi) - math.pi
        p0 = self._pressure if self.stamped else new_pressure

        out: list[Stamp] = []
        if not self.stamped:
            out.append(Stamp(self.x, self.y, a0, p0, self.dist))
            self.stamped = True
            self._to_next = self.spacing
        # Long jumps get sparser stamps (up to max_spacing) to bound the work.
        step = min(max(self.spacing, seg / self.max_stamps), self.max_spacing)
        s = min(self._to_next, step)
        while s <= seg:
            f = s / seg
            out.append(Stamp(self.x + dx * f, self.y + dy * f, a0 + turn * f,
                             p0 + (new_pressure - p0) * f, self.dist + s))
            s += step
        self._to_next = s - seg
        self.dist += seg
        self.x, self.y, self.t = x, y, t
        self._dir = new_dir
        self._pressure = new_pressure
        return out

    def finish(self) -> list[Stamp]:
        """A click without movement still leaves a dab."""
        if self.stamped:
            return []
        self.stamped = True
        return [Stamp(self.x, self.y, 0.0, 1.0, 0.0)]
