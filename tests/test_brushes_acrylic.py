"""Pixel behaviour of the brushes package: acrylic, paper, eraser, colour helpers and
robustness.

Every check looks at real pixels of `Canvas.rgb8()`; nothing here measures time.
"""

from __future__ import annotations

import numpy as np
import pytest

from brush_helpers import H, W, Painter, acrylic, lum, water
from brushes import (PALETTE, BrushSettings, Canvas, Eraser, History, hsv_to_rgb, rgb_to_hsv,
                     sample_color)


# -------------------------------------------------------------------- acrylic
def test_acrylic_white_covers_black():
    canvas = Canvas(W, H, seed=9)
    p = Painter(canvas)
    p.stroke(acrylic((10, 10, 10), 60), [(40, 120), (280, 120)])
    assert lum(canvas.rgb8())[110:130, 80:160].mean() < 50
    p.stroke(acrylic((250, 250, 250), 60), [(60, 120), (200, 120)])
    assert lum(canvas.rgb8())[112:128, 80:160].mean() > 200


def test_acrylic_paint_load_runs_out_along_a_stroke():
    canvas = Canvas(640, 200, seed=10)
    p = Painter(canvas)
    p.stroke(acrylic((20, 20, 20), 30), [(20, 100), (620, 100)], speed=300)
    dark = 255.0 - lum(canvas.rgb8())
    start = dark[92:108, 60:120].mean()
    end = dark[92:108, 560:610].mean()
    assert start > 150
    assert end < start - 40
    # Run-out opens gaps: the end of the stroke has bare paper between bristles.
    assert (dark[92:108, 560:610] < 40).mean() > 0.1


def test_acrylic_smears_the_colour_underneath_along_the_stroke():
    def paint(with_red: bool) -> np.ndarray:
        canvas = Canvas(W, H, seed=11)
        p = Painter(canvas)
        if with_red:
            p.stroke(acrylic((220, 30, 30), 60), [(100, 40), (100, 200)])
        p.stroke(acrylic((30, 60, 200), 40), [(40, 120), (300, 120)])
        return canvas.rgb8().astype(np.float64)

    red, plain = paint(True), paint(False)
    # On the red band (x 72..128) the blue picks red up and turns purple ...
    assert (red[112:129, 100:125, 0] - plain[112:129, 100:125, 0]).mean() > 8.0
    # ... and drags it on past the band onto bare paper.
    assert (red[112:129, 132:150, 0] - plain[112:129, 132:150, 0]).mean() > 6.0
    # Far from the band the brush has laid the red down and is clean blue again.
    assert abs((red[112:129, 220:260, 0] - plain[112:129, 220:260, 0]).mean()) < 4.0


@pytest.mark.parametrize("horizontal", [True, False])
def test_acrylic_bristle_streaks_follow_the_stroke(horizontal):
    canvas = Canvas(W, H, seed=12)
    pts = [(40, 120), (280, 120)] if horizontal else [(160, 10), (160, 230)]
    Painter(canvas).stroke(acrylic((200, 150, 40), 60), pts, speed=250)
    img = lum(canvas.rgb8())
    core = img[105:136, 90:220] if horizontal else img[60:180, 145:176]
    across = np.abs(np.diff(core, axis=0 if horizontal else 1)).mean()
    along = np.abs(np.diff(core, axis=1 if horizontal else 0)).mean()
    assert across > 1.3 * along


def test_faster_strokes_are_thinner():
    def covered(speed: float) -> int:
        canvas = Canvas(W, H, seed=13)
        Painter(canvas).stroke(acrylic((20, 20, 20), 40), [(40, 120), (280, 120)], speed=speed)
        return int((lum(canvas.rgb8()) < 150).sum())

    assert covered(2400) < 0.85 * covered(150)


@pytest.mark.parametrize("size, speed", [(3.0, 300.0), (5.0, 300.0), (3.0, 1500.0),
                                         (5.0, 1500.0)])
def test_thin_acrylic_line_is_even_along_its_length(size, speed):
    """Stamps of a thin line sit close enough for their soft rims: the paint along its
    centre line does not alternate light and dark from one stamp to the next."""
    canvas = Canvas(640, 60, seed=31)
    bare = lum(canvas.rgb8())
    Painter(canvas).stroke(acrylic((20, 20, 20), size), [(10, 30), (630, 30)], speed=speed,
                           frames=False)
    dark = (bare - lum(canvas.rgb8()))[30:32, 40:296].mean(axis=0)  # centre line, (256,)
    assert dark.mean() > 80  # a line, not the ghost of one
    wiggle = (dark - np.convolve(dark, np.ones(9) / 9, mode="same"))[8:-8]  # px to px
    assert np.abs(wiggle).mean() < 0.08 * dark.mean()
    # Beads repeat at the stamp spacing: a spike in the spectrum of the wiggle, far above
    # the broadband grain of the paper.
    power = np.abs(np.fft.rfft(wiggle * np.hanning(wiggle.size))) ** 2
    freq = np.fft.rfftfreq(wiggle.size)
    fine = power[freq >= 1 / 8]  # periods of 2..8 px
    assert fine.max() < 150 * np.median(fine)


# ----------------------------------------------------------------- paper
def test_paper_texture_is_visible_and_seeded():
    a, b, c = Canvas(W, H, seed=14), Canvas(W, H, seed=14), Canvas(W, H, seed=15)
    assert a.paper.shape == (H, W) and a.paper.dtype == np.float32
    assert 0.0 <= a.paper.min() and a.paper.max() <= 1.0 and a.paper.std() > 0.08
    assert np.array_equal(a.rgb8(), b.rgb8())
    assert not np.array_equal(a.paper, c.paper)
    assert lum(a.rgb8()).std() > 2.0  # the bare sheet shows its grain
    p = Painter(a)
    p.stroke(acrylic((200, 60, 40), 80), [(40, 120), (280, 120)], speed=200)
    p.stroke(water((40, 90, 160), 80), [(40, 40), (280, 40)])
    p.dry()
    img = lum(a.rgb8())
    assert img[110:130, 100:200].std() > 2.0  # grain and ridges under acrylic
    assert img[30:50, 100:200].std() > 2.0  # and under a glaze


# ----------------------------------------------------------------- eraser
def test_eraser_returns_to_paper_bytes():
    canvas = Canvas(W, H, seed=16)
    p = Painter(canvas)
    p.stroke(acrylic((200, 60, 40), 70), [(30, 120), (290, 120)])
    p.stroke(water((40, 90, 160), 70), [(30, 80), (290, 160)])
    p.dry()
    p.stroke(water((160, 40, 160), 50), [(30, 160), (290, 80)])  # still wet
    assert canvas.is_wet
    p.stroke(Eraser(BrushSettings(size=90)), [(100, 60), (100, 190)], frames=False)
    p.dry()
    fresh = Canvas(W, H, seed=16).rgb8()
    erased = canvas.rgb8()
    assert np.array_equal(erased[70:180, 70:130], fresh[70:180, 70:130])
    assert not np.array_equal(erased[70:180, 200:260], fresh[70:180, 200:260])


def test_eraser_half_opacity_lightens_only_partly():
    canvas = Canvas(W, H, seed=17)
    p = Painter(canvas)
    p.stroke(acrylic((20, 20, 20), 80), [(30, 120), (290, 120)])
    dark = lum(canvas.rgb8())[110:130, 100:200].mean()
    p.stroke(Eraser(BrushSettings(size=90, opacity=0.5)), [(150, 60), (150, 190)])
    half = lum(canvas.rgb8())[110:130, 140:160].mean()
    paper = lum(Canvas(W, H, seed=17).rgb8())[110:130, 140:160].mean()
    assert dark + 40 < half < paper - 40


# ----------------------------------------------------------------- colour
def test_palette_and_hsv_helpers():
    assert len(PALETTE) >= 16 and len(set(PALETTE)) == len(PALETTE)
    for c in PALETTE:
        assert len(c) == 3 and all(isinstance(v, int) and 0 <= v <= 255 for v in c)
        assert hsv_to_rgb(*rgb_to_hsv(*c)) == c
        assert hsv_to_rgb(rgb_to_hsv(c)) == c
    assert rgb_to_hsv(255, 0, 0) == (0.0, 1.0, 1.0)
    assert hsv_to_rgb(1 / 3, 1.0, 1.0) == (0, 255, 0)
    assert hsv_to_rgb(2 / 3, 1.0, 0.5) == (0, 0, 128)
    assert rgb_to_hsv(128, 128, 128)[1] == 0.0


def test_sample_color_means_a_disc_and_clamps_at_borders():
    img = np.zeros((50, 60, 3), np.uint8)
    img[:, :30] = (200, 100, 0)
    img[:, 30:] = (0, 100, 200)
    assert sample_color(img, 10, 10) == (200, 100, 0)
    assert sample_color(img, 50, 40, radius=3) == (0, 100, 200)
    r, g, b = sample_color(img, 29.6, 25, radius=4)  # centred on the seam: a mix
    assert 60 < r < 140 and g == 100 and 60 < b < 140
    assert sample_color(img, -20, -20) == (200, 100, 0)
    assert sample_color(img, 500, 500) == (0, 100, 200)
    assert sample_color(img, 5, 5, radius=0) == (200, 100, 0)
    canvas = Canvas(W, H, seed=27)
    Painter(canvas).stroke(acrylic((30, 160, 60), 60), [(40, 120), (280, 120)], speed=150)
    r, g, b = sample_color(canvas.rgb8(), 100, 120, radius=3)
    assert g > r + 60 and g > b + 40


# ------------------------------------------------------------- robustness
def test_odd_sizes_tiny_brushes_and_strokes_off_the_canvas():
    canvas = Canvas(101, 77, seed=28)
    h = History()
    p = Painter(canvas, h)
    fresh = canvas.rgb8()
    assert fresh.shape == (77, 101, 3)
    for size in (2, 3, 120):
        p.stroke(acrylic((200, 30, 30), size), [(-50, 30), (150, 40)])
        p.stroke(water((30, 30, 200), size), [(50, -40), (60, 120)])
        p.stroke(Eraser(BrushSettings(size=size)), [(-10, -10), (120, 90)])
    p.stroke(acrylic((0, 0, 0), 10), [(500, 500), (600, 600)])  # entirely outside
    p.stroke(acrylic((0, 0, 0), 10, opacity=0.0), [(10, 10), (90, 60)])
    p.dry()
    img = canvas.rgb8()
    assert img.shape == (77, 101, 3)
    assert not np.array_equal(img, fresh)
    while h.undo(canvas):
        pass
    assert np.array_equal(canvas.rgb8(), fresh)


@pytest.mark.parametrize("size", [4.0, 10.0, 30.0, 80.0])
def test_acrylic_stroke_that_leaves_the_canvas_and_comes_back(size):
    """Far off the canvas and back in elsewhere: no crash, and paint only along the
    parts of the path on the canvas (nothing carried over from where it left)."""
    wid, hgt = 201, 301
    canvas = Canvas(wid, hgt, seed=34)
    h = History()
    fresh = canvas.rgb8()
    drop = 3 * (size + 3)  # back in this far from where it left: the brush's travel
    # off the canvas is more than its own width (its bristles carry nothing back).
    path = [(60, 20), (-200, 20), (-200, 20 + drop), (150, 20 + drop), (150, 500), (180, 250)]
    Painter(canvas, h).stroke(acrylic((200, 30, 30), size), path)
    x, y, w, ht = canvas.pop_dirty()
    assert 0 <= x and 0 <= y and x + w <= wid and y + ht <= hgt
    changed = (canvas.rgb8() != fresh).any(axis=2)  # (hgt, wid)
    assert changed[int(20 + drop)].any()  # it did come back
    yy, xx = np.mgrid[0:hgt, 0:wid].astype(np.float64)
    near = np.zeros_like(changed)
    for (ax, ay), (bx, by) in zip(path, path[1:]):  # within reach of each segment
        t = ((xx - ax) * (bx - ax) + (yy - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
        t = np.clip(t, 0.0, 1.0)
        near |= np.hypot(xx - ax - t * (bx - ax), yy - ay - t * (by - ay)) <= size / 2 + 3
    assert not (changed & ~near).any()
    assert h.undo(canvas) and np.array_equal(canvas.rgb8(), fresh)


def test_a_click_without_moving_leaves_a_dab():
    canvas = Canvas(W, H, seed=29)
    h = History()
    for tool in (acrylic((20, 20, 20), 30), water((20, 20, 160), 30)):
        h.begin(canvas, tool, 160, 120, 0.0)
        h.extend(canvas, 160, 120, 0.1)
        h.end(canvas)
        assert (lum(canvas.rgb8())[110:131, 150:171] < 200).mean() > 0.8
        assert h.undo(canvas)
