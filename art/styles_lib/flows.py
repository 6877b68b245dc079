"""Styles built from strokes that follow a field: river swirls, a starry impasto night,
banded waves and ripple rings."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from brushes import AcrylicParams, CanvasLook

from .kit import (HEIGHT, RGB, WIDTH, Painter, circle, grid_yx, hex_rgb, jitter, mix,
                  polyline, sample, smooth_noise, trace, wobble)


def swirl_angles(rng: np.random.Generator, base: float, eddies: int, strength: float,
                 noise: float) -> np.ndarray:
    """(H, W) float32 direction field: a main current bent by a few whirlpools."""
    yy, xx = grid_yx()
    vx = np.full((HEIGHT, WIDTH), math.cos(base), np.float32)
    vy = np.full((HEIGHT, WIDTH), math.sin(base), np.float32)
    for _ in range(eddies):
        cx, cy = rng.uniform(40, WIDTH - 40), rng.uniform(40, HEIGHT - 40)
        r = rng.uniform(45, 95)
        spin = rng.choice([-1.0, 1.0]) * strength
        dx, dy = xx - cx, yy - cy
        fall = np.exp(-(dx * dx + dy * dy) / (2 * r * r)) * spin / r
        vx += -dy * fall
        vy += dx * fall
    n = smooth_noise(rng, 30) - 0.5
    ang = np.arctan2(vy, vx) + n * noise
    return ang.astype(np.float32)


# --------------------------------------------------------------------- swirling flow
@dataclass(frozen=True)
class SwirlingFlowStyle:
    seed: int = 505  # fixed: the same painting, byte for byte, on every run
    # A restless river at late light: emerald and teal water, cobalt depths, creamy foam
    # and a few ochre/orange reflections; complementary flecks keep it vibrating.
    deep: tuple[RGB, ...] = (hex_rgb("#123f4f"), hex_rgb("#1d5a6b"), hex_rgb("#16476e"))
    mid: tuple[RGB, ...] = (hex_rgb("#2b8a7e"), hex_rgb("#3aa39a"), hex_rgb("#2f6fa8"),
                            hex_rgb("#4f9c6a"))
    light: tuple[RGB, ...] = (hex_rgb("#9fd8c8"), hex_rgb("#e9efd6"), hex_rgb("#7cc4d6"))
    warm: tuple[RGB, ...] = (hex_rgb("#e39a3b"), hex_rgb("#f2c75c"))
    eddies: int = 5  # whirlpools bending the current
    layers: tuple[tuple[float, int, float], ...] = (
        (28.0, 260, 110.0),  # (brush size, stroke count, stroke length): broad underlayer
        (14.0, 700, 70.0),  # body of the water
        (8.0, 900, 45.0),  # crisp surface strokes that carry the swirl texture
    )


def paint_swirling_flow(cfg: SwirlingFlowStyle = SwirlingFlowStyle()) -> np.ndarray:
    p = Painter(cfg.seed, acrylic=AcrylicParams(run_length=260.0, ridge=0.6))
    rng = p.rng
    ang = swirl_angles(rng, 0.0, cfg.eddies, 2.2, 1.2)
    tone = smooth_noise(rng, 25)  # (H, W) where the water is lighter
    for li, (size, count, length) in enumerate(cfg.layers):
        for _ in range(count):
            x, y = rng.uniform(-20, WIDTH + 20), rng.uniform(-20, HEIGHT + 20)
            v = float(sample(tone, x, y)) + rng.normal(0, 0.15) + 0.12 * li
            if v < 0.35:
                pal = cfg.deep
            elif v < 0.75:
                pal = cfg.mid
            else:
                pal = cfg.light
            if li == 2 and rng.random() < 0.07:
                pal = cfg.warm
            col = jitter(rng, pal[int(rng.integers(len(pal)))], 10)
            pts = trace(ang, x, y, length * rng.uniform(0.6, 1.3), step=3.0)
            p.acrylic(pts, col, size * rng.uniform(0.8, 1.2), speed=rng.uniform(200, 600))
    return p.image()


# --------------------------------------------------------------------- night impasto
@dataclass(frozen=True)
class NightImpastoStyle:
    seed: int = 606  # fixed: the same painting, byte for byte, on every run
    # A night sky: prussian to ultramarine blues, star halos in lemon and cream, a hill
    # line of near-black greens with a few lit windows.
    sky: tuple[RGB, ...] = (hex_rgb("#0f1d4a"), hex_rgb("#1b2f6e"), hex_rgb("#24418a"),
                            hex_rgb("#13285c"), hex_rgb("#3a5aa0"))
    glow: tuple[RGB, ...] = (hex_rgb("#f4d64e"), hex_rgb("#fbeaa0"), hex_rgb("#e8b83a"),
                             hex_rgb("#ffffff"))
    halo: tuple[RGB, ...] = (hex_rgb("#7fa8d8"), hex_rgb("#a8c8e0"), hex_rgb("#d8e4c8"))
    land: tuple[RGB, ...] = (hex_rgb("#0c1a14"), hex_rgb("#1a2a22"), hex_rgb("#233b2a"))
    window: RGB = hex_rgb("#f2b53a")
    stars: int = 11  # enough to fill the sky with halos, few enough that they stay apart
    moon: tuple[float, float, float] = (440.0, 62.0, 16.0)  # (x, y, r), top-right corner
    dab_size: float = 9.0  # thick, short dabs: each one a ridge of paint
    dab_len: float = 14.0  # about 1.5 brush widths: dabs, not strokes (unlike the river)


def paint_night_impasto(cfg: NightImpastoStyle = NightImpastoStyle()) -> np.ndarray:
    look = CanvasLook(paper_rgb=(0.08, 0.1, 0.2), relief=1.0, shade_range=(0.55, 1.3))
    p = Painter(cfg.seed, look=look,
                acrylic=AcrylicParams(run_length=400.0, ridge=1.0, body=0.35, smear=0.2))
    rng = p.rng
    stars = [(rng.uniform(30, WIDTH - 30), rng.uniform(20, 230), rng.uniform(4, 9))
             for _ in range(cfg.stars)]
    moon = cfg.moon
    yy, xx = grid_yx()
    # Dab directions: circles around every star and the moon, drifting sideways elsewhere,
    # with a long lazy wave through the middle of the sky.
    vx = np.full((HEIGHT, WIDTH), 0.6, np.float32)
    vy = (0.35 * np.sin(xx / 60.0) * np.exp(-((yy - 150) / 50) ** 2)).astype(np.float32)
    for sx, sy, r in stars + [moon]:
        dx, dy = xx - sx, yy - sy
        fall = np.exp(-(dx * dx + dy * dy) / (2 * (r * 4.5) ** 2))
        vx += -dy / (r * 2) * fall * 2
        vy += dx / (r * 2) * fall * 2
    ang = np.arctan2(vy, vx)
    # Rings of light: a bright core, then a paler halo, fading into the blues.
    glow_map = np.zeros((HEIGHT, WIDTH), np.float32)
    for sx, sy, r in stars + [moon]:
        d = np.hypot(xx - sx, yy - sy) / (r * 1.6)
        ring = 0.35 * np.exp(-((d - 2.2) / 0.5) ** 2)
        glow_map = np.maximum(glow_map, np.exp(-d * d) + ring)
    horizon = 290 + 25 * np.sin(np.arange(WIDTH) / 80.0) + 10 * np.sin(np.arange(WIDTH) / 23)
    step = cfg.dab_size * 0.8
    for y in np.arange(0, HEIGHT + step, step):
        for x in np.arange(0, WIDTH + step, step):
            x1, y1 = x + rng.uniform(-3, 3), y + rng.uniform(-3, 3)
            a = float(sample(ang, x1, y1))
            if y1 > horizon[int(min(max(x1, 0), WIDTH - 1))]:
                col = cfg.land[int(rng.integers(len(cfg.land)))]
                a = rng.uniform(-0.4, 0.4)
            else:
                g = float(sample(glow_map, x1, y1))
                if g > 0.45:
                    col = cfg.glow[int(rng.integers(len(cfg.glow)))]
                elif g > 0.22:
                    col = cfg.halo[int(rng.integers(len(cfg.halo)))]
                else:
                    col = cfg.sky[int(rng.integers(len(cfg.sky)))]
            col = jitter(rng, col, 8)
            l = cfg.dab_len * rng.uniform(0.7, 1.3)
            pts = polyline((x1, y1), (x1 + l * math.cos(a), y1 + l * math.sin(a)), step=3)
            p.acrylic(pts, col, cfg.dab_size * rng.uniform(0.8, 1.2), speed=150)
    for _ in range(14):
        wx = rng.uniform(60, WIDTH - 60)
        wy = horizon[int(wx)] + rng.uniform(12, 60)
        p.dab(wx, wy, cfg.window, 5, length=2.0)
    # Star cores and the crescent moon, laid last in thick, nearly white paint.
    for sx, sy, r in stars:
        for rr in np.arange(r * 0.8, 1.0, -3.0):
            p.acrylic(circle(sx, sy, rr, rng.uniform(0, 6.3), 2 * math.pi, step=3),
                      cfg.glow[int(rng.integers(2))], 5, speed=150)
    mx, my, mr = moon
    p.acrylic(circle(mx, my, mr * 0.7, 1.6, 3.4, step=3), cfg.glow[1], 10, speed=120)
    p.acrylic(circle(mx, my, mr * 0.45, 1.8, 3.0, step=3), cfg.glow[3], 6, speed=120)
    return p.image()


# --------------------------------------------------------------------- wave bands
@dataclass(frozen=True)
class WaveBandsStyle:
    seed: int = 707  # fixed: the same painting, byte for byte, on every run
    # Woodblock sea: prussian and indigo blues in flat bands, parchment sky and foam.
    sky: RGB = hex_rgb("#efe3c4")
    sky_low: RGB = hex_rgb("#e3c98f")
    blues: tuple[RGB, ...] = (hex_rgb("#1c3b6e"), hex_rgb("#2a5793"), hex_rgb("#15284f"),
                              hex_rgb("#3d73a8"), hex_rgb("#0e1d3d"))
    line: RGB = hex_rgb("#8fb3d2")
    sun: RGB = hex_rgb("#d8452e")
    cloud: RGB = hex_rgb("#cfb27e")
    foam: RGB = hex_rgb("#f6f1e4")
    bands: int = 8  # wave rows: each ~33 px, big enough for striations and foam
    top: float = 120.0  # sea starts here: a third of sky leaves room to breathe


def paint_wave_bands(cfg: WaveBandsStyle = WaveBandsStyle()) -> np.ndarray:
    p = Painter(cfg.seed, acrylic=AcrylicParams(run_length=800.0))
    rng = p.rng
    yy, xx = grid_yx()
    t = np.clip(yy / cfg.top, 0, 1)[..., None]
    sky = np.asarray(cfg.sky, np.float32) * (1 - t) + np.asarray(cfg.sky_low, np.float32) * t
    p.fill(np.ones((HEIGHT, WIDTH), np.float32), sky)
    for y in np.arange(10, cfg.top + 20, 22):
        p.acrylic(polyline((-20, y), (WIDTH + 20, y + rng.uniform(-4, 4))),
                  jitter(rng, cfg.sky, 6), 26, opacity=0.5, speed=300)
    # A vermilion sun low in the sky and long printed cloud bands.
    sx, sy, sr = 400.0, 58.0, 24.0
    p.fill(np.clip(sr - np.hypot(xx - sx, yy - sy), 0, 1).astype(np.float32), cfg.sun)
    for r in np.arange(sr - 4, 2, -5):
        p.acrylic(circle(sx, sy, r, 0.0, 2 * math.pi + 0.4), cfg.sun, 6, opacity=0.6,
                  speed=200)
    for y, x0, x1 in ((40, -20, 300), (72, 150, 540), (96, -20, 220)):
        p.acrylic(wobble(rng, polyline((x0, y), (x1, y), step=6), 0.8), cfg.cloud, 9,
                  opacity=0.85, speed=400)
    # Bokashi: the print's sky darkens to blue at the top edge.
    top = np.clip(1.0 - yy / 46.0, 0, 1) ** 1.5 * 0.85
    p.fill(top.astype(np.float32), cfg.blues[0])
    xs = np.arange(-30, WIDTH + 31, 4.0)
    spacing = (HEIGHT - cfg.top) / cfg.bands
    for k in range(cfg.bands):
        base = cfg.top + k * spacing
        amp = 10 + 2.5 * k
        wl = rng.uniform(110, 170) + 10 * k
        ph = rng.uniform(0, 2 * math.pi)
        # A crest curve that is sharper on top (like a breaking wave) than a sine.
        s = np.sin(xs / wl * 2 * math.pi + ph)
        crest = base - amp * (np.abs(s) ** 0.6) * np.sign(s)
        col = cfg.blues[k % len(cfg.blues)]
        top_px = np.interp(np.arange(WIDTH), xs, crest)  # (W,)
        p.fill((yy >= top_px[None, :]).astype(np.float32), col)
        # Striations following the crest, in a lighter blue.
        for j in range(1, 6):
            off = j * spacing / 6
            pts = np.stack([xs, crest + off], axis=1)
            p.acrylic(wobble(rng, pts, 0.8), jitter(rng, mix(col, cfg.line, 0.5), 6),
                      2.5 + rng.random(), speed=500)
        # Foam along the crest: a white rim, then curling fingers that reach forward
        # over the trough, and flecks of spray above the highest crests.
        p.acrylic(np.stack([xs, crest], axis=1), cfg.foam, 5, speed=300)
        for i in range(2, len(xs) - 2, 2):
            if s[i] < 0.55 or rng.random() < 0.35:
                continue
            x, y = xs[i], crest[i]
            n = int(rng.integers(2, 5))
            for j in range(n):
                length = rng.uniform(6, 14) * (1.0 + 0.4 * (k / cfg.bands))
                a0 = -math.pi / 2 + rng.uniform(-0.2, 0.5)
                a = a0 + np.linspace(0, rng.uniform(1.6, 2.6), 6)  # curls over forwards
                seg = np.stack([x + np.cumsum(np.cos(a)) * length / 6,
                                y - 2 + np.cumsum(np.sin(a)) * length / 6], axis=1)
                p.acrylic(seg, cfg.foam, rng.uniform(2.5, 3.5), speed=250)
            if rng.random() < 0.3:
                for _ in range(4):
                    p.dab(x + rng.normal(0, 8), y - rng.uniform(6, 20), cfg.foam,
                          rng.uniform(2, 3.5))
    return p.image()


# --------------------------------------------------------------------- concentric circles
@dataclass(frozen=True)
class ConcentricCirclesStyle:
    seed: int = 808  # fixed: the same painting, byte for byte, on every run
    # A pond at evening: bottle greens and teals with jade and pale gold rings where the
    # ripples catch the light, and a few lily pads.
    water: tuple[RGB, ...] = (hex_rgb("#0f3b3a"), hex_rgb("#14504a"), hex_rgb("#1b5f55"))
    rings: tuple[RGB, ...] = (hex_rgb("#4fae90"), hex_rgb("#9fdcc0"), hex_rgb("#ecd68a"),
                              hex_rgb("#6cc3b0"), hex_rgb("#e8a9a0"))  # last: sky pink
    trough: RGB = hex_rgb("#082625")
    glint: RGB = hex_rgb("#a8d8c0")
    pad: RGB = hex_rgb("#4c7a2c")
    bloom: RGB = hex_rgb("#e98aa8")
    centres: tuple[tuple[float, float, float], ...] = (
        (170.0, 170.0, 190.0),  # (x, y, max radius): the big echo, left of centre
        (390.0, 110.0, 110.0),
        (410.0, 300.0, 90.0),
    )
    ring_gap: float = 11.0  # px between neighbouring rings


def paint_concentric_circles(cfg: ConcentricCirclesStyle = ConcentricCirclesStyle()
                             ) -> np.ndarray:
    # A dark teal ground, so dry-brush gaps read as deep water, not white paper.
    p = Painter(cfg.seed, look=CanvasLook(paper_rgb=(0.05, 0.2, 0.2)),
                acrylic=AcrylicParams(run_length=1200.0))
    rng = p.rng
    for y in np.arange(0, HEIGHT + 30, 22):
        p.acrylic(wobble(rng, polyline((-30, y), (WIDTH + 30, y + rng.uniform(-5, 5))), 2),
                  cfg.water[int(rng.integers(len(cfg.water)))], 40, speed=400)
    # Glints of evening sky on the water before the rings: long, pale, broken.
    for _ in range(40):
        x, y = rng.uniform(-40, WIDTH), rng.uniform(0, HEIGHT)
        p.acrylic(polyline((x, y), (x + rng.uniform(30, 90), y), step=6), cfg.glint,
                  rng.uniform(2, 4), opacity=0.5, speed=900)
    for cx, cy, rmax in cfg.centres:
        for k, r in enumerate(np.arange(8, rmax, cfg.ring_gap)):
            fade = 1.0 - r / rmax
            w = 3 + 6 * fade
            # Each ripple is a lit crest with a dark trough just outside it.
            for rr, col, width, op in ((r, cfg.rings[k % len(cfg.rings)], w, 0.45 + 0.55 * fade),
                                       (r + w * 0.8, cfg.trough, w * 0.6, 0.6 * fade + 0.2)):
                pts = wobble(rng, circle(cx, cy, rr, rng.uniform(0, 6.3), 2 * math.pi + 0.3),
                             0.6)
                p.acrylic(pts, jitter(rng, col, 8), width, opacity=op, speed=300)
    for _ in range(5):
        x, y, r = rng.uniform(20, WIDTH - 20), rng.uniform(20, HEIGHT - 20), rng.uniform(12, 22)
        for rr in np.arange(r, 2, -6):
            p.acrylic(circle(x, y, rr, 0.4, 2 * math.pi - 0.6), mix(cfg.pad, (20, 40, 20),
                      rr / r * 0.3), 8, speed=200)
        p.dab(x + r * 0.3, y - r * 0.2, cfg.bloom, 7)
    return p.image()
