"""Pixel behaviour of the brushes package: dirty rects, regions and watercolour.

Every check looks at real pixels of `Canvas.rgb8()`; nothing here measures time.
"""

from __future__ import annotations

import numpy as np
import pytest

from brush_helpers import FRAME, H, W, Painter, acrylic, lum, water
from brushes import PALETTE, BrushSettings, Canvas, Eraser, Watercolour
from brushes.paper import valleys


# ----------------------------------------------------------------- dirty rect
@pytest.mark.parametrize("make_tool", [acrylic, water, lambda: Eraser(BrushSettings(size=30))])
def test_stroke_changes_only_pixels_inside_reported_dirty_rect(make_tool):
    canvas = Canvas(W, H, seed=1)
    p = Painter(canvas)
    p.stroke(acrylic((200, 40, 40), 40), [(20, 200), (300, 200)])  # something to erase
    p.dry()
    canvas.flush()
    before = canvas.rgb8()
    assert canvas.pop_dirty() is not None
    assert canvas.pop_dirty() is None  # nothing changed since

    p.stroke(make_tool(), [(60, 120), (140, 150), (220, 190)])
    rects = [canvas.pop_dirty()]
    while canvas.is_wet:  # drying changes pixels too: they must be reported as well
        p.frame()
        rects.append(canvas.pop_dirty())
    canvas.flush()
    rects.append(canvas.pop_dirty())
    after = canvas.rgb8()

    changed = (before != after).any(axis=2)
    assert changed.sum() > 500
    reported = np.zeros_like(changed)
    for r in rects:
        if r is not None:
            x, y, w, h = r
            reported[y:y + h, x:x + w] = True
    assert not (changed & ~reported).any()
    # And the first rect alone is local to the stroke, not the whole canvas.
    x, y, w, h = rects[0]
    assert w * h < 0.6 * W * H


def test_rgb8_region_matches_full_picture_and_clips():
    canvas = Canvas(W, H, seed=2)
    Painter(canvas).stroke(acrylic((10, 120, 200), 50), [(10, 10), (300, 230)])
    full = canvas.rgb8()
    assert full.shape == (H, W, 3) and full.dtype == np.uint8
    assert np.array_equal(canvas.rgb8_region(40, 30, 100, 70), full[30:100, 40:140])
    assert canvas.rgb8_region(W - 10, H - 5, 50, 50).shape == (5, 10, 3)


# ---------------------------------------------------------------- watercolour
def core_mean(img: np.ndarray, x0, y0, x1, y1) -> np.ndarray:
    return img[y0:y1, x0:x1].reshape(-1, 3).astype(np.float64).mean(axis=0)


def test_watercolour_glaze_over_itself_gets_darker_like_pigment():
    canvas = Canvas(W, H, seed=3)
    p = Painter(canvas)
    color = (200, 120, 60)
    means = []
    for _ in range(4):
        p.stroke(water(color, 60), [(60, 120), (260, 120)])
        p.dry()
        means.append(core_mean(canvas.rgb8(), 120, 110, 200, 130))
    lums = [float(m @ [0.299, 0.587, 0.114]) for m in means]
    assert lums[0] > lums[1] + 8 > lums[2] + 16 > lums[3] + 24
    # Subtractive: stacked glazes go darker than the pigment colour itself, which
    # alpha-blending towards the colour could never do.
    assert means[3][1] < color[1] - 30 and means[3][2] < color[2] - 15


def test_watercolour_is_lighter_than_acrylic_but_moves_towards_the_pigment():
    color = PALETTE[10]  # ultramarine
    imgs = {}
    for name, tool in (("acrylic", acrylic(color, 60)), ("water", water(color, 60))):
        canvas = Canvas(W, H, seed=4)
        p = Painter(canvas)
        p.stroke(tool, [(60, 120), (260, 120)], speed=200)
        p.dry()
        imgs[name] = core_mean(canvas.rgb8(), 110, 110, 210, 130)
    paper = core_mean(Canvas(W, H, seed=4).rgb8(), 110, 110, 210, 130)
    lum_of = {k: float(v @ [0.299, 0.587, 0.114]) for k, v in imgs.items()}
    lum_paper = float(paper @ [0.299, 0.587, 0.114])
    assert lum_of["acrylic"] + 25 < lum_of["water"] < lum_paper - 40
    blueness = {k: v[2] - v[0] for k, v in imgs.items()}
    assert blueness["water"] > (paper[2] - paper[0]) + 40


def test_watercolour_has_darker_wet_edges():
    canvas = Canvas(W, H, seed=5)
    p = Painter(canvas)
    p.stroke(water((60, 140, 60), 70), [(40, 120), (280, 120)])
    p.dry()
    rows = lum(canvas.rgb8())[:, 110:210].mean(axis=1)  # (H,) profile across the stroke
    centre = rows[110:131].mean()
    upper_edge = rows[84:100].min()
    lower_edge = rows[141:157].min()
    assert upper_edge < centre - 4 and lower_edge < centre - 4


def test_watercolour_granulates_into_paper_valleys():
    canvas = Canvas(W, H, seed=6)
    p = Painter(canvas)
    p.stroke(water((150, 80, 60), 90), [(40, 120), (280, 120)])
    p.dry()
    painted = canvas.rgb8()[100:140, 100:220].astype(np.float64) + 1.0
    bare = Canvas(W, H, seed=6).rgb8()[100:140, 100:220].astype(np.float64) + 1.0
    density = -np.log(painted / bare).mean(axis=2)  # paint only: paper shading divides out
    pits = valleys(canvas.paper)[100:140, 100:220]
    assert np.corrcoef(density.ravel(), pits.ravel())[0, 1] > 0.3


def test_watercolour_bleeds_into_a_wet_neighbour_but_not_a_dry_one():
    red, blue = (206, 32, 38), (34, 44, 136)
    # Radius ~28 px at this speed: the strokes overlap around x = 164..168.
    left, right = [(40, 120), (140, 120)], [(192, 120), (290, 120)]

    def paint(wet_in_wet: bool, with_blue: bool = True) -> np.ndarray:
        canvas = Canvas(W, H, seed=7)
        p = Painter(canvas)
        p.stroke(water(red, 60), left, frames=False)
        if not wet_in_wet:
            p.dry()
        if with_blue:
            p.stroke(water(blue, 60), right, frames=False)
        p.dry()
        return canvas.rgb8().astype(np.float64)

    red_only, dry_between, wet_in_wet = paint(False, False), paint(False), paint(True)
    # Blue pigment absorbs red light: where it wandered, the red channel drops.
    zone = (slice(110, 131), slice(146, 158))  # inside the red stroke, 6-18 px from blue
    assert (dry_between - wet_in_wet)[zone][..., 0].mean() > 8.0
    assert np.array_equal(red_only[zone], dry_between[zone])  # a dry edge stops it


def test_wet_in_wet_overlap_edge_has_no_spots_at_the_stamp_spacing():
    """A stroke laid into a still-wet wash leaves a smooth edge inside it, not pale and
    dark spots one stamp apart (water added per stamp, then pigment drifting to it)."""
    canvas = Canvas(640, 200, seed=31)
    bare = canvas.rgb8().astype(np.float64) + 1.0
    p = Painter(canvas)
    p.stroke(water((34, 44, 136), 40), [(20, 80), (620, 80)])
    tool = Watercolour(BrushSettings())  # default settings: size 40, ivory black
    spacing = tool.begin(Canvas(8, 8), 0, 0, 0.0).path.spacing  # px between its stamps
    p.stroke(tool, [(20, 100), (620, 100)])  # its upper edge runs along the first's middle
    p.dry()
    # Pigment density (the paper's own shading divides out), rows across that edge.
    band = -np.log((canvas.rgb8() + 1.0) / bare).mean(axis=2)[72:89, 60:580]  # (17, 520)
    assert band.mean() > 0.5
    x = np.arange(band.shape[1])
    wave = np.exp(-2j * np.pi * x / spacing)
    # Per row, the amplitude of the pattern that repeats every stamp.
    amp = np.abs((band - band.mean(axis=1, keepdims=True)) @ wave) * 2 / x.size  # (17,)
    assert amp.max() < 0.03 * band.mean()


def test_watercolour_dries_within_a_few_seconds():
    canvas = Canvas(W, H, seed=8)
    p = Painter(canvas)
    p.stroke(water((120, 40, 160), 80), [(40, 120), (280, 120)])
    assert canvas.is_wet
    first = canvas.rgb8()
    for _ in range(int(0.5 / FRAME)):
        p.frame()
    assert canvas.is_wet
    assert not np.array_equal(first, canvas.rgb8())  # it moves while wet
    for _ in range(int(3.5 / FRAME)):
        p.frame()
    assert not canvas.is_wet
    dried = canvas.rgb8()
    for _ in range(60):
        p.frame()
    assert np.array_equal(dried, canvas.rgb8())
