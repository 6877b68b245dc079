"""The player's current tool, colour, size and opacity (plain logic, no pygame).

All three brushes share one BrushSettings, so switching tool keeps colour and size.
"""
from __future__ import annotations

from brushes import Acrylic, BrushSettings, Eraser, Watercolour

BRUSH_KINDS = ("acrylic", "watercolour", "eraser")
KINDS = BRUSH_KINDS + ("eyedropper",)
# Geometric steps: equal key presses feel like equal changes at any size.
SIZES = (2, 3, 4, 6, 8, 12, 16, 24, 32, 44, 60, 80, 100, 120)
OPACITY_STEP = 0.1


class ToolBox:
    def __init__(self, color: tuple[int, int, int] = (40, 60, 120), size: int = 24,
                 opacity: float = 1.0) -> None:
        self.settings = BrushSettings(color=color, size=size, opacity=opacity)
        self.tools = {"acrylic": Acrylic(self.settings), "watercolour": Watercolour(self.settings),
                      "eraser": Eraser(self.settings)}
        self.kind = "acrylic"
        self.last_brush = "acrylic"     # where the eyedropper returns after one sample

    @property
    def brush(self):
        """The brush tool for a stroke, or None while the eyedropper is active."""
        return self.tools.get(self.kind)

    def set_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown tool {kind!r}")
        if kind in BRUSH_KINDS:
            self.last_brush = kind
        self.kind = kind

    def set_color(self, color: tuple[int, int, int]) -> None:
        self.settings.color = tuple(int(v) for v in color)

    def pick_color(self, color: tuple[int, int, int]) -> None:
        """The eyedropper's sample: set the colour and go back to painting."""
        self.set_color(color)
        self.kind = self.last_brush if self.last_brush != "eraser" else "acrylic"

    def set_size(self, size: int) -> None:
        self.settings.size = int(max(SIZES[0], min(SIZES[-1], size)))

    def step_size(self, steps: int) -> None:
        current = min(range(len(SIZES)), key=lambda i: abs(SIZES[i] - self.settings.size))
        self.set_size(SIZES[max(0, min(len(SIZES) - 1, current + steps))])

    def set_opacity(self, opacity: float) -> None:
        self.settings.opacity = round(max(0.1, min(1.0, opacity)), 2)

    def step_opacity(self, steps: int) -> None:
        self.set_opacity(self.settings.opacity + steps * OPACITY_STEP)
