"""Paint engine for Style Duel: paper, acrylic, watercolour, eraser, undo and replay.

numpy only (no pygame, no TensorFlow); the game blits `Canvas.rgb8_region` itself.

    canvas = Canvas(800, 600, seed=7)
    history = History(limit=100)
    tool = Watercolour(BrushSettings(color=(34, 44, 136), size=40))
    history.begin(canvas, tool, x, y, t); history.extend(canvas, x, y, t); history.end(canvas)
    canvas.update(dt)  # every frame: watercolour bleeds and dries
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
