"""Flat-area styles: colour fields, a geometric grid and cubist shards."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from brushes import AcrylicParams, CanvasLook

from .kit import (HEIGHT, RGB, WIDTH, Painter, circle, grid_yx, hex_rgb, jitter, mix,
                  polyline, smooth_noise, wobble)


# --------------------------------------------------------------------- colour fields
@dataclass(frozen=True)
class ColourFieldsStyle:
    seed: int = 101  # fixed: the same painting, byte for byte, on every run
    # Dusk: a smouldering maroon ground under a glowing orange field and a dark plum one,
    # the warm/cool value contrast that makes stacked colour fields hum.
    ground: tuple[float, float, float] = (0.30, 0.07, 0.08)  # toned canvas: gaps stay warm
    ground_var: tuple[RGB, ...] = (hex_rgb("#5a171b"), hex_rgb("#6e1f1f"),
                                   hex_rgb("#471222"))
    upper: RGB = hex_rgb("#d8572a")
    upper_light: RGB = hex_rgb("#f3a13e")
    lower: RGB = hex_rgb("#3b1636")
    lower_light: RGB = hex_rgb("#5a2450")
    seam: RGB = hex_rgb("#c23a2c")
    # Field rectangles (x0, y0, x1, y1): a tall upper field and a shorter lower one,
    # with a narrow seam between, as in classic stacked colour-field canvases.
    upper_box: tuple[int, int, int, int] = (42, 28, 470, 210)
    lower_box: tuple[int, int, int, int] = (42, 236, 470, 356)
    feather: float = 7.0  # px of blur on the field edges: soft, breathing borders
    brush: float = 44.0  # wide, so the fields read as broad brushed planes
    passes: int = 3  # thin overlapping passes give the luminous, uneven build-up


def _soft_box(rng: np.random.Generator, box: tuple[int, int, int, int], feather: float
              ) -> np.ndarray:
    """(H, W) float32 alpha of a rectangle with frayed, blurred edges."""
    yy, xx = grid_yx()
    x0, y0, x1, y1 = box
    wob = (smooth_noise(rng, 6) - 0.5) * 10.0  # the edge wanders a few px
    inside = np.minimum(np.minimum(xx - x0, x1 - xx), np.minimum(yy - y0, y1 - yy)) + wob
    a = ndimage.gaussian_filter(np.clip(inside / 4.0, 0.0, 1.0), feather)
    return a.astype(np.float32)


def _field(p: Painter, box: tuple[int, int, int, int], base: RGB, light: RGB,
           cfg: ColourFieldsStyle) -> None:
    """Brush a field with horizontal strokes in translucent passes, ends kept inside."""
    x0, y0, x1, y1 = box
    rng = p.rng
    for k in range(cfg.passes):
        size = cfg.brush * (1.0 - 0.2 * k)
        ys = np.arange(y0 + size * 0.4, y1 - size * 0.35, size * 0.5)
        for y in ys:
            # Lighter towards the middle of the field: the glow comes from within.
            mid = 1.0 - abs((y - (y0 + y1) / 2) / ((y1 - y0) / 2))
            col = mix(base, light, float(np.clip(mid * 0.6 + rng.normal(0, 0.12), 0, 1)))
            xa = x0 + size * 0.5 + rng.uniform(0, 14)
            xb = x1 - size * 0.5 - rng.uniform(0, 14)
            pts = wobble(rng, polyline((xa, y), (xb, y + rng.uniform(-3, 3))), 1.5)
            if rng.random() < 0.5:
                pts = pts[::-1]
            p.acrylic(pts, jitter(rng, col, 5), size, opacity=0.35 + 0.1 * k,
                      speed=rng.uniform(300, 900))


def paint_colour_fields(cfg: ColourFieldsStyle = ColourFieldsStyle()) -> np.ndarray:
    # Long runs so broad strokes keep their paint across the whole field.
    p = Painter(cfg.seed, look=CanvasLook(paper_rgb=cfg.ground),
                acrylic=AcrylicParams(run_length=700.0, smear=0.3))
    rng = p.rng
    # Scumbled ground: short crossing strokes in close reds, so no band dominates.
    for _ in range(260):
        x, y = rng.uniform(-20, WIDTH + 20), rng.uniform(-20, HEIGHT + 20)
        a = rng.normal(0, 0.35) + (math.pi / 2 if rng.random() < 0.3 else 0.0)
        l = rng.uniform(60, 140)
        col = cfg.ground_var[int(rng.integers(len(cfg.ground_var)))]
        p.acrylic(polyline((x, y), (x + l * math.cos(a), y + l * math.sin(a)), step=8),
                  col, rng.uniform(30, 60), opacity=0.45, speed=rng.uniform(300, 900))
    # Soft-edged underpainting: the fields float, their edges dissolving into the ground.
    for box, base, light in ((cfg.upper_box, cfg.upper, cfg.upper_light),
                             (cfg.lower_box, cfg.lower, cfg.lower_light)):
        p.fill(_soft_box(rng, box, cfg.feather) * 0.92, mix(base, light, 0.25))
        _field(p, box, base, light, cfg)
    # A thin glowing seam and soft glazes over both fields.
    p.acrylic(wobble(rng, polyline((70, 223), (442, 223)), 1.0), cfg.seam, 8,
              opacity=0.35, speed=900)
    for box, col in ((cfg.upper_box, cfg.upper_light), (cfg.lower_box, cfg.lower_light)):
        x0, y0, x1, y1 = box
        for y in np.arange(y0 + 26, y1 - 20, 38):
            p.wash(polyline((x0 + 40, y), (x1 - 40, y)), col, 44, opacity=0.15)
    return p.image()


# --------------------------------------------------------------------- geometric grid
@dataclass(frozen=True)
class GeometricGridStyle:
    seed: int = 202  # fixed: the same painting, byte for byte, on every run
    # A quiet morning: chalky off-whites dominate; the primaries are softened (butter
    # yellow, powder blue, a muted coral) so the grid feels calm, not shouting.
    whites: tuple[RGB, ...] = (hex_rgb("#f1ece0"), hex_rgb("#e9e3d3"), hex_rgb("#f4f0e6"))
    accents: tuple[RGB, ...] = (hex_rgb("#f0c75a"), hex_rgb("#7fa6c9"), hex_rgb("#d0654c"),
                                hex_rgb("#c9d3d8"), hex_rgb("#2f4f7a"))
    line: RGB = hex_rgb("#1c1c21")
    line_width: float = 9.0  # bold, slightly uneven bars
    splits: int = 10  # recursive cuts: 11 cells keeps the composition spare
    accent_share: float = 0.4  # fraction of cells that get a colour


def _split_cells(rng: np.random.Generator, n: int) -> tuple[list, list]:
    """Recursively cut the canvas; returns cells (x0, y0, x1, y1) and cut segments."""
    cells = [(0.0, 0.0, float(WIDTH), float(HEIGHT))]
    cuts = []
    for _ in range(n):
        areas = [(c[2] - c[0]) * (c[3] - c[1]) for c in cells]
        i = int(rng.choice(len(cells), p=np.asarray(areas) / sum(areas)))
        x0, y0, x1, y1 = cells.pop(i)
        vertical = (x1 - x0) * rng.uniform(0.7, 1.3) > (y1 - y0)
        if vertical:
            x = round(x0 + (x1 - x0) * rng.choice([0.3, 0.38, 0.62, 0.7]))
            cells += [(x0, y0, x, y1), (x, y0, x1, y1)]
            cuts.append(((x, y0), (x, y1)))
        else:
            y = round(y0 + (y1 - y0) * rng.choice([0.3, 0.38, 0.62, 0.7]))
            cells += [(x0, y0, x1, y), (x0, y, x1, y1)]
            cuts.append(((x0, y), (x1, y)))
    return cells, cuts


def paint_geometric_grid(cfg: GeometricGridStyle = GeometricGridStyle()) -> np.ndarray:
    p = Painter(cfg.seed, acrylic=AcrylicParams(run_length=700.0))
    rng = p.rng
    cells, cuts = _split_cells(rng, cfg.splits)
    yy, xx = grid_yx()
    order = rng.permutation(len(cells))
    n_acc = max(int(len(cells) * cfg.accent_share), 3)
    colours = {}
    for rank, i in enumerate(order):
        colours[i] = (cfg.accents[rank % len(cfg.accents)] if rank < n_acc
                      else cfg.whites[rank % len(cfg.whites)])
    for i, (x0, y0, x1, y1) in enumerate(cells):
        mask = (xx >= x0) & (xx < x1) & (yy >= y0) & (yy < y1)
        p.fill(mask.astype(np.float32), colours[i])
    # Brushwork inside each cell, along its long side, kept inside the cell.
    for i, (x0, y0, x1, y1) in enumerate(cells):
        w, h = x1 - x0, y1 - y0
        size = float(np.clip(min(w, h) * 0.45, 10, 34))
        horizontal = w >= h
        a0, a1, b0, b1 = (x0, x1, y0, y1) if horizontal else (y0, y1, x0, x1)
        for b in np.arange(b0 + size * 0.5, b1 - size * 0.4, size * 0.55):
            ends = (a0 + size * 0.45, a1 - size * 0.45)
            if ends[1] <= ends[0]:
                continue
            seg = [(ends[0], b), (ends[1], b)] if horizontal else [(b, ends[0]), (b, ends[1])]
            p.acrylic(polyline(*seg), jitter(rng, colours[i], 5), size, opacity=0.8,
                      speed=rng.uniform(150, 350))
    # Bars in two coats, so they read as solid black with only a little brush texture.
    for (ax, ay), (bx, by) in cuts:
        width = cfg.line_width + rng.uniform(-1.5, 2.5)
        for _ in range(2):
            pts = wobble(rng, polyline((ax, ay), (bx, by)), 0.3)
            p.acrylic(pts, cfg.line, width, speed=150)
    return p.image()


# --------------------------------------------------------------------- cubist shards
@dataclass(frozen=True)
class CubistShardsStyle:
    seed: int = 303  # fixed: the same painting, byte for byte, on every run
    # Analytic-cubist earths: ochres, umbers, olive and slate around a pale, warm face;
    # low saturation so the broken structure, not colour, carries the picture.
    ground: tuple[RGB, ...] = (hex_rgb("#8a6a3e"), hex_rgb("#5e5a44"), hex_rgb("#6f7a6c"),
                               hex_rgb("#4b5560"), hex_rgb("#a88450"), hex_rgb("#3b3026"))
    face: tuple[RGB, ...] = (hex_rgb("#e3c08f"), hex_rgb("#d3a574"), hex_rgb("#c98f62"),
                             hex_rgb("#b8ab8a"))  # a grey-green plane in the flesh
    hair: tuple[RGB, ...] = (hex_rgb("#3a2a1e"), hex_rgb("#5a3f28"))
    body: tuple[RGB, ...] = (hex_rgb("#4a5e6e"), hex_rgb("#66788a"), hex_rgb("#3a4652"),
                             hex_rgb("#7a7f70"))
    outline: RGB = hex_rgb("#1c1714")
    light_edge: RGB = hex_rgb("#efe2c4")
    cuts: int = 22  # random lines through the picture: ~150 shards
    stroke_len: float = 18.0  # short, parallel "constructive" strokes inside a shard
    stroke_gap: float = 6.0  # px between neighbouring strokes: they overlap a little


def _portrait_zones() -> np.ndarray:
    """(H, W) int: 0 background, 1 face, 2 hair, 3 neck and shoulders."""
    yy, xx = grid_yx()
    zone = np.zeros((HEIGHT, WIDTH), np.int32)
    body = (yy > 250) & (np.abs(xx - 256) < 60 + (yy - 250) * 1.6)
    zone[body] = 3
    neck = (np.abs(xx - 262) < 26) & (yy > 200) & (yy <= 262)
    zone[neck] = 1
    hair = ((xx - 250) / 88.0) ** 2 + ((yy - 128) / 100.0) ** 2 < 1.0
    zone[hair] = 2
    face = ((xx - 262) / 66.0) ** 2 + ((yy - 150) / 88.0) ** 2 < 1.0
    zone[face] = 1
    return zone


def _shard_labels(rng: np.random.Generator, cuts: int) -> tuple[np.ndarray, list]:
    """(H, W) int region labels from random lines and the figure zones, and the lines."""
    yy, xx = grid_yx()
    code = _portrait_zones().astype(np.int64) << cuts
    lines = []
    for k in range(cuts):
        # Half the lines cross the face, so it breaks into the most planes.
        if k % 2:
            cx, cy = rng.normal(262, 40), rng.normal(150, 45)
        else:
            cx, cy = rng.uniform(40, WIDTH - 40), rng.uniform(30, HEIGHT - 30)
        ang = rng.uniform(0, math.pi)
        side = (xx - cx) * math.sin(ang) - (yy - cy) * math.cos(ang) > 0
        code |= side.astype(np.int64) << k
        lines.append((cx, cy, ang))
    _, labels = np.unique(code, return_inverse=True)
    return labels.reshape(HEIGHT, WIDTH), lines


def _facet_strokes(p: Painter, m: np.ndarray, img: np.ndarray, ang: float,
                   cfg: CubistShardsStyle) -> None:
    """Parallel short strokes across a shard, following its own light direction."""
    rng = p.rng
    inner = ndimage.binary_erosion(m, iterations=4)
    ys, xs = np.nonzero(inner)
    if ys.size < 20:
        return
    d = ang + math.pi / 2
    ux, uy = math.cos(d), math.sin(d)
    # Rotated lattice: rows `stroke_gap` apart across, `stroke_len` apart along.
    along = xs * ux + ys * uy
    across = -xs * uy + ys * ux
    ia = np.floor(along / (cfg.stroke_len * 0.8)).astype(np.int64)
    ic = np.floor(across / cfg.stroke_gap).astype(np.int64)
    _, first = np.unique(ia * 100_003 + ic, return_index=True)
    half = cfg.stroke_len / 2
    for j in first:
        x, y = float(xs[j]), float(ys[j])
        base = img[ys[j], xs[j]]
        col = tuple(int(c) for c in np.clip(base * rng.uniform(0.88, 1.12), 0, 255))
        l = half * rng.uniform(0.7, 1.0)
        pts = polyline((x - ux * l, y - uy * l), (x + ux * l, y + uy * l), step=3)
        p.acrylic(pts, col, rng.uniform(6, 9), opacity=0.75, speed=250)


def paint_cubist_shards(cfg: CubistShardsStyle = CubistShardsStyle()) -> np.ndarray:
    p = Painter(cfg.seed, acrylic=AcrylicParams(run_length=300.0))
    rng = p.rng
    labels, lines = _shard_labels(rng, cfg.cuts)
    zones = _portrait_zones()
    yy, xx = grid_yx()
    img = np.zeros((HEIGHT, WIDTH, 3), np.float32)
    shards = []
    for lab in range(int(labels.max()) + 1):
        m = labels == lab
        if not m.any():
            continue
        zone = int(np.bincount(zones[m]).argmax())
        pal = (cfg.ground, cfg.face, cfg.hair, cfg.body)[zone]
        base = np.asarray(pal[int(rng.integers(len(pal)))], np.float32)
        # Passage: each shard darkens towards one side, like a facet catching light.
        ang = rng.uniform(0, 2 * math.pi)
        proj = xx[m] * math.cos(ang) + yy[m] * math.sin(ang)
        t = (proj - proj.min()) / max(float(np.ptp(proj)), 1.0)
        img[m] = np.clip(base[None] * (1.15 - 0.5 * t)[:, None], 0, 255)
        shards.append((m, ang))
    p.fill(np.ones((HEIGHT, WIDTH), np.float32), img)
    for m, ang in shards:
        _facet_strokes(p, m, img, ang, cfg)
    # Contours: dark along the shadow side of a cut, pale along the lit side, broken so
    # the planes slide into one another.
    for cx, cy, ang in lines:
        dx, dy = math.cos(ang), math.sin(ang)
        nx, ny = -dy, dx
        for s0 in np.arange(-600, 600, 50):
            a = (cx + dx * s0, cy + dy * s0)
            if not (-20 < a[0] < WIDTH + 20 and -20 < a[1] < HEIGHT + 20):
                continue
            r = rng.random()
            l = rng.uniform(25, 55)
            b = (a[0] + dx * l, a[1] + dy * l)
            if r < 0.35:
                p.acrylic(polyline(a, b, step=3), cfg.outline, rng.uniform(2.5, 4.0), speed=300)
            elif r < 0.55:
                off = (nx * 3, ny * 3)
                p.acrylic(polyline((a[0] + off[0], a[1] + off[1]), (b[0] + off[0], b[1] + off[1]),
                                   step=3), cfg.light_edge, 2.5, opacity=0.8, speed=300)
    # The face, told twice: a frontal eye and a profile eye, a nose plane, a mouth.
    ink = cfg.outline
    for ex, ey, w in ((234.0, 138.0, 25.0), (294.0, 126.0, 21.0)):
        p.acrylic(polyline((ex - w, ey), (ex, ey - 11), (ex + w, ey), (ex, ey + 9),
                           (ex - w, ey), step=3), ink, 3.5, speed=200)
        p.dab(ex, ey, ink, 10)
    p.acrylic(polyline((266, 130), (254, 186), (272, 190), step=3), ink, 3.0, speed=200)
    p.fill(np.clip(1 - np.abs((xx - 256) / 10 - (yy - 130) / 56 * 0.2), 0, 1) *
           ((yy > 135) & (yy < 185) & (xx > 256) & (xx < 272)) * 0.5, cfg.face[2])
    p.acrylic(polyline((240, 206), (262, 210), (284, 203), step=3), hex_rgb("#7a3a2a"), 5,
              speed=200)
    p.acrylic(circle(262, 150, 67, -0.3, 1.8, step=3), ink, 3.5, speed=300)
    p.acrylic(circle(250, 128, 90, 3.3, 2.6, step=3), ink, 3.0, speed=300)
    return p.image()
