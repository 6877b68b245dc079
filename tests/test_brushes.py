"""Pixel behaviour of the brushes package: media, undo/redo, eraser, replay, helpers.

Every check looks at real pixels of `Canvas.rgb8()`; nothing here measures time.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from brushes import (PALETTE, Acrylic, BrushSettings, Canvas, Eraser, History, StrokeRecord,
                     Watercolour, hsv_to_rgb, replay, rgb_to_hsv, sample_color)
from brushes.history import DEFAULT_MAX_BYTES
from brushes.paper import valleys

FRAME = 1.0 / 60.0
W, H = 320, 240


class Painter:
    """Drives a History like the game does: one pointer event and one update per frame."""

    def __init__(self, canvas: Canvas, history: History | None = None):
        self.canvas = canvas
        self.history = history if history is not None else History()
        self.t = 0.0

    def frame(self, dt: float = FRAME) -> None:
        self.t += dt
        self.canvas.update(dt)

    def stroke(self, tool, pts, speed: float = 400.0, frames: bool = True) -> None:
        """Polyline `pts` at `speed` px/s; frames=False skips update() (no drying)."""
        c, h = self.canvas, self.history
        h.begin(c, tool, pts[0][0], pts[0][1], self.t)
        step = speed * FRAME
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            n = max(int(math.hypot(x1 - x0, y1 - y0) / step), 1)
            for i in range(1, n + 1):
                if frames:
                    self.frame()
                else:
                    self.t += FRAME
                h.extend(c, x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n, self.t)
        h.end(c)

    def dry(self, max_seconds: float = 10.0) -> None:
        for _ in range(int(max_seconds / FRAME)):
            if not self.canvas.is_wet:
                break
            self.frame()
        assert not self.canvas.is_wet, "watercolour still wet after %.0f s" % max_seconds


def lum(img: np.ndarray) -> np.ndarray:
    """(H, W) float luminance of an (H, W, 3) uint8 image."""
    return img.astype(np.float64) @ np.array([0.299, 0.587, 0.114])


def acrylic(color=(20, 20, 20), size=30.0, opacity=1.0) -> Acrylic:
    return Acrylic(BrushSettings(color=color, size=size, opacity=opacity))


def water(color=(34, 44, 136), size=30.0, opacity=1.0) -> Watercolour:
    return Watercolour(BrushSettings(color=color, size=size, opacity=opacity))


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


# -------------------------------------------------------------- undo / redo
def test_undo_redo_restore_exact_bytes():
    canvas = Canvas(W, H, seed=18)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((30, 160, 60), 40), [(20, 20), (300, 220)])
    before = canvas.rgb8()
    p.stroke(acrylic((200, 40, 200), 90), [(20, 200), (300, 30)])
    after = canvas.rgb8()
    assert not np.array_equal(before, after)
    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), before)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), after)
    assert h.undo(canvas) and h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), Canvas(W, H, seed=18).rgb8())
    assert not h.undo(canvas) and not h.can_undo
    assert h.redo(canvas) and h.redo(canvas) and not h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), after)


def test_undo_redo_exact_with_watercolour_still_wet():
    canvas = Canvas(W, H, seed=19)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((230, 200, 40), 50), [(20, 120), (300, 120)])
    base = canvas.rgb8()
    p.stroke(water((40, 60, 170), 60), [(40, 60), (280, 180)])
    for _ in range(11):  # an odd count: the next stroke starts halfway through a tick
        p.frame()
    first = canvas.rgb8()  # what the player sees now, mid-drying
    # Wet-in-wet: a second stroke into the wet wash, then undo while still wet.
    p.stroke(water((200, 30, 40), 50), [(40, 180), (280, 60)], frames=False)
    for _ in range(10):
        p.frame()
    assert canvas.is_wet
    second = canvas.rgb8()

    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), first)
    assert not canvas.is_wet
    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), base)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), first)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), second)
    for _ in range(120):  # nothing restored is left drying behind the history's back
        p.frame()
    assert np.array_equal(canvas.rgb8(), second)
    assert h.undo(canvas) and h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), base)


def test_new_stroke_after_undo_drops_redo():
    canvas = Canvas(W, H, seed=20)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic(), [(20, 20), (100, 100)])
    p.stroke(acrylic(), [(200, 20), (300, 100)])
    assert h.undo(canvas) and h.can_redo
    p.stroke(acrylic((250, 0, 0)), [(20, 200), (100, 200)])
    assert not h.can_redo and not h.redo(canvas)
    assert len(h.log) == 2


def test_sixty_strokes_give_at_least_fifty_undos():
    canvas = Canvas(W, H, seed=21)
    h = History(limit=100)
    p = Painter(canvas, h)
    fresh = canvas.rgb8()
    tools = [acrylic((200, 30, 30), 8), water((30, 30, 200), 10)]
    for i in range(60):
        y = 4 + i * 3.8
        p.stroke(tools[i % 2], [(20, y), (60 + i * 4, y)], frames=False)
    undos = 0
    while h.undo(canvas):
        undos += 1
    assert undos == 60
    assert np.array_equal(canvas.rgb8(), fresh)

    small = History(limit=50)
    p = Painter(Canvas(W, H, seed=21), small)
    for i in range(60):
        p.stroke(tools[0], [(20, 4 + i * 3.8), (80, 4 + i * 3.8)], frames=False)
    undos = 0
    while small.undo(p.canvas):
        undos += 1
    assert undos == 50


def test_undo_memory_is_proportional_to_painted_area():
    canvas = Canvas(800, 600, seed=22)
    h = History()
    p = Painter(canvas, h)
    for i in range(60):
        x, y = 40 + (i % 10) * 75, 40 + (i // 10) * 90
        p.stroke(acrylic((40, 40, 200), 6), [(x, y), (x + 20, y + 5)], frames=False)
    full_copy = 800 * 600 * 16  # bytes of one canvas state (refl + surface, float32)
    small_total = h.memory_bytes()
    assert small_total < 0.05 * 60 * 2 * full_copy
    per_small = small_total / 60
    p.stroke(acrylic((200, 40, 40), 100), [(50, 300), (750, 300)], frames=False)
    per_big = h.memory_bytes() - small_total
    assert per_big > 8 * per_small  # a big stroke costs more: memory follows the area


def test_default_history_caps_undo_memory_and_keeps_recent_undos_exact():
    """A long 800x600 game of whole-canvas strokes: by default History keeps its undo
    memory under 256 MiB (forgetting the oldest), and the newest strokes still undo
    to the exact pixels."""
    canvas = Canvas(800, 600, seed=33)
    h = History()
    cap = 256 * 1024 * 1024
    zigzag = [(-40 if (r // 2) % 2 == (r % 2) else 840, 40 + (r // 2) * 104)
              for r in range(12)]  # six rows across the whole canvas
    shots = []
    for i in range(40):  # ~7 MB of snapshots each: ~290 MB if nothing were forgotten
        shots = (shots + [canvas.rgb8()])[-3:]
        h.begin(canvas, acrylic(PALETTE[i % len(PALETTE)], 120), *zigzag[0], 0.0)
        for k, (x, y) in enumerate(zigzag[1:], 1):
            h.extend(canvas, x, y, k * 0.5)
        h.end(canvas)
        assert h.memory_bytes() <= cap
    assert h.max_bytes == DEFAULT_MAX_BYTES <= cap
    assert len(h) < 40  # the cap did forget some ...
    for shot in reversed(shots):  # ... never the newest
        assert h.undo(canvas)
        assert np.array_equal(canvas.rgb8(), shot)
    undos = 3
    while h.undo(canvas):
        undos += 1
    assert undos >= 25  # but a sensible cap still leaves plenty of undo


def test_clear_is_undoable():
    canvas = Canvas(W, H, seed=23)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((200, 60, 40), 50), [(20, 60), (300, 180)])
    p.stroke(water((40, 60, 170), 60), [(20, 180), (300, 60)])
    painted = canvas.rgb8()
    h.clear(canvas)
    fresh = Canvas(W, H, seed=23).rgb8()
    assert np.array_equal(canvas.rgb8(), fresh) and not canvas.is_wet
    assert h.undo(canvas)
    assert np.array_equal(canvas.rgb8(), painted)
    assert h.redo(canvas)
    assert np.array_equal(canvas.rgb8(), fresh)
    assert [r.kind for r in h.log] == ["acrylic", "watercolour", "clear"]


# ------------------------------------------------------------------ replay
def paint_session(canvas: Canvas, h: History) -> None:
    """A mixed session: wet-in-wet, drying, variable frame times, undo/redo, clear."""
    p = Painter(canvas, h)
    p.stroke(water((40, 90, 160), 70), [(20, 60), (300, 80)])
    p.stroke(water((200, 40, 40), 50), [(40, 100), (280, 40)], frames=False)
    for dt in (0.01, 0.03, 0.016, 0.05, 0.02):
        p.frame(dt)
    p.stroke(acrylic((240, 200, 40), 40), [(20, 200), (160, 120), (300, 200)])
    p.stroke(Eraser(BrushSettings(size=30)), [(150, 20), (150, 230)])
    h.undo(canvas)
    p.stroke(acrylic((20, 120, 60), 12), [(30, 30), (290, 220)], speed=1500)
    h.undo(canvas)
    h.redo(canvas)
    p.stroke(water((120, 40, 160), 40), [(60, 200), (260, 200)])
    for _ in range(20):
        p.frame()


def test_replay_reproduces_the_painting_exactly():
    canvas = Canvas(W, H, seed=24)
    h = History()
    paint_session(canvas, h)
    assert canvas.is_wet
    target = canvas.rgb8()
    copy = Canvas(W, H, seed=24)
    replay(h.log, copy)
    assert np.array_equal(copy.rgb8(), target)
    # And through JSON, as a saved painting for the kiosk time-lapse.
    saved = json.loads(json.dumps([r.to_dict() for r in h.log]))
    again = Canvas(W, H, seed=24)
    replay([StrokeRecord.from_dict(d) for d in saved], again)
    assert np.array_equal(again.rgb8(), target)
    # Both keep drying identically afterwards.
    for _ in range(240):
        canvas.update(FRAME)
        again.update(FRAME)
    assert np.array_equal(again.rgb8(), canvas.rgb8())


def test_replay_after_clear_and_history_limit():
    canvas = Canvas(W, H, seed=25)
    h = History(limit=5)
    p = Painter(canvas, h)
    for i in range(12):
        p.stroke(acrylic(PALETTE[i], 20), [(20, 10 + i * 18), (300, 10 + i * 18)],
                 frames=False)
        if i == 6:
            h.clear(canvas)
    assert len(h.log) == 13  # the log keeps what the undo stack forgot
    copy = Canvas(W, H, seed=25)
    replay(h.log, copy)
    assert np.array_equal(copy.rgb8(), canvas.rgb8())


def test_tool_settings_can_change_between_strokes_only():
    canvas = Canvas(W, H, seed=26)
    h = History()
    tool = acrylic((20, 20, 20), 20)
    h.begin(canvas, tool, 20, 120, 0.0)
    tool.settings.size = 100  # mid-stroke UI change: not applied to this stroke
    tool.settings.color = (250, 250, 250)
    for i in range(1, 30):
        h.extend(canvas, 20 + i * 9, 120, i * FRAME)
    h.end(canvas)
    dark_rows = (lum(canvas.rgb8())[:, 60:200] < 120).any(axis=1)
    assert 10 < dark_rows.sum() < 30
    assert h.log[0].settings.size == 20


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


def test_replay_steps_lets_a_time_lapse_show_progress():
    from brushes import replay_steps

    canvas = Canvas(W, H, seed=30)
    h = History()
    p = Painter(canvas, h)
    p.stroke(acrylic((200, 60, 40), 40), [(20, 60), (300, 60)])
    p.stroke(water((40, 60, 170), 40), [(20, 160), (300, 160)])
    p.dry()
    target = canvas.rgb8()
    copy = Canvas(W, H, seed=30)
    seen = []
    for index in replay_steps(h.log, copy):
        seen.append(index)
    assert seen[0] == 0 and seen[-1] == 1 and len(seen) > 20
    assert np.array_equal(copy.rgb8(), target)


def test_importing_brushes_pulls_in_no_heavy_packages():
    import subprocess
    import sys

    code = ("import sys, brushes; heavy = {'pygame', 'tensorflow', 'scipy', 'skimage'};"
            "print(sorted(heavy & set(m.split('.')[0] for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
