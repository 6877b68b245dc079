"""The style's dominant colours (k-means in Lab), and snapping colours to them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.color import lab2rgb, rgb2lab

from game.bot.images import _as_rgb, _fit_long_side, _resize

PALETTE_SIZE = 10        # colours the plan may use; a few more than 8 keeps faces readable
PALETTE_SIDE = 64        # k-means runs on this many pixels a side; colours, not detail, matter
WASH_GLAZE = 0.62        # a wash's optical density relative to its paint's (engine default)
LIGHTNESS_WEIGHT = 3.0   # snapping favours lightness so the subject's tonal structure survives


@dataclass(frozen=True)
class Palette:
    rgb: np.ndarray      # (k, 3) uint8
    lab: np.ndarray      # (k, 3) float
    glazed: np.ndarray   # (k, 3) float Lab of each colour as one watercolour glaze on white


def _kmeans_pp_init(data: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ seeds: spread-out starting centres so rare accent colours are not lost."""
    centres = [data[rng.integers(len(data))]]
    for _ in range(1, k):
        d2 = np.min(((data[:, None, :] - np.asarray(centres)[None]) ** 2).sum(-1), axis=1)
        if d2.sum() <= 0:       # fewer distinct colours than k: stop early
            break
        centres.append(data[rng.choice(len(data), p=d2 / d2.sum())])
    return np.asarray(centres)


def _kmeans(data: np.ndarray, k: int, rng: np.random.Generator, iters: int = 20):
    """Lloyd's k-means on (N, 3) -> centres (k', 3), counts (k',), dropping empty clusters."""
    centres = _kmeans_pp_init(data, k, rng)
    for _ in range(iters):
        labels = np.argmin(((data[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
        counts = np.bincount(labels, minlength=len(centres))
        keep = counts > 0
        sums = np.stack([np.bincount(labels, data[:, c], len(centres)) for c in range(3)], 1)
        centres = sums[keep] / counts[keep, None]
    labels = np.argmin(((data[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    return centres, np.bincount(labels, minlength=len(centres))


def _palette(style_rgb: np.ndarray, n_colors: int, seed: int) -> Palette:
    """Dominant style colours, most common first."""
    small = _resize(_as_rgb(style_rgb), _fit_long_side(np.shape(style_rgb)[:2], PALETTE_SIDE))
    lab = rgb2lab(small).reshape(-1, 3)   # clustering in Lab groups colours as the eye does
    centres, counts = _kmeans(lab, max(1, n_colors), np.random.default_rng(seed))
    centres = centres[np.argsort(-counts, kind="stable")]
    rgb = np.clip(np.round(lab2rgb(centres[None])[0] * 255), 0, 255).astype(np.uint8)
    rgb, first = np.unique(rgb, axis=0, return_index=True)   # rounding can merge near twins
    rgb = rgb[np.argsort(first)]
    return Palette(rgb=rgb, lab=_rgb8_to_lab(rgb), glazed=_rgb8_to_lab(rgb, WASH_GLAZE))


def _rgb8_to_lab(rgb, glaze=1.0) -> np.ndarray:
    """(N, 3) uint8 colours -> (N, 3) Lab, optionally as glazes of that strength on white.

    ``glaze`` is a number or an (N, 1) array, one strength per colour.
    A glaze transmits colour**glaze (Beer-Lambert), so a weak glaze looks paler than its paint.
    """
    return rgb2lab((np.asarray(rgb, float)[None] / 255) ** glaze)[0]


def style_palette(style_rgb, n_colors: int = 8, seed: int = 0) -> list[tuple[int, int, int]]:
    """Up to ``n_colors`` dominant colours of a style image, most common first."""
    return [tuple(int(v) for v in c) for c in _palette(style_rgb, n_colors, seed).rgb]


def _snap(lab: np.ndarray, looks: np.ndarray) -> np.ndarray:
    """(..., 3) Lab -> (...,) index of the nearest of (k, 3) Lab palette looks, lightness weighted.

    ``looks`` is how each palette colour will appear: its own Lab for acrylic, its glazed Lab
    for watercolour, so a wash over a dark area picks a pigment dark enough to read as dark.
    """
    weights = np.array([LIGHTNESS_WEIGHT, 1.0, 1.0])
    d2 = (((lab[..., None, :] - looks) ** 2) * weights).sum(-1)
    return np.argmin(d2, axis=-1)
