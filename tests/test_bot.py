"""The demo bot's planner: strokes that follow the content's shapes, in the style's colours."""
from __future__ import annotations

import sys
import types

import numpy as np
import pytest
from skimage import data
from skimage.color import rgb2lab

from game import bot
from game.bot import ACRYLIC, WATERCOLOUR, PlannedStroke, plan_painting, style_palette

CANVAS = (240, 180)   # (w, h): small keeps the suite quick; planning does not care

# Four colours covering 50 %, 25 %, 15 % and 10 % of the style image.
NAVY, OCHRE, CREAM, BRICK = (24, 40, 96), (200, 150, 40), (240, 230, 200), (150, 50, 40)


def style_blocks() -> np.ndarray:
    """(100, 100, 3) uint8 'painting' of four flat colours in unequal areas."""
    img = np.empty((100, 100, 3), np.uint8)
    img[:, :50] = NAVY
    img[:, 50:75] = OCHRE
    img[:60, 75:] = CREAM
    img[60:, 75:] = BRICK
    return img


def stripes(vertical: bool, shape=(180, 240), period: int = 30) -> np.ndarray:
    """(H, W, 3) uint8 black and white stripes, vertical or horizontal."""
    axis = np.arange(shape[1] if vertical else shape[0])
    band = ((axis // (period // 2)) % 2 * 255).astype(np.uint8)
    img = np.broadcast_to(band[None, :] if vertical else band[:, None], shape)
    return np.repeat(img[..., None], 3, axis=2)


def halves(shape=(180, 240)) -> np.ndarray:
    """(H, W, 3) uint8: dark left half, light right half, faint horizontal ripples in both.

    The ripples give the interior a direction (horizontal) so strokes there run towards the
    strong edge in the middle and have to stop at it. Hue drifts from warm (top) to cool
    (bottom) the same way in both halves, so only lightness tells the halves apart.
    """
    h, w = shape
    grey = np.where(np.arange(w)[None, :] < w // 2, 50.0, 205.0) * np.ones((h, 1))
    grey += 8 * np.sin(np.arange(h) * 2 * np.pi / 20)[:, None]
    tint = np.linspace(1.0, -1.0, h)[:, None, None] * np.array([30.0, 0.0, -30.0])
    return np.clip(grey[..., None] + tint, 0, 255).astype(np.uint8)


def acrylic(plan: list[PlannedStroke]) -> list[PlannedStroke]:
    return [s for s in plan if s.tool == ACRYLIC]


def travel(strokes: list[PlannedStroke]) -> tuple[float, float]:
    """Total |dx| and |dy| over every segment of the strokes."""
    steps = [np.abs(np.diff(np.asarray(s.points), axis=0)) for s in strokes if len(s.points) > 1]
    total = np.concatenate(steps).sum(axis=0)
    return float(total[0]), float(total[1])


@pytest.fixture(scope="module")
def cat_plan() -> list[PlannedStroke]:
    return plan_painting(data.chelsea(), style_blocks(), CANVAS, seed=5, budget=150)


# ----------------------------------------------------------------------------- palette


def test_style_palette_finds_the_dominant_colours_most_common_first():
    palette = style_palette(style_blocks(), n_colors=4)
    assert len(palette) == 4
    for found, expected in zip(palette, (NAVY, OCHRE, CREAM, BRICK)):
        assert np.abs(np.subtract(found, expected)).max() <= 3, (found, expected)


def test_style_palette_returns_fewer_colours_when_the_style_has_fewer():
    two = np.zeros((40, 40, 3), np.uint8)
    two[:, 20:] = CREAM
    palette = style_palette(two, n_colors=8)
    assert sorted(palette) == sorted([(0, 0, 0), CREAM])


def test_style_palette_is_deterministic_for_a_seed():
    photo = data.coffee()
    assert style_palette(photo, seed=2) == style_palette(photo, seed=2)


# ----------------------------------------------------------------------------- the plan


def test_plan_is_deterministic_for_a_seed(cat_plan):
    again = plan_painting(data.chelsea(), style_blocks(), CANVAS, seed=5, budget=150)
    other = plan_painting(data.chelsea(), style_blocks(), CANVAS, seed=6, budget=150)
    assert again == cat_plan
    assert other != cat_plan


@pytest.mark.parametrize("budget", [0, 1, 2, 3, 7, 60])
def test_plan_never_exceeds_the_budget(budget):
    plan = plan_painting(data.coffee(), style_blocks(), CANVAS, budget=budget)
    assert len(plan) <= budget
    assert (len(plan) > 0) == (budget > 0)


@pytest.mark.parametrize("canvas", [(240, 180), (97, 203), (300, 40)])
def test_strokes_stay_on_the_canvas_with_sane_settings(canvas):
    grey_float = data.camera()[::3, ::2] / 255.0                     # (H, W) float
    rgba_style = np.dstack([style_blocks(), np.full((100, 100), 255, np.uint8)])
    plan = plan_painting(grey_float, rgba_style, canvas, budget=80)
    w, h = canvas
    assert plan
    for stroke in plan:
        pts = np.asarray(stroke.points)
        assert pts.ndim == 2 and pts.shape[1] == 2 and len(pts) >= 1
        assert (pts[:, 0] >= 0).all() and (pts[:, 0] <= w - 1).all()
        assert (pts[:, 1] >= 0).all() and (pts[:, 1] <= h - 1).all()
        assert 2 <= stroke.size <= 120
        assert 0.0 <= stroke.opacity <= 1.0
        assert stroke.tool in (WATERCOLOUR, ACRYLIC)


def test_points_are_in_canvas_coordinates_whatever_the_input_size():
    tiny = stripes(vertical=True, shape=(30, 40), period=8)
    plan = plan_painting(tiny, style_blocks(), (400, 300), budget=60)
    pts = np.concatenate([np.asarray(s.points) for s in plan])
    assert pts[:, 0].max() > 300 and pts[:, 1].max() > 200


def test_layers_go_coarse_to_fine(cat_plan):
    tools = [s.tool for s in cat_plan]
    assert WATERCOLOUR in tools and ACRYLIC in tools
    last_wash = max(i for i, t in enumerate(tools) if t == WATERCOLOUR)
    assert all(t == ACRYLIC for t in tools[last_wash + 1:])
    assert all(60 <= s.size <= 120 for s in cat_plan if s.tool == WATERCOLOUR)
    sizes = [s.size for s in acrylic(cat_plan)]
    medium = [i for i, size in enumerate(sizes) if 20 <= size <= 40]
    small = [i for i, size in enumerate(sizes) if 6 <= size <= 12]
    assert len(medium) + len(small) == len(sizes)
    assert medium and small and max(medium) < min(small)


def test_colours_come_from_the_style_palette(cat_plan):
    palette = set(style_palette(style_blocks(), bot.PALETTE_SIZE, seed=5))
    assert {s.color for s in cat_plan} <= palette
    assert len({s.color for s in cat_plan}) >= 3     # not one flat colour


@pytest.mark.parametrize("vertical", [True, False])
def test_acrylic_strokes_run_along_stripes(vertical):
    plan = plan_painting(stripes(vertical), style_blocks(), CANVAS, budget=120)
    dx, dy = travel(acrylic(plan))
    along, across = (dy, dx) if vertical else (dx, dy)
    assert along > 3 * across


def test_strokes_stop_at_a_strong_colour_change():
    w = CANVAS[0]
    plan = plan_painting(halves(), style_blocks(), CANVAS, budget=120)
    margin = 45     # more than the few steps a stroke takes before it checks colour
    crossing = [s for s in acrylic(plan)
                if min(x for x, _ in s.points) < w / 2 - margin
                and max(x for x, _ in s.points) > w / 2 + margin]
    assert len(crossing) <= 0.05 * len(acrylic(plan))


def test_light_and_dark_of_the_content_survive_the_restyling():
    w = CANVAS[0]
    plan = plan_painting(halves(), style_blocks(), CANVAS, budget=120)
    lightness = {"left": [], "right": []}
    for s in acrylic(plan):
        side = "left" if np.mean([x for x, _ in s.points]) < w / 2 else "right"
        lightness[side].append(rgb2lab(np.array([[s.color]], float) / 255)[0, 0, 0])
    assert np.mean(lightness["left"]) + 25 < np.mean(lightness["right"])


def test_detail_strokes_sit_on_the_strongest_edges():
    h, w = CANVAS[1], CANVAS[0]
    yy, xx = np.mgrid[:h, :w]
    radius = 55
    disc = (np.hypot(xx - w / 2, yy - h / 2) < radius)
    content = np.repeat((disc * 230 + 10)[..., None], 3, axis=2).astype(np.uint8)
    plan = plan_painting(content, style_blocks(), CANVAS, budget=120)
    details = [s for s in plan if s.size <= 12]
    assert details
    pts = np.concatenate([np.asarray(s.points) for s in details])
    off_edge = np.abs(np.hypot(pts[:, 0] - w / 2, pts[:, 1] - h / 2) - radius)
    assert np.median(off_edge) < 6


def test_style_target_is_the_content_in_palette_colours():
    target = bot.style_target(halves(), style_blocks(), CANVAS)
    assert target.shape == (180, 240, 3) and target.dtype == np.uint8
    palette = set(style_palette(style_blocks(), bot.PALETTE_SIZE))
    assert {tuple(int(v) for v in c) for c in target.reshape(-1, 3)} <= palette
    assert target[:, :100].mean() < target[:, 140:].mean()


# ----------------------------------------------------------------------------- rendering


class Recorder:
    """Stands in for brushes' Canvas and History: records what render_plan asks of them."""

    def __init__(self):
        self.calls: list[tuple] = []

    # Canvas
    def update(self, dt):
        self.calls.append(("update", dt))

    # History
    def begin(self, canvas, tool, x, y, t):
        self.calls.append(("begin", tool, x, y, t))

    def extend(self, canvas, x, y, t):
        self.calls.append(("extend", x, y, t))

    def end(self, canvas):
        self.calls.append(("end",))


@pytest.fixture
def fake_brushes(monkeypatch):
    """A stand-in ``brushes`` module, so the replay protocol is checked without the engine."""
    module = types.ModuleType("brushes")

    class BrushSettings:
        def __init__(self, color, size, opacity):
            self.color, self.size, self.opacity = color, size, opacity

    class Tool:
        def __init__(self, settings):
            self.settings = settings

    module.BrushSettings = BrushSettings
    module.Acrylic = type("Acrylic", (Tool,), {})
    module.Watercolour = type("Watercolour", (Tool,), {})
    monkeypatch.setitem(sys.modules, "brushes", module)
    return module


def test_render_plan_replays_each_stroke_through_history(fake_brushes):
    plan = [PlannedStroke(WATERCOLOUR, (1, 2, 3), 80, 0.9, [(1.0, 2.0), (3.0, 4.0)]),
            PlannedStroke(ACRYLIC, (4, 5, 6), 30, 1.0, [(5.0, 6.0), (7.0, 8.0), (9.0, 9.5)])]
    rec = Recorder()
    assert bot.render_plan(plan, rec, rec, seconds_per_point=0.5) is rec
    drawing = [c for c in rec.calls if c[0] != "update"]
    kinds = [c[0] for c in drawing]
    assert kinds == ["begin", "extend", "end", "begin", "extend", "extend", "end"]
    first, second = drawing[0], drawing[3]
    assert type(first[1]).__name__ == "Watercolour" and type(second[1]).__name__ == "Acrylic"
    settings = second[1].settings
    assert (settings.color, settings.size, settings.opacity) == ((4, 5, 6), 30, 1.0)
    pointer = [c[-3:] for c in drawing if c[0] in ("begin", "extend")]   # (x, y, t)
    assert [(x, y) for x, y, _ in pointer] == [(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.0),
                                               (9.0, 9.5)]
    times = [t for _, _, t in pointer]
    assert times == sorted(times) and times[3] - times[2] == pytest.approx(0.5)
    ends = [i for i, c in enumerate(rec.calls) if c[0] == "end"]
    assert any(c[0] == "update" for c in rec.calls[ends[0]:ends[1]])   # drying between strokes


def test_rendered_painting_is_closer_to_the_target_than_a_blank_canvas():
    try:
        from brushes import Canvas, History
    except ImportError as exc:                                # engine still being written
        pytest.skip(f"brush engine not importable: {exc}")
    w, h = 160, 120
    content, style = data.coffee(), style_blocks()
    plan = plan_painting(content, style, (w, h), seed=1, budget=70)
    painted = bot.render_plan(plan, Canvas(w, h, seed=1), History(limit=10)).rgb8()
    blank = Canvas(w, h, seed=1).rgb8()
    target = bot.style_target(content, style, (w, h), seed=1)

    def error(img: np.ndarray) -> float:
        def shrink(a):   # 8x8 block means: compare colour areas, not brush texture
            return a.astype(float).reshape(h // 8, 8, w // 8, 8, 3).mean(axis=(1, 3))
        return float(np.abs(shrink(img) - shrink(target)).mean())

    assert error(painted) < 0.4 * error(blank)
