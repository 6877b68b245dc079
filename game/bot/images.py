"""Input photos as float RGB, and resizing them to the analysis grid."""
from __future__ import annotations

import numpy as np
from skimage.transform import resize
from skimage.util import img_as_float


def _as_rgb(image: np.ndarray) -> np.ndarray:
    """Any photo (grey, RGB, RGBA; uint8 or float) as (H, W, 3) float in 0..1."""
    rgb = img_as_float(np.asarray(image))
    if rgb.ndim == 2:
        rgb = np.repeat(rgb[..., None], 3, axis=2)
    return np.clip(rgb[..., :3], 0.0, 1.0)


def _resize(rgb: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) float -> (h, w, 3) float, anti-aliased when shrinking.

    Whole-factor shrinking is done first by block averaging: much cheaper than the Gaussian
    anti-aliasing of a big photo, which is then only needed for the last step of under 2x.
    """
    f = int(min(rgb.shape[0] / shape[0], rgb.shape[1] / shape[1]))
    if f > 1:
        h, w = rgb.shape[0] // f, rgb.shape[1] // f
        rgb = rgb[:h * f, :w * f].reshape(h, f, w, f, -1).mean(axis=(1, 3))
    return resize(rgb, shape, order=1, anti_aliasing=True, preserve_range=True)


def _fit_long_side(shape: tuple[int, int], side: int) -> tuple[int, int]:
    """(h, w) scaled so the long side is at most ``side`` (never enlarged below 1 px)."""
    h, w = shape
    f = min(1.0, side / max(h, w))
    return max(1, round(h * f)), max(1, round(w * f))
