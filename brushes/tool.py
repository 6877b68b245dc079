"""What every tool shares: settings, a tip cache, and a Stroke that turns pointer
samples into stamps and re-composes only the rectangle they changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from .path import PathSampler, Stamp, stamp_budget
from .settings import BrushSettings, PressureParams
from .tips import TipCache

if TYPE_CHECKING:
    from .canvas import Canvas

Rect = tuple[int, int, int, int]  # (x0, y0, x1, y1) px, half-open


class Tool:
    """Base class; subclasses set `kind`, `params_type` and `stroke_type`."""

    kind: ClassVar[str] = ""
    params_type: ClassVar[type] = object
    stroke_type: ClassVar[type["Stroke"]]

    def __init__(self, settings: BrushSettings | None = None, params=None):
        self.settings = settings if settings is not None else BrushSettings()
        self.params = params if params is not None else self.params_type()
        self.tips = TipCache()  # per instance: no module-level caches

    def begin(self, canvas: "Canvas", x: float, y: float, t: float, seed: int = 0) -> "Stroke":
        """Start a stroke at (x, y) at game time t (seconds); seed makes it reproducible."""
        return self.stroke_type(self, canvas, x, y, t, seed)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings!r})"


class Stroke:
    """One stroke of one tool on one canvas. Subclasses implement `_stamp`."""

    needs_direction: ClassVar[bool] = False  # wait for movement before the first stamp
    changes_surface: ClassVar[bool] = False  # stamps change the surface height
    # Closest stamp spacing, px. Stamps land on whole px: one px apart gives every px
    # step its own stamp (closer, e.g. 0.75, repeats windows irregularly and beats).
    # Media whose stamps snap to a coarser grid raise it.
    min_spacing_px: ClassVar[float] = 1.0

    def __init__(self, tool: Tool, canvas: "Canvas", x: float, y: float, t: float, seed: int):
        self.tool = tool
        self.canvas = canvas
        self.settings = tool.settings.clamped()  # later UI changes don't leak into it
        self.params = tool.params
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF]))
        self.bbox: Rect | None = None  # every px this stroke's stamps touched
        self.ended = False
        size = self.settings.size
        self.path = PathSampler(x, y, t, self._spacing(), self._pressure_params(),
                                self.needs_direction, size * 0.3, stamp_budget(size))
        self._setup()
        self._apply(self.path.start())

    # -- subclass hooks
    def _spacing(self) -> float:
        # Relative to the size (down to min_spacing_px), so thin lines get stamps as
        # dense as their soft rims need. (A floor of 2 px left a 5 px line's stamps too
        # far apart: the paint along it alternated light and dark.)
        return max(self.settings.size * self.params.spacing, self.min_spacing_px)

    def _pressure_params(self) -> PressureParams:
        return getattr(self.params, "pressure", PressureParams(thin=0.0, fade=0.0))

    def _setup(self) -> None:
        """Per-stroke preparation (random bristles, buffers) before the first stamp."""

    def _stamp(self, s: Stamp) -> Rect | None:
        raise NotImplementedError

    # -- driving
    def extend(self, x: float, y: float, t: float) -> None:
        if not self.ended:
            self._apply(self.path.advance(x, y, t))

    def end(self) -> None:
        if not self.ended:
            self._apply(self.path.finish())
            self.ended = True

    def _apply(self, stamps: list[Stamp]) -> None:
        box: Rect | None = None
        for s in stamps:
            r = self._stamp(s)
            if r is not None:
                box = r if box is None else union_rect(box, r)
        if box is None:
            return
        # Margin: shading reads the top-left neighbour and wet cells tint one px around.
        self.canvas.compose(box[0] - 1, box[1] - 1, box[2] + 1, box[3] + 1,
                            surface=self.changes_surface)
        self.bbox = box if self.bbox is None else union_rect(self.bbox, box)


def union_rect(a: Rect, b: Rect) -> Rect:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])
