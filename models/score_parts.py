"""The verdict on one painting against one machine picture: three parts, each 0-10, and a score.

    layout     where the shapes and edges are: the centred cosine of the high-passed
               lightness maps (16 x 16 and 32 x 32). Lightness only, so the palette does not
               count here; high-passed, so the big tonal masses a few blobs can copy do not.
    colour     the palette and where it sits: the RMS distance of the standardised 8 x 8 x 16
               colour codes (the autoencoder was trained to keep exactly "which colour where").
    brushwork  how much of the canvas carries marks, and how strong: the mean |log ratio| of
               the quantiles of local texture energy in the fine lightness maps.

Calibrated per reference (`Reference`): each machine picture R gets its own zero and ten. Zero
is what trivial canvases of R get (white, untouched paper, R's flat mean colour, R's palette as
random blobs) and, for layout, also R with a wrong layout (upside down, rotated, tiles
deranged, averaged over 8 cells); seven is R blurred (its layout without its brushwork); ten is
a copy of R. So no pair is easy or hard by luck: a pale hatching picture and a dark night scene
both put their own flat fill at 0. The other machine's picture is never an anchor.

    score = 0.6 layout + gate * (0.2 colour + 0.2 brushwork),   gate = min(1, layout / 5)

The gate is the rule "colour and brushwork count once the picture is there": a wrong-layout
canvas of R keeps R's exact palette and texture, and would otherwise collect 2-4 points for
nothing. docs/score.md has the measurements behind every constant.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from models.score_features import PictureFeatures

PARTS = ("layout", "colour", "brushwork")


@dataclass(frozen=True)
class ScoreConfig:
    # Layout: the best trivial or wrong-layout canvas of R sets the zero; capped so that a
    # reference with almost no structure still leaves room between zero and a copy.
    layout_zero_cap: float = 0.8
    # Where R blurred (its layout without its brushwork) lands, as a fraction of 10 before the
    # exponent: 0.7 -> 7.8 shown. A painting that has R's shapes but not its marks.
    layout_blurred_at: float = 0.7
    # Concave exponents: a painting halfway to the reference in raw terms shows more than half.
    # Without them the two machines' pictures of one pair (which agree on the layout but not
    # on colours or marks) stay under 7.
    layout_gamma: float = 0.7
    colour_gamma: float = 0.5
    brushwork_gamma: float = 0.5
    # The combination. Layout is the part that separates the right picture from a wrong one;
    # colour and brushwork move a good layout by up to +-4 points between them.
    weights: tuple[float, float, float] = (0.6, 0.2, 0.2)
    # Colour and brushwork count fully once layout reaches this (linearly below it).
    gate: float = 5.0
    # "The big shapes are missing" rather than "elsewhere" below this layout part.
    layout_missing_below: float = 2.0


def centred_cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two centred maps; 0 when either is flat."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na < 1e-6 or nb < 1e-6:
        return 0.0
    return float((a * b).sum() / (na * nb))


@dataclass(frozen=True)
class Measures:
    """Raw comparisons of one picture with a reference, before calibration."""

    layout: float       # similarity, 1 for a copy
    colour: float       # distance, 0 for a copy
    brushwork: float    # distance, 0 for a copy
    busier: float       # > 0: the picture's median texture energy is above the reference's


def measure(picture: PictureFeatures, reference: PictureFeatures) -> Measures:
    layout = 0.5 * (centred_cosine(picture.layout16, reference.layout16)
                    + centred_cosine(picture.layout32, reference.layout32))
    colour = float(np.sqrt(((picture.code - reference.code) ** 2).mean()))
    # (2, Q) quantiles; eps (1 % of the reference's mean energy per layer) keeps a flat
    # picture's zeros finite and makes tiny differences on smooth pictures count for little.
    eps = 0.01 * reference.texture.mean(axis=1, keepdims=True) + 1e-9
    log_ratio = np.log((picture.texture + eps) / (reference.texture + eps))
    median = log_ratio.shape[1] // 2
    return Measures(layout, colour, float(np.abs(log_ratio).mean()),
                    float(log_ratio[:, median].mean()))


@dataclass
class Judgement:
    """One painting against one reference: unrounded parts and score."""

    parts: dict[str, float]
    score: float
    busier: float                 # the brushwork's sign (see Measures)
    lost: dict[str, float] = field(default_factory=dict)   # points each part cost


class Reference:
    """One machine picture, ready to judge paintings: its features and its own anchors."""

    def __init__(self, features: PictureFeatures, anchors: dict[str, dict[str, Measures]],
                 config: ScoreConfig):
        self.features, self.config = features, config
        trivial = list(anchors["trivial"].values())
        wrong = trivial + list(anchors["wrong_layout"].values())
        self.layout_zero = min(max(0.0, max(m.layout for m in wrong)), config.layout_zero_cap)
        blurred = anchors["upper"]["blurred"].layout
        self.layout_blurred = min(max(blurred, self.layout_zero + 0.1), 1.0)
        self.colour_zero = max(min(m.colour for m in trivial), 1e-9)
        self.brushwork_zero = max(min(m.brushwork for m in trivial), 1e-9)

    def judge(self, picture: PictureFeatures) -> Judgement:
        cfg = self.config
        m = measure(picture, self.features)
        zero, upper, at = self.layout_zero, self.layout_blurred, cfg.layout_blurred_at
        if m.layout <= upper:
            x = at * (m.layout - zero) / (upper - zero)
        else:
            x = at + (1 - at) * (m.layout - upper) / max(1 - upper, 1e-9)
        raw = {"layout": x, "colour": 1 - m.colour / self.colour_zero,
               "brushwork": 1 - m.brushwork / self.brushwork_zero}
        gammas = {"layout": cfg.layout_gamma, "colour": cfg.colour_gamma,
                  "brushwork": cfg.brushwork_gamma}
        parts = {k: 10 * float(np.clip(raw[k], 0, 1)) ** gammas[k] for k in PARTS}
        score, lost = combine(parts, cfg)
        return Judgement(parts, score, m.busier, lost)


def combine(parts: dict[str, float], config: ScoreConfig) -> tuple[float, dict[str, float]]:
    """Parts 0..10 -> (score 0..10, points lost per part). Colour and brushwork credit held
    back by the gate is charged to layout, which is what withheld it."""
    w_layout, w_colour, w_brush = config.weights
    gate = min(1.0, parts["layout"] / config.gate) if config.gate else 1.0
    score = w_layout * parts["layout"] + gate * (w_colour * parts["colour"]
                                                 + w_brush * parts["brushwork"])
    lost = {"layout": w_layout * (10 - parts["layout"])
            + (1 - gate) * (w_colour * parts["colour"] + w_brush * parts["brushwork"]),
            "colour": gate * w_colour * (10 - parts["colour"]),
            "brushwork": gate * w_brush * (10 - parts["brushwork"])}
    return min(10.0, max(0.0, score)), lost


def costliest(judgements: list[Judgement], config: ScoreConfig) -> str:
    """The part that lost the most points over the references, as a models.messages.COST_KEYS
    key; "" for a copy (nothing lost)."""
    lost = {k: float(np.mean([j.lost[k] for j in judgements])) for k in PARTS}
    part = max(PARTS, key=lambda k: lost[k])
    if lost[part] < 0.05:
        return ""
    if part == "layout":
        layout = float(np.mean([j.parts["layout"] for j in judgements]))
        return "layout_missing" if layout < config.layout_missing_below else "layout"
    if part == "brushwork":
        busier = float(np.mean([j.busier for j in judgements]))
        return "brush_busy" if busier > 0 else "brush_smooth"
    return "colour"
