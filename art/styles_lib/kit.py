"""Shared tools for the style paintings: a Painter that drives the game's own brushes,
plus small numpy helpers for paths, noise and masks.

Every random choice comes from a generator seeded by the caller, and the brush
engine is deterministic for a given canvas seed and stroke seed, so a painting is
the same bytes on every run.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from brushes import (Acrylic, AcrylicParams, BrushSettings, Canvas, CanvasLook, Eraser,
                     EraserParams, Watercolour, WatercolourParams)

WIDTH, HEIGHT = 512, 384  # every style painting is landscape 512x384
RGB = tuple[int, int, int]


def hex_rgb(code: str) -> RGB:
    """'#1a2b3c' -> (26, 43, 60)."""
    code = code.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend of two colours, t=0 gives a."""
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def jitter(rng: np.random.Generator, c: RGB, amount: float) -> RGB:
    """The colour with each channel nudged by up to +-amount (0..255 units)."""
    out = np.clip(np.asarray(c, float) + rng.uniform(-amount, amount, 3), 0, 255)
    return tuple(int(v) for v in out)  # type: ignore[return-value]


def smooth_noise(rng: np.random.Generator, sigma: float,
                 shape: tuple[int, int] = (HEIGHT, WIDTH)) -> np.ndarray:
    """(H, W) float32 smooth noise rescaled to [0, 1]; features about 2*sigma px wide."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma, mode="wrap")
    lo, hi = float(field.min()), float(field.max())
    return ((field - lo) / max(hi - lo, 1e-9)).astype(np.float32)


def grid_yx() -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates: two (H, W) float32 arrays (y, x)."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    return y, x


def polyline(*pts: tuple[float, float], step: float = 6.0) -> np.ndarray:
    """(N, 2) float64 points every ~step px along the segments through `pts` (x, y)."""
    out = [np.asarray(pts[0], float)[None]]
    for a, b in zip(pts[:-1], pts[1:]):
        a, b = np.asarray(a, float), np.asarray(b, float)
        n = max(int(math.hypot(*(b - a)) / step), 1)
        t = np.linspace(0.0, 1.0, n + 1)[1:, None]
        out.append(a + (b - a) * t)
    return np.concatenate(out)


def circle(cx: float, cy: float, r: float, start: float = 0.0, sweep: float = 2 * math.pi,
           step: float = 5.0) -> np.ndarray:
    """(N, 2) points along an arc of radius r from angle `start` through `sweep` radians."""
    n = max(int(abs(sweep) * r / step), 3)
    a = start + np.linspace(0.0, sweep, n + 1)
    return np.stack([cx + r * np.cos(a), cy + r * np.sin(a)], axis=1)


def wobble(rng: np.random.Generator, pts: np.ndarray, amp: float, smooth: float = 3.0
           ) -> np.ndarray:
    """(N, 2) points nudged by smooth random offsets of about `amp` px (a hand's tremor)."""
    noise = ndimage.gaussian_filter1d(rng.standard_normal(pts.shape), smooth, axis=0)
    noise *= amp / max(float(noise.std()), 1e-9)
    return pts + noise


def trace(angle: np.ndarray, x: float, y: float, length: float, step: float = 3.0,
          turn_limit: float = 0.5) -> np.ndarray:
    """Follow a direction field from (x, y) for `length` px: (N, 2) points.

    angle: (H, W) radians. The direction may turn at most `turn_limit` radians per
    step so strokes stay smooth where the field changes abruptly.
    """
    pts = [(x, y)]
    prev = None
    for _ in range(max(int(length / step), 1)):
        xi = int(min(max(x, 0), WIDTH - 1))
        yi = int(min(max(y, 0), HEIGHT - 1))
        a = float(angle[yi, xi])
        if prev is not None:
            d = (a - prev + math.pi) % (2 * math.pi) - math.pi
            a = prev + max(-turn_limit, min(turn_limit, d))
        prev = a
        x, y = x + step * math.cos(a), y + step * math.sin(a)
        pts.append((x, y))
    return np.asarray(pts)


def sample(img: np.ndarray, x: float, y: float) -> np.ndarray:
    """The value of an (H, W, ...) array at the nearest pixel, clamped to the edges."""
    return img[int(min(max(y, 0), HEIGHT - 1)), int(min(max(x, 0), WIDTH - 1))]


class Painter:
    """One canvas plus one acrylic and one watercolour brush.

    Strokes bypass History (no undo needed) and use seeds from a private counter,
    so the same calls always paint the same pixels.
    """

    def __init__(self, seed: int, look: CanvasLook | None = None,
                 acrylic: AcrylicParams | None = None,
                 watercolour: WatercolourParams | None = None):
        self.seed = int(seed)
        self.canvas = Canvas(WIDTH, HEIGHT, seed=seed, look=look)
        self.rng = np.random.default_rng(np.random.SeedSequence([self.seed, 1]))
        self.acr = Acrylic(BrushSettings(), acrylic)
        self.wc = Watercolour(BrushSettings(), watercolour)
        self._serial = 0

    def _next_seed(self) -> int:
        self._serial += 1
        return (self.seed * 1_000_003 + self._serial) & 0xFFFFFFFF

    def stroke(self, tool, pts: np.ndarray, color: RGB, size: float,
               opacity: float = 1.0, speed: float = 250.0) -> None:
        """Drag `tool` through (N, 2) points at `speed` px/s (faster = thinner, lighter)."""
        pts = np.asarray(pts, float)
        tool.settings = BrushSettings(color=tuple(int(c) for c in color), size=float(size),
                                      opacity=float(opacity))
        x, y = pts[0]
        s = tool.begin(self.canvas, float(x), float(y), 0.0, self._next_seed())
        t = 0.0
        for (px, py), (qx, qy) in zip(pts[:-1], pts[1:]):
            t += max(math.hypot(qx - px, qy - py), 1e-3) / speed
            s.extend(float(qx), float(qy), t)
        s.end()

    def acrylic(self, pts: np.ndarray, color: RGB, size: float, opacity: float = 1.0,
                speed: float = 250.0) -> None:
        self.stroke(self.acr, pts, color, size, opacity, speed)

    def wash(self, pts: np.ndarray, color: RGB, size: float, opacity: float = 1.0,
             speed: float = 250.0) -> None:
        self.stroke(self.wc, pts, color, size, opacity, speed)

    def lift(self, pts: np.ndarray, size: float, opacity: float, softness: float = 12.0
             ) -> None:
        """Lift paint back towards bare paper with a soft eraser (a damp sponge)."""
        tool = Eraser(BrushSettings(), EraserParams(softness_px=softness))
        self.stroke(tool, pts, (0, 0, 0), size, opacity)

    def dab(self, x: float, y: float, color: RGB, size: float, angle: float = 0.0,
            length: float = 1.0, opacity: float = 1.0) -> None:
        """A short acrylic touch whose bristle streaks run along `angle`."""
        dx, dy = math.cos(angle) * length, math.sin(angle) * length
        self.stroke(self.acr, np.array([(x, y), (x + dx, y + dy)]), color, size, opacity,
                    speed=120.0)

    def dry(self, max_ticks: int = 600) -> None:
        """Let the watercolour bleed and dry completely (fixed ticks: deterministic)."""
        n = 0
        while self.canvas.is_wet and n < max_ticks:
            self.canvas.run_ticks(4)
            n += 4
        self.canvas.force_dry()

    def fill(self, alpha: np.ndarray, color: RGB | np.ndarray, height: float | None = None
             ) -> None:
        """Numpy underpainting: blend `color` into the dry paint layer.

        alpha: (H, W) float in [0, 1]. color: an RGB tuple or an (H, W, 3) uint8/float
        image in 0..255. height: if given, the paint surface is pulled to this
        relief there (flat poster paint); otherwise the paper grain stays.
        """
        cv = self.canvas
        cv.fold_region(0, 0, WIDTH, HEIGHT)
        cv.touch(0, 0, WIDTH, HEIGHT)
        a = np.asarray(alpha, np.float32)[..., None]  # (H, W, 1)
        col = np.asarray(color, np.float32) / np.float32(255.0)  # (3,) or (H, W, 3)
        refl = cv.refl[:HEIGHT, :WIDTH]  # (H, W, 3) float32 reflectance
        if cv.refl.shape[0] == 3:  # channel-first layout: view it channel-last
            refl = np.moveaxis(cv.refl, 0, -1)[:HEIGHT, :WIDTH]
        refl *= np.float32(1.0) - a
        refl += col * a
        if height is not None:
            surf = cv.surface[:HEIGHT, :WIDTH]
            surf += (np.float32(height) + cv.paper * np.float32(0.3) - surf) * a[..., 0]
        cv.compose(0, 0, WIDTH, HEIGHT)

    def image(self) -> np.ndarray:
        """(H, W, 3) uint8: the finished, dry picture."""
        self.dry()
        return self.canvas.rgb8()
