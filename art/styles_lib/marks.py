"""Styles made of many small marks or washes: dots, drips, hatching, watercolour."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from skimage import measure

from brushes import AcrylicParams, CanvasLook, PaperSettings, WatercolourParams, WetParams

from .kit import (HEIGHT, RGB, WIDTH, Painter, grid_yx, hex_rgb, jitter, polyline, sample,
                  wobble)


# --------------------------------------------------------------------- pointillism
@dataclass(frozen=True)
class PointillismStyle:
    seed: int = 909  # fixed: the same painting, byte for byte, on every run
    # Unmixed dots in the spectral colours a divisionist would lay side by side; the eye
    # mixes them. Sky, trees, lawn and water pick their dots from these by closeness.
    dots: tuple[RGB, ...] = (hex_rgb("#fbf4dc"), hex_rgb("#f6d84a"), hex_rgb("#f29a3a"),
                             hex_rgb("#e2553a"), hex_rgb("#e07aa8"), hex_rgb("#7b5fb8"),
                             hex_rgb("#3e66c4"), hex_rgb("#6fbbe6"), hex_rgb("#2f8f4a"),
                             hex_rgb("#9ccc59"), hex_rgb("#1f5a3a"), hex_rgb("#b9d8f0"))
    dot: float = 5.5  # dot diameter in px: large enough that the texture survives
    pitch: float = 3.9  # mean distance between dot centres (they overlap a little)
    choosiness: float = 30.0  # colour distance scale: lower = stricter nearest colour


def _park_scene() -> np.ndarray:
    """(H, W, 3) float32 target colours of a sunny park by a river."""
    yy, xx = grid_yx()
    img = np.zeros((HEIGHT, WIDTH, 3), np.float32)
    sky_t = np.clip(yy / 140.0, 0, 1)[..., None]
    img[:] = np.asarray(hex_rgb("#7fb2e8")) * (1 - sky_t) + np.asarray(hex_rgb("#f2e4c8")) \
        * sky_t
    horizon = 140.0
    lawn = yy >= horizon
    img[lawn] = hex_rgb("#8fc653")
    far_bank = lawn & (yy < 152) & (xx > 150)
    img[far_bank] = hex_rgb("#5f9a5a")
    water = (yy >= 152) & (yy < 215) & (xx > 150 + (yy - 152) * 2.2)
    img[water] = hex_rgb("#4f8fd8")
    img[water & (np.abs(yy - 180) < 4)] = hex_rgb("#a8d0f0")
    # Lawn shade band across the front, a classic divisionist light/shadow split.
    shade = lawn & ~water & (yy > 300 - 0.18 * xx)
    img[shade] = hex_rgb("#2e6a4a")
    # Trees: dark green canopies with trunks, lit on the left.
    for tx, ty, r in ((60, 100, 58), (160, 90, 46), (480, 110, 52)):
        d = ((xx - tx) / r) ** 2 + ((yy - ty) / (r * 0.95)) ** 2
        canopy = d < 1
        img[canopy] = hex_rgb("#2f6a36")
        img[canopy & (xx < tx - r * 0.2) & (yy < ty)] = hex_rgb("#5a9a3a")
        img[(np.abs(xx - tx) < 5) & (yy > ty + r * 0.7) & (yy < ty + r * 1.55)] = \
            hex_rgb("#5a3a2a")
    # Figures with parasols: violet, rust and a white dress; warm faces.
    for fx, fy, col, pcol in ((250, 228, "#3a2f6a", "#e96a3a"), (330, 262, "#f4eee0", "#d05a8a"),
                              (420, 240, "#8a3a2a", "#f0d050")):
        body = (np.abs(xx - fx) < 8 + (yy - fy) * 0.3) & (yy > fy) & (yy < fy + 70)
        img[body] = hex_rgb(col)
        head = (xx - fx) ** 2 + (yy - fy + 7) ** 2 < 49
        img[head] = hex_rgb("#e8b890")
        para = ((xx - fx + 6) ** 2 + (yy - fy + 20) ** 2 < 500) & (yy < fy - 18)
        img[para] = hex_rgb(pcol)
        shadow = (((xx - fx - 28) / 36) ** 2 + ((yy - fy - 72) / 6) ** 2 < 1) & ~body
        img[shadow] = hex_rgb("#2a5a4a")
    return img


def paint_pointillism(cfg: PointillismStyle = PointillismStyle()) -> np.ndarray:
    p = Painter(cfg.seed, acrylic=AcrylicParams(run_length=100.0, ridge=0.7))
    rng = p.rng
    scene = _park_scene()
    # A soft, paler underpainting so no white paper flickers between the dots.
    under = ndimage.gaussian_filter(scene, (3, 3, 0)) * 0.75 + 255 * 0.25
    p.fill(np.full((HEIGHT, WIDTH), 0.85, np.float32), under)
    dots = np.asarray(cfg.dots, np.float32)  # (K, 3)
    n = int(WIDTH * HEIGHT / cfg.pitch ** 2)
    xs = rng.uniform(-2, WIDTH + 2, n)
    ys = rng.uniform(-2, HEIGHT + 2, n)
    for x, y in zip(xs, ys):
        target = sample(scene, x, y)
        d = np.sqrt(((dots - target) ** 2).sum(axis=1))
        w = np.exp(-(d - d.min()) / cfg.choosiness)
        k = int(rng.choice(len(dots), p=w / w.sum()))
        p.dab(x, y, jitter(rng, cfg.dots[k], 8), cfg.dot * rng.uniform(0.85, 1.15),
              angle=rng.uniform(0, 2 * math.pi), length=1.0)
    return p.image()


# --------------------------------------------------------------------- drips
@dataclass(frozen=True)
class DripsStyle:
    seed: int = 1010  # fixed: the same painting, byte for byte, on every run
    # Poured enamel on raw canvas: black, white, aluminium grey, ochre and a rust red,
    # with a teal thread; the beige ground must show between skeins.
    ground: tuple[float, float, float] = (0.80, 0.74, 0.62)  # unprimed cotton duck
    stains: tuple[RGB, ...] = (hex_rgb("#b59a72"), hex_rgb("#8f8a7a"))
    skeins: tuple[tuple[RGB, int, float], ...] = (
        (hex_rgb("#2a2623"), 4, 9.0),  # (colour, number of pours, mean width): heavy runs
        (hex_rgb("#1b1a1a"), 14, 4.5),  # the black web
        (hex_rgb("#c98f3a"), 9, 3.5),
        (hex_rgb("#8a3a2a"), 6, 3.0),
        (hex_rgb("#9ea3a6"), 8, 3.0),
        (hex_rgb("#2e6f73"), 5, 2.5),
        (hex_rgb("#1b1a1a"), 8, 2.0),  # a second, finer black pass over the colours
        (hex_rgb("#f4f1e8"), 12, 3.0),  # white last, so it sits on top like wet enamel
    )
    pour_len: float = 1100.0  # px of line per pour
    spatter: int = 260  # flung droplets


def _pour_path(rng: np.random.Generator, length: float) -> np.ndarray:
    """(N, 2) a gestural pour: long sweeping arcs that now and then whip into a loop."""
    x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
    a = rng.uniform(0, 2 * math.pi)
    turn = 0.0
    pts = [(x, y)]
    for _ in range(int(length / 4)):
        turn = turn * 0.85 + rng.normal(0, 0.06)
        if rng.random() < 0.004:  # a flick of the wrist: a loop
            turn = rng.choice([-1.0, 1.0]) * rng.uniform(0.12, 0.4)
        a += turn
        x += 4 * math.cos(a)
        y += 4 * math.sin(a)
        if not (-20 < x < WIDTH + 20 and -20 < y < HEIGHT + 20):
            # Turn back towards the canvas centre instead of leaving it.
            a = math.atan2(HEIGHT / 2 - y, WIDTH / 2 - x) + rng.normal(0, 0.5)
            turn = 0.0
        pts.append((x, y))
    return np.asarray(pts)


def paint_drips(cfg: DripsStyle = DripsStyle()) -> np.ndarray:
    # Cotton duck is smoother than watercolour paper: without the 2 px grain, thin
    # pours stay continuous instead of breaking up like a dry brush.
    look = CanvasLook(paper_rgb=cfg.ground, paper=PaperSettings(
        octaves=((48.0, 0.25), (11.0, 0.45), (4.5, 0.30)), fibre_strength=0.04))
    # Enamel levels itself: low bristle ridges, a smooth raised body.
    p = Painter(cfg.seed, look=look, acrylic=AcrylicParams(run_length=4000.0, smear=0.05,
                                                            ridge=0.15, body=0.3))
    rng = p.rng
    # Faint stains soaked into the raw canvas before the pours.
    for _ in range(7):
        x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
        p.wash(circle_blob(rng, x, y, rng.uniform(25, 60)),
               cfg.stains[int(rng.integers(len(cfg.stains)))], 50, opacity=0.25)
    p.dry()
    for col, pours, width in cfg.skeins:
        for _ in range(pours):
            pts = _pour_path(rng, cfg.pour_len * rng.uniform(0.5, 1.2))
            # Uneven runs: a slow hand leaves fat puddles, a fast one hairlines.
            for chunk in np.array_split(pts, max(len(pts) // 30, 1)):
                if len(chunk) < 2:
                    continue
                p.acrylic(chunk, jitter(rng, col, 6), max(width * rng.uniform(0.5, 1.6), 2.6),
                          speed=rng.uniform(200, 1800))
            for _ in range(int(rng.integers(0, 3))):  # pools where the pour paused
                x, y = pts[int(rng.integers(len(pts)))]
                p.dab(x, y, col, width * rng.uniform(1.5, 3.0), length=3.0)
    for _ in range(cfg.spatter):
        col = cfg.skeins[int(rng.integers(len(cfg.skeins)))][0]
        x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
        p.dab(x, y, col, rng.uniform(2, 5) ** rng.uniform(0.6, 1.0))
    return p.image()


def circle_blob(rng: np.random.Generator, x: float, y: float, r: float) -> np.ndarray:
    """(N, 2) a scribble that fills a rough disc: for stains and washes."""
    turns = np.linspace(0, 4 * math.pi, 40)
    rad = r * np.linspace(1.0, 0.2, 40) * rng.uniform(0.8, 1.2, 40)
    return np.stack([x + rad * np.cos(turns), y + rad * np.sin(turns) * 0.8], axis=1)


# --------------------------------------------------------------------- hatching
@dataclass(frozen=True)
class HatchingStyle:
    seed: int = 1111  # fixed: the same painting, byte for byte, on every run
    # Etching: sepia ink on warm cream paper, a faint wash under the shadows.
    paper: tuple[float, float, float] = (0.96, 0.92, 0.83)  # warm, slightly aged sheet
    ink: RGB = hex_rgb("#35231a")
    wash: RGB = hex_rgb("#c9a57a")
    spacing: float = 5.0  # px between parallel lines: fine, but each line still reads
    pen: float = 1.7  # thinnest line; darker passages swell it a little
    # Tone at which each successive hatching layer joins in: 1 layer in light
    # passages, up to 4 crossing layers in the deepest shadow.
    thresholds: tuple[float, ...] = (0.16, 0.42, 0.62, 0.8)


def _still_life_tone() -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(H, W) float32 darkness in [0, 1] of a still life, and its object masks."""
    yy, xx = grid_yx()
    table_y = 262.0
    wall = yy < table_y
    tone = np.where(wall, 0.12 + 0.38 * (xx / WIDTH) ** 1.3, 0.34 + 0.3 * (yy - table_y) / 122)
    # Sphere lit from the upper left.
    cx, cy, r = 168.0, 208.0, 66.0
    d2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / r ** 2
    sphere = d2 < 1
    nz = np.sqrt(np.clip(1 - d2, 0, 1))
    lit = np.clip((-(xx - cx) * 0.55 - (yy - cy) * 0.6) / r + nz * 0.6, 0, 1)
    s_tone = 0.9 - 0.85 * lit + 0.25 * np.clip((xx - cx) / r + (yy - cy) / r - 0.9, 0, 1)
    # Cast shadows on the table, thrown to the right.
    shadow = (((xx - cx - 66) / 92) ** 2 + ((yy - table_y - 18) / 16) ** 2 < 1) & ~wall
    # A jug: a cylinder shaded across its width, with a neck and a handle.
    jx, jw, jtop = 352.0, 52.0, 120.0
    u = (xx - jx) / jw
    jug = (np.abs(u) < 1) & (yy > jtop + 12 * np.sqrt(np.clip(1 - u * u, 0, 1))) \
        & (yy < 286 + 8 * np.sqrt(np.clip(1 - u * u, 0, 1)))
    neck = (np.abs(xx - jx) < 24) & (yy > 78) & (yy <= jtop + 6)
    handle = (np.abs(np.hypot(xx - jx - 58, yy - 180) - 26) < 6) & (xx > jx + 46)
    jug_all = jug | neck | handle
    j_tone = np.clip(0.2 + 0.7 * ((u + 0.35) / 1.35) ** 2, 0, 1)
    shadow |= (((xx - jx - 80) / 100) ** 2 + ((yy - 292) / 14) ** 2 < 1) & ~wall
    tone = np.where(shadow, 0.82, tone)
    tone = np.where(jug_all, j_tone, tone)
    tone = np.where(neck, j_tone + 0.1, tone)
    tone = np.where(sphere, s_tone, tone)
    masks = {"wall": wall & ~sphere & ~jug_all, "table": ~wall & ~sphere & ~jug_all,
             "sphere": sphere, "jug": jug_all}
    return np.clip(tone, 0, 1).astype(np.float32), masks


def _hatch(p: Painter, phi: np.ndarray, mask: np.ndarray, tone: np.ndarray, thr: float,
           cfg: HatchingStyle) -> None:
    """Pen lines along the level curves of `phi` (px units), where `mask` and tone > thr.

    phi, tone: (H, W) float32; mask: (H, W) bool. Level curves of a linear phi are
    straight hatching; of a radial phi, arcs that follow a form.
    """
    rng = p.rng
    rows, cols = np.nonzero(mask & (tone > thr - 0.05))
    if rows.size == 0:
        return
    y0, y1 = max(rows.min() - 2, 0), min(rows.max() + 3, HEIGHT)
    x0, x1 = max(cols.min() - 2, 0), min(cols.max() + 3, WIDTH)
    sub = phi[y0:y1, x0:x1]
    start = float(sub.min()) + rng.uniform(0, cfg.spacing)
    for level in np.arange(start, float(sub.max()), cfg.spacing):
        for c in measure.find_contours(sub, level):
            ys, xs = c[:, 0] + y0, c[:, 1] + x0  # (N,) each
            yi, xi = ys.astype(int), xs.astype(int)
            t = tone[yi, xi]
            on = mask[yi, xi] & (t > thr + rng.normal(0, 0.02))
            edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
            for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
                if b - a < 4:
                    continue
                pts = np.stack([xs[a:b:2], ys[a:b:2]], axis=1)
                if len(pts) < 2:
                    continue
                width = cfg.pen + 1.2 * float(np.clip(t[a:b].mean() - thr, 0, 0.6))
                p.acrylic(wobble(rng, pts, 0.35), cfg.ink, width, speed=700)


def paint_hatching(cfg: HatchingStyle = HatchingStyle()) -> np.ndarray:
    # Ink sits flat on the paper: almost no body, no bristle ridges.
    p = Painter(cfg.seed, look=CanvasLook(paper_rgb=cfg.paper, relief=0.4),
                acrylic=AcrylicParams(run_length=5000.0, ridge=0.05, body=0.02,
                                      streak_tint=0.0))
    tone, masks = _still_life_tone()
    yy, xx = grid_yx()
    # Plate tone: the thin film of ink an etcher leaves wiped over the darker passages.
    film = ndimage.gaussian_filter(np.clip(tone - 0.3, 0, 1), 6) * 0.55
    p.fill(film.astype(np.float32), cfg.wash)
    th = cfg.thresholds

    def line(angle: float) -> np.ndarray:  # straight hatching at `angle` radians
        return (xx * -math.sin(angle) + yy * math.cos(angle)).astype(np.float32)

    def rings(cx: float, cy: float) -> np.ndarray:  # arcs around (cx, cy)
        return np.hypot(xx - cx, yy - cy).astype(np.float32)

    u = np.clip((xx - 352.0) / 52.0, -0.999, 0.999)
    plans = (
        ("wall", line(1.05), th[0]), ("wall", line(-0.5), th[1]), ("wall", line(0.3), th[2]),
        ("table", line(0.02), th[0]), ("table", line(-0.6), th[1]),
        ("table", line(0.7), th[2]), ("table", line(1.5), th[3]),
        ("sphere", rings(100.0, 140.0), th[0]), ("sphere", rings(280.0, 120.0), th[1]),
        ("sphere", rings(60.0, 300.0), th[2]), ("sphere", line(0.8), th[3]),
        ("jug", xx.astype(np.float32), th[0]),
        ("jug", (yy + 14 * np.sqrt(1 - u * u)).astype(np.float32), th[1]),
        ("jug", line(0.9), th[2]), ("jug", line(-0.9), th[3]),
    )
    for name, phi, thr in plans:
        _hatch(p, phi, masks[name], tone, thr, cfg)
    # Contours: a slightly heavier pen, broken where the light hits.
    for name in ("sphere", "jug"):
        for c in measure.find_contours(masks[name].astype(np.float32), 0.5):
            pts = c[::3, ::-1]
            t = tone[c[::3, 0].astype(int), c[::3, 1].astype(int)]
            keep = t > 0.25
            edges = np.diff(np.concatenate([[0], keep.astype(np.int8), [0]]))
            for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
                if b - a >= 2:
                    p.acrylic(wobble(p.rng, pts[a:b], 0.4), cfg.ink, 2.4, speed=400)
    p.acrylic(wobble(p.rng, polyline((-10, 262), (WIDTH + 10, 262), step=3), 0.6), cfg.ink,
              2.2, speed=400)
    return p.image()


# --------------------------------------------------------------------- watercolour washes
@dataclass(frozen=True)
class WatercolourWashesStyle:
    seed: int = 1212  # fixed: the same painting, byte for byte, on every run
    # Morning light over water: a lemon-gold sun glow, peach and rose haze, soft blue
    # greys for the far shore and its reflection: a high-key, luminous palette.
    glow: RGB = hex_rgb("#f7d25a")
    peach: RGB = hex_rgb("#f2a070")
    rose: RGB = hex_rgb("#d98a9a")
    haze: RGB = hex_rgb("#8fa8c8")
    shore: RGB = hex_rgb("#56698a")
    accent: RGB = hex_rgb("#2f3346")
    sun: tuple[float, float] = (300.0, 118.0)  # kept as bare paper: the light source
    horizon: float = 222.0  # a little below the middle: the sky is the subject
    # Slow drying and light granulation: big soft wet-in-wet blends, not hard bands.
    wet: WetParams = WetParams(dry_seconds=5.0, granulation=0.12, diffusion=0.18,
                               capillary=0.4)


def paint_watercolour_washes(cfg: WatercolourWashesStyle = WatercolourWashesStyle()
                             ) -> np.ndarray:
    p = Painter(cfg.seed, look=CanvasLook(wet=cfg.wet, relief=0.45),
                watercolour=WatercolourParams(water=1.4, edge_noise=0.12))
    rng = p.rng
    sx, sy = cfg.sun
    hz = cfg.horizon
    # Layer 1, wet in wet: cool at the top, warming to gold towards the horizon, and
    # the same sky mirrored more faintly in the water.
    sky_rows = ((-10, cfg.haze, 0.35), (60, cfg.peach, 0.3), (125, cfg.glow, 0.4),
                (185, cfg.glow, 0.35), (hz + 30, cfg.glow, 0.25), (hz + 90, cfg.haze, 0.25),
                (hz + 150, cfg.haze, 0.3))
    for y, col, op in sky_rows:
        pts = wobble(rng, polyline((-50, y), (WIDTH + 50, y + rng.uniform(-10, 10)), step=14),
                     6)
        p.wash(pts, col, 110, opacity=op, speed=500)
    # Soft warm clouds dropped into the wet sky, drifting up from the sun.
    for cx, cy, col in ((90, 60, cfg.rose), (180, 30, cfg.peach), (430, 40, cfg.rose),
                        (500, 90, cfg.peach)):
        a = rng.uniform(-0.25, 0.25)
        pts = wobble(rng, polyline((cx - 70, cy - 70 * a), (cx + 70, cy + 70 * a), step=12), 5)
        p.wash(pts, col, 50, opacity=0.3, speed=500)
    # A deeper gold halo and a rose band, still wet in wet so no hard edges form.
    p.canvas.run_ticks(8)
    for y in (sy - 40, sy + 10, sy + 55):
        p.wash(wobble(rng, polyline((sx - 220, y), (sx + 220, y), step=14), 8), cfg.glow,
               70, opacity=0.25)
    p.wash(wobble(rng, polyline((-40, 170), (WIDTH + 40, 176), step=14), 4), cfg.rose, 46,
           opacity=0.25)
    p.dry()
    # Lift the sun out of the dried wash: bare paper is the brightest light there is.
    p.lift(np.array([(sx, sy), (sx + 1, sy)]), 64, 0.85, softness=20)
    # Layer 2: hazy far shore with a tower, in overlapping bands that merge while wet.
    xs = np.arange(-20, WIDTH + 21, 8.0)
    ridge = hz - 16 - 30 * np.exp(-((xs - 90) / 70) ** 2) \
        - 18 * np.exp(-((xs - 450) / 60) ** 2) - 4 * np.sin(xs / 23)
    for k in range(6):
        y = np.minimum(ridge + 7 * k, hz - 5)
        p.wash(np.stack([xs, y], axis=1), cfg.haze if k < 4 else cfg.shore, 16,
               opacity=0.28)
    p.wash(polyline((96, hz - 84), (98, hz - 30), step=4), cfg.shore, 12, opacity=0.4)
    p.dry()
    # Water: broken reflections, gold under the sun, sparkle lifted out.
    for k in range(9):
        y = hz + 10 + k * 15 + rng.uniform(-3, 3)
        for xa, xb, col in ((rng.uniform(-20, 120), rng.uniform(180, 250), cfg.shore),
                            (rng.uniform(270, 330), rng.uniform(330, 380), cfg.glow),
                            (rng.uniform(360, 420), rng.uniform(470, 540), cfg.shore)):
            p.wash(wobble(rng, polyline((xa, y), (xb, y), step=10), 1.2), col, 6 + k,
                   opacity=0.22)
    p.dry()
    for k in range(6):
        y = hz + 20 + k * 20
        x = sx + rng.normal(0, 15)
        p.lift(polyline((x - 30 + k * 5, y), (x + 30 - k * 5, y), step=4), 4, 0.6, 2.0)
    # Layer 3: a few decisive darks: a boat with a sail, posts and their reflections.
    bx, by = 190.0, 268.0
    p.wash(polyline((bx - 34, by), (bx + 34, by), (bx + 24, by + 9), (bx - 26, by + 9),
                    step=3), cfg.accent, 7, opacity=0.8)
    p.wash(polyline((bx, by - 2), (bx + 2, by - 64), step=3), cfg.accent, 3, opacity=0.8)
    p.wash(polyline((bx + 4, by - 60), (bx + 30, by - 10), (bx + 4, by - 10), step=3),
           cfg.peach, 9, opacity=0.6)
    p.wash(wobble(rng, polyline((bx - 30, by + 18), (bx + 30, by + 18), step=6), 2),
           cfg.accent, 5, opacity=0.3)
    for x in (380.0, 394.0, 430.0):
        p.wash(polyline((x, hz + 8), (x + 1, hz + 50), step=3), cfg.accent, 4, opacity=0.7)
    return p.image()
