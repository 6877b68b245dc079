"""The passes of a painting, coarse to fine: washes, body strokes, detail."""
from __future__ import annotations

from dataclasses import dataclass

from game.bot.stroke import ACRYLIC, WATERCOLOUR


@dataclass(frozen=True)
class Layer:
    """What every pass of the painting has."""
    tool: str
    sizes: tuple[int, int]          # smallest, largest brush diameter, canvas px
    opacities: tuple[float, float]  # lowest, highest
    share: float                    # fraction of the stroke budget
    most: int                       # cap on the layer's strokes, however big the budget


@dataclass(frozen=True)
class WashLayer(Layer):
    """Blocking in: watercolour washes hatched over regions of similar colour."""
    rows: float                     # hatch row spacing, as a fraction of the brush size
    size_per_side: float            # brush diameter per side (sqrt of area) of its region


@dataclass(frozen=True)
class TracedLayer(Layer):
    """Marks traced along the content's edges, placed where the painting so far is wrong."""
    orient_sigma: float             # orientation smoothing, as a fraction of the largest size
    colour_sigma: float             # colour sampling blur, as a fraction of the largest size
    stop_delta: float               # Lab drift from the start's colour match that ends a stroke
    step: float                     # tracing step as a fraction of the brush size
    min_steps: int                  # steps traced each way whatever the colour does
    max_steps: int                  # most steps traced each way from the start point
    rounds: int                     # batches; each looks at what the earlier ones missed
    on_edges: bool                  # start where the error sits on strong content edges
    focus: float                    # how strictly starts go to the neediest spots (0: anywhere)


# Washes are full strength: a glaze already dries far paler than its paint.
WASH = WashLayer(tool=WATERCOLOUR, sizes=(60, 120), opacities=(0.85, 1.0), share=0.12, most=40,
                 rows=0.7, size_per_side=0.6)
BODY = TracedLayer(tool=ACRYLIC, sizes=(20, 40), opacities=(0.8, 1.0), share=0.68,
                   most=100_000, orient_sigma=0.35, colour_sigma=0.15, stop_delta=15.0,
                   step=0.45, min_steps=2, max_steps=8, rounds=3, on_edges=False, focus=2.0)
DETAIL = TracedLayer(tool=ACRYLIC, sizes=(6, 12), opacities=(0.9, 1.0), share=0.2,
                     most=100_000, orient_sigma=0.5, colour_sigma=0.1, stop_delta=10.0,
                     step=0.6, min_steps=1, max_steps=12, rounds=2, on_edges=True, focus=4.0)
LAYERS = (WASH, BODY, DETAIL)
