"""Procedural paper: a height field that every brush reads (grain, dry-brush gaps,
granulation) and that the canvas shades so the texture shows through the paint.

Only numpy: the noise is bilinear value noise, so a seed always gives the same
paper on every machine, with no scipy import on the canvas-creation path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PaperSettings:
    """Mix of noise octaves; the defaults look like cold-pressed watercolour paper."""

    # (cell size in px, weight): broad cockling, tooth, fine grain.
    octaves: tuple[tuple[float, float], ...] = (
        (48.0, 0.22), (11.0, 0.36), (4.5, 0.30), (2.0, 0.12))
    fibre_count_per_mpx: float = 900.0  # long thin fibres pressed into the sheet
    fibre_strength: float = 0.06


def _value_noise(rng: np.random.Generator, height: int, width: int,
                 cell: float) -> np.ndarray:
    """Smooth noise in [0, 1] with features about `cell` px wide. (H, W) float32."""
    gh = int(np.ceil(height / cell)) + 2
    gw = int(np.ceil(width / cell)) + 2
    grid = rng.random((gh, gw), dtype=np.float32)  # (gh, gw)
    ys = np.arange(height, dtype=np.float32) / cell
    xs = np.arange(width, dtype=np.float32) / cell
    y0 = ys.astype(np.int32)
    x0 = xs.astype(np.int32)
    # Smoothstep weights hide the grid lines plain bilinear would leave.
    fy = ys - y0
    fx = xs - x0
    fy = (fy * fy * (3.0 - 2.0 * fy))[:, None]  # (H, 1)
    fx = (fx * fx * (3.0 - 2.0 * fx))[None, :]  # (1, W)
    g00 = grid[y0][:, x0]
    g01 = grid[y0][:, x0 + 1]
    g10 = grid[y0 + 1][:, x0]
    g11 = grid[y0 + 1][:, x0 + 1]
    top = g00 + (g01 - g00) * fx
    bottom = g10 + (g11 - g10) * fx
    return top + (bottom - top) * fy  # (H, W) float32


def _fibres(rng: np.random.Generator, height: int, width: int, count: int) -> np.ndarray:
    """Thin random line segments (paper fibres), as an (H, W) float32 ridge map."""
    out = np.zeros((height, width), np.float32)
    if count <= 0:
        return out
    starts = rng.random((count, 2)) * (height, width)
    angles = rng.random(count) * np.pi
    lengths = 6.0 + rng.random(count) * 22.0
    steps = np.arange(0.0, 28.0, 0.7)  # sample positions along a fibre, px
    for (sy, sx), ang, length in zip(starts, angles, lengths):
        s = steps[steps < length]
        ys = np.clip((sy + np.sin(ang) * s).astype(np.int32), 0, height - 1)
        xs = np.clip((sx + np.cos(ang) * s).astype(np.int32), 0, width - 1)
        out[ys, xs] = 1.0
    # A tiny box blur makes them ridges instead of single-pixel lines.
    soft = out.copy()
    soft[1:, :] += out[:-1, :] * 0.5
    soft[:-1, :] += out[1:, :] * 0.5
    soft[:, 1:] += out[:, :-1] * 0.5
    soft[:, :-1] += out[:, 1:] * 0.5
    return np.minimum(soft, 1.0)


def make_paper(width: int, height: int, seed: int,
               settings: PaperSettings | None = None) -> np.ndarray:
    """Paper height field from `seed`: (height, width) float32 in [0, 1], mean ~0.5."""
    cfg = settings or PaperSettings()
    rng = np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, 0x9A9E5]))
    field = np.zeros((height, width), np.float32)
    for cell, weight in cfg.octaves:
        field += np.float32(weight) * _value_noise(rng, height, width, cell)
    count = int(cfg.fibre_count_per_mpx * width * height / 1e6)
    field += np.float32(cfg.fibre_strength) * _fibres(rng, height, width, count)
    lo, hi = np.percentile(field, [0.5, 99.5])
    field = (field - np.float32(lo)) / np.float32(max(hi - lo, 1e-6))
    return np.clip(field, 0.0, 1.0).astype(np.float32)


def box_blur(field: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2r+1)^2 square with edge clamping, via summed-area tables. (H, W) float32."""
    r = int(radius)
    pad = np.pad(field.astype(np.float64), r + 1, mode="edge")
    sat = pad.cumsum(axis=0).cumsum(axis=1)
    k = 2 * r + 1
    h, w = field.shape
    total = (sat[k:k + h, k:k + w] - sat[:h, k:k + w] - sat[k:k + h, :w] + sat[:h, :w])
    return (total / (k * k)).astype(np.float32)


def valleys(paper: np.ndarray, radius: int = 4) -> np.ndarray:
    """How far each pixel sits below its neighbourhood: (H, W) float32, ~[-1, 1].

    Granulating pigment settles in the small pits of the sheet, not in its broad
    cockles, so this high-pass (not the raw height) drives granulation.
    """
    depth = box_blur(paper, radius) - paper
    scale = float(np.std(depth)) * 2.5 + 1e-6
    return np.clip(depth / np.float32(scale), -1.0, 1.0).astype(np.float32)

