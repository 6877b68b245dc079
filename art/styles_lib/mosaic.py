"""A Byzantine-style mosaic: tesserae laid in rows that follow the forms (andamento)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from skimage import draw

from brushes import AcrylicParams, CanvasLook

from .kit import HEIGHT, RGB, WIDTH, Painter, grid_yx, hex_rgb, jitter, smooth_noise


# --------------------------------------------------------------------- mosaic
@dataclass(frozen=True)
class MosaicStyle:
    seed: int = 404  # fixed: the same painting, byte for byte, on every run
    # Byzantine harbour: a gold-leaf sky, lapis and turquoise sea, terracotta hulls and
    # roofs, white stone; grout in warm dark grey so every tessera stands alone.
    gold: tuple[RGB, ...] = (hex_rgb("#d9a93a"), hex_rgb("#e8c45a"), hex_rgb("#c08a2a"),
                             hex_rgb("#f0d27a"))
    sea: tuple[RGB, ...] = (hex_rgb("#1f3f8a"), hex_rgb("#2b5fa8"), hex_rgb("#3a86b8"),
                            hex_rgb("#16306a"), hex_rgb("#5aa6c0"))
    terracotta: RGB = hex_rgb("#b5532e")
    stone: RGB = hex_rgb("#e8e0cc")
    hill: RGB = hex_rgb("#4f6b3a")
    grout: RGB = hex_rgb("#3a332c")
    sun_colours: tuple[RGB, ...] = (hex_rgb("#fff6dc"), hex_rgb("#f8e08a"),
                                    hex_rgb("#f0a83a"), hex_rgb("#d9642a"))  # white-hot core
    outline: RGB = hex_rgb("#2b2030")
    sun: tuple[float, float, float] = (380.0, 70.0, 44.0)  # (x, y, radius)
    tile: float = 11.0  # tessera pitch in px: ~1600 tiles, small enough for detail
    gap: float = 2.0  # grout width


def _harbour_scene(cfg: MosaicStyle, rng: np.random.Generator) -> np.ndarray:
    """(H, W) int zone map: 0 sky, 1 sea, 2 hill, 3 terracotta, 4 stone, 5 dark."""
    yy, xx = grid_yx()
    zone = np.zeros((HEIGHT, WIDTH), np.int32)
    horizon = 200 + 6 * np.sin(xx / 60.0)
    zone[yy > horizon] = 1
    hill = 200 - 60 * np.exp(-((xx - 110) / 120.0) ** 2) - 30 * np.exp(-((xx - 420) / 90) ** 2)
    zone[(yy > hill) & (yy <= horizon)] = 2
    # Houses on the left hill: stone walls with terracotta roofs.
    for hx in (40, 85, 130, 175):
        zone[(xx > hx) & (xx < hx + 34) & (yy > 168) & (yy <= horizon)] = 4
        roof = (yy > 150 + np.abs(xx - hx - 17) * 0.8) & (yy <= 170) & (xx > hx - 2) \
            & (xx < hx + 36)
        zone[roof] = 3
    # Two boats: hulls, masts and sails.
    for bx, by, s in ((280, 262, 1.25), (420, 312, 0.95)):
        hull = (yy > by) & (yy < by + 22 * s) & (np.abs(xx - bx) < 70 * s - (yy - by) * 1.2)
        zone[hull] = 3
        sail = (xx > bx - 4) & (xx < bx + 50 * s - (by - yy) * 0.45) & (yy < by - 4) \
            & (yy > by - 110 * s)
        zone[sail] = 4
        zone[(np.abs(xx - bx - 2) < 2.5) & (yy < by) & (yy > by - 118 * s)] = 5
    return zone


def _tile_quad(rng: np.random.Generator, x: float, w: float, yc0: float, yc1: float,
               h: float, gap: float) -> np.ndarray:
    """(4, 2) corners (x, y) of one tessera spanning [x, x+w], its row centre running
    from yc0 to yc1; shrunk by the grout gap and a little irregular, like cut glass."""
    g = gap / 2
    quad = np.array([(x + g, yc0 - h / 2 + g), (x + w - g, yc1 - h / 2 + g),
                     (x + w - g, yc1 + h / 2 - g), (x + g, yc0 + h / 2 - g)])
    return quad + rng.uniform(-0.7, 0.7, quad.shape)


def paint_mosaic(cfg: MosaicStyle = MosaicStyle()) -> np.ndarray:
    look = CanvasLook(paper_rgb=tuple(c / 255 for c in cfg.grout))
    p = Painter(cfg.seed, look=look, acrylic=AcrylicParams(run_length=200.0, ridge=0.6))
    rng = p.rng
    zone = _harbour_scene(cfg, rng)
    waves = smooth_noise(rng, 6)
    tile = np.zeros((HEIGHT, WIDTH, 3), np.float32)
    alpha = np.zeros((HEIGHT, WIDTH), np.float32)
    pitch = cfg.tile
    sx, sy, sr = cfg.sun
    centres = []

    # Dark outline tesserae around boats and houses, so the figures read from afar.
    near_figure = ndimage.maximum_filter(zone, 7) >= 3
    outline = near_figure & (ndimage.maximum_filter(zone, 7) != ndimage.minimum_filter(zone, 7))
    outline &= ~ndimage.binary_erosion(zone >= 3, iterations=3)

    def colour_at(cx: float, cy: float) -> RGB:
        yi, xi = int(np.clip(cy, 0, HEIGHT - 1)), int(np.clip(cx, 0, WIDTH - 1))
        z = zone[yi, xi]
        if outline[yi, xi] and z != 5:
            return cfg.outline
        if z == 0:
            return cfg.gold[int(rng.integers(len(cfg.gold)))]
        if z == 1:  # sea: bands of blue that follow the rows, broken by noise
            band = int(cy / 12 + waves[yi, xi] * 3) % len(cfg.sea)
            return cfg.sea[band]
        return (cfg.hill, cfg.terracotta, cfg.stone, cfg.grout)[z - 2]

    def put(quad: np.ndarray, col: RGB) -> None:
        rr, cc = draw.polygon(quad[:, 1], quad[:, 0], shape=(HEIGHT, WIDTH))
        tile[rr, cc] = col
        alpha[rr, cc] = 1.0

    # Andamento: rows run straight in the gold sky and swell into waves in the sea.
    for y in np.arange(-pitch, HEIGHT + pitch, pitch):
        amp = float(np.clip((y - 190) / 60, 0, 1)) * 5.0
        phase = y / 37.0

        def row_y(x: float) -> float:
            return y + amp * math.sin(x / 34.0 + phase)

        x = -rng.uniform(0, pitch)
        while x < WIDTH:
            w = pitch * rng.uniform(0.75, 1.25)
            cx, cy = x + w / 2, row_y(x + w / 2)
            if math.hypot(cx - sx, cy - sy) > sr + pitch * 0.3:
                col = jitter(rng, colour_at(cx, cy), 14)
                put(_tile_quad(rng, x, w, row_y(x), row_y(x + w), pitch, cfg.gap), col)
                centres.append((cx, cy, col))
            x += w
    # The sun: rings of tesserae laid along circles, as a mosaicist lays a halo.
    a = np.linspace(0, 2 * math.pi, 12, endpoint=False)
    put(np.stack([sx + pitch * 0.55 * np.cos(a), sy + pitch * 0.55 * np.sin(a)], axis=1),
        cfg.sun_colours[0])
    for r in np.arange(pitch * 1.1, sr + 1, pitch * 0.9):
        n = max(int(2 * math.pi * r / pitch), 1)
        off = rng.uniform(0, 2 * math.pi)
        for i in range(n):
            a0, a1 = off + 2 * math.pi * i / n, off + 2 * math.pi * (i + 1) / n
            r0, r1 = r - pitch * 0.45, r + pitch * 0.45
            g = cfg.gap / 2 / max(r, 1.0)
            quad = np.array([(sx + r0 * math.cos(a0 + g), sy + r0 * math.sin(a0 + g)),
                             (sx + r1 * math.cos(a0 + g), sy + r1 * math.sin(a0 + g)),
                             (sx + r1 * math.cos(a1 - g), sy + r1 * math.sin(a1 - g)),
                             (sx + r0 * math.cos(a1 - g), sy + r0 * math.sin(a1 - g))])
            col = jitter(rng, cfg.sun_colours[int(r / pitch) % len(cfg.sun_colours)], 12)
            put(quad, col)
            centres.append((sx + r * math.cos((a0 + a1) / 2), sy + r * math.sin((a0 + a1) / 2),
                            col))
    p.fill(alpha, tile, height=0.55)
    # Each tessera gets a touch of the brush: glassy streaks and a raised, uneven face.
    for cx, cy, col in centres:
        if rng.random() < 0.6:
            p.dab(cx, cy, jitter(rng, col, 12), pitch * 0.5, angle=rng.uniform(0, 6.3),
                  length=2.0, opacity=0.6)
    return p.image()
