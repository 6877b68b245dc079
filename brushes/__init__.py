"""Paint engine for Style Duel: paper, acrylic, watercolour, eraser, undo and replay.

numpy only (no pygame, no TensorFlow, no scipy); the game blits the pictures itself.

    canvas = Canvas(800, 600, seed=7)          # clean paper; canvas.paper is its height field
    history = History(limit=100)               # undo memory capped at 256 MiB by default
    tool = Watercolour(BrushSettings(color=PALETTE[10], size=40, opacity=1.0))
    history.begin(canvas, tool, x, y, t)       # t: game time in seconds (speed = pressure)
    history.extend(canvas, x, y, t)            # per pointer event
    history.end(canvas)
    canvas.update(dt)                          # every frame: watercolour bleeds and dries
    rect = canvas.pop_dirty()                  # (x, y, w, h) or None
    if rect: surface_blit(canvas.rgb8_region(*rect))
    history.undo(canvas); history.redo(canvas); history.clear(canvas)
    replay(history.log, Canvas(800, 600, seed=7))  # same pixels (kiosk time-lapse)

Modules: canvas (state, wet-layer timing) with display (compositing, lighting,
dirty rectangle) and regions (touched tiles, undo capture), boxes (cell boxes), wet
(watercolour simulation), paper (height field), acrylic / watercolour / eraser
(tools), tool + path + tips (shared stroke machinery), history + tiles (undo),
record (stroke log, replay), color (palette, HSV, eyedropper), settings
(dataclasses), scratch (work buffers).
"""

from .acrylic import Acrylic
from .canvas import Canvas, CanvasLook
from .color import PALETTE, PALETTE_NAMES, hsv_to_rgb, rgb_to_hsv, sample_color
from .eraser import Eraser
from .history import History
from .paper import PaperSettings
from .record import StrokeRecord, replay, replay_steps
from .settings import (AcrylicParams, BrushSettings, EraserParams, PressureParams,
                       WatercolourParams)
from .tool import Stroke, Tool
from .watercolour import Watercolour
from .wet import WetParams

__all__ = [
    "Acrylic", "AcrylicParams", "BrushSettings", "Canvas", "CanvasLook", "Eraser",
    "EraserParams", "History", "PALETTE", "PALETTE_NAMES", "PaperSettings", "PressureParams",
    "Stroke", "StrokeRecord", "Tool", "Watercolour", "WatercolourParams", "WetParams",
    "hsv_to_rgb", "replay", "replay_steps", "rgb_to_hsv", "sample_color",
]
