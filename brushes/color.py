"""Colour helpers for the paint UI: the palette, HSV conversion and the eyedropper.

Conventions (shared with the game's colour picker):
- RGB colours are tuples of three ints in 0..255.
- HSV is three floats: hue in [0, 1) (the `colorsys` convention, not degrees),
  saturation and value in [0, 1].
"""

from __future__ import annotations

import numpy as np

RGB = tuple[int, int, int]

# A tuple of tuples so nobody can mutate the shared palette by accident.
# Ordered as the picker shows it: neutrals, then warm to cool, then earths.
PALETTE: tuple[RGB, ...] = (
    (250, 248, 242),  # titanium white
    (24, 22, 26),  # ivory black
    (128, 126, 122),  # neutral grey
    (255, 214, 48),  # cadmium yellow light
    (238, 160, 30),  # yellow ochre / cadmium orange
    (232, 92, 28),  # cadmium orange
    (206, 32, 38),  # cadmium red
    (152, 22, 54),  # alizarin crimson
    (214, 82, 146),  # quinacridone rose
    (106, 52, 140),  # dioxazine violet
    (34, 44, 136),  # ultramarine blue
    (28, 98, 178),  # cobalt blue
    (30, 150, 196),  # cerulean blue
    (12, 110, 100),  # phthalo green
    (70, 148, 60),  # sap green
    (170, 196, 70),  # yellow green
    (196, 150, 92),  # raw sienna
    (160, 82, 42),  # burnt sienna
    (100, 62, 38),  # burnt umber
    (72, 74, 66),  # payne's grey
)

PALETTE_NAMES: tuple[str, ...] = (
    "titanium white", "ivory black", "neutral grey", "cadmium yellow", "yellow ochre",
    "cadmium orange", "cadmium red", "alizarin crimson", "quinacridone rose",
    "dioxazine violet", "ultramarine blue", "cobalt blue", "cerulean blue", "phthalo green",
    "sap green", "yellow green", "raw sienna", "burnt sienna", "burnt umber", "payne's grey",
)


def _unpack3(a, b, c) -> tuple:
    """Accept either f(x, y, z) or f((x, y, z)) so both call styles work."""
    if b is None and c is None:
        a, b, c = a
    elif b is None or c is None:
        raise TypeError("pass three components or one 3-tuple")
    return a, b, c


def rgb_to_hsv(r, g=None, b=None) -> tuple[float, float, float]:
    """(r, g, b) ints 0..255 -> (h, s, v) floats in [0, 1]; grey has hue 0."""
    r, g, b = (float(v) / 255.0 for v in _unpack3(r, g, b))
    hi = max(r, g, b)
    lo = min(r, g, b)
    delta = hi - lo
    if delta <= 0.0:
        return 0.0, 0.0, hi
    if hi == r:
        h = ((g - b) / delta) % 6.0
    elif hi == g:
        h = (b - r) / delta + 2.0
    else:
        h = (r - g) / delta + 4.0
    return (h / 6.0) % 1.0, delta / hi, hi


def hsv_to_rgb(h, s=None, v=None) -> RGB:
    """(h, s, v) floats (hue wraps, s/v clamped to [0, 1]) -> (r, g, b) ints 0..255."""
    h, s, v = _unpack3(h, s, v)
    h = float(h) % 1.0
    s = min(max(float(s), 0.0), 1.0)
    v = min(max(float(v), 0.0), 1.0)
    sector = int(h * 6.0) % 6
    f = h * 6.0 - int(h * 6.0)
    p = v * (1.0 - s)
    q = v * (1.0 - s * f)
    t = v * (1.0 - s * (1.0 - f))
    r, g, b = ((v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q))[sector]
    return tuple(int(round(c * 255.0)) for c in (r, g, b))  # type: ignore[return-value]


def sample_color(rgb8: np.ndarray, x: float, y: float, radius: int = 2) -> RGB:
    """Eyedropper: mean colour of the disc of `radius` px around (x, y).

    `rgb8` is any (H, W, 3) uint8 image (the canvas, or the content/style photo).
    The point is clamped into the image, and the disc is cut at the borders, so
    sampling at or past an edge still returns a colour from the image.
    """
    if rgb8.ndim != 3 or rgb8.shape[2] < 3:
        raise ValueError(f"expected an (H, W, 3) image, got shape {rgb8.shape}")
    hgt, wid = rgb8.shape[:2]
    cx = min(max(int(round(x)), 0), wid - 1)
    cy = min(max(int(round(y)), 0), hgt - 1)
    rad = max(int(radius), 0)
    x0, x1 = max(cx - rad, 0), min(cx + rad + 1, wid)
    y0, y1 = max(cy - rad, 0), min(cy + rad + 1, hgt)
    patch = rgb8[y0:y1, x0:x1, :3].astype(np.float64)  # (h, w, 3)
    yy, xx = np.mgrid[y0:y1, x0:x1]
    disc = (xx - cx) ** 2 + (yy - cy) ** 2 <= rad * rad + rad  # "+ rad" rounds the disc
    mean = patch[disc].mean(axis=0)
    return tuple(int(round(c)) for c in mean)  # type: ignore[return-value]
