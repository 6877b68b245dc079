"""Orientation and edge fields on the analysis grid, and sampling them at canvas points."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage


def _blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur over the two image axes only.

    Cut at 3 sigma rather than scipy's 4: these fields steer brush strokes, and the wide
    orientation blurs are the costliest step of planning.
    """
    spatial = (sigma, sigma) + (0,) * (image.ndim - 2)
    return ndimage.gaussian_filter(image, spatial, truncate=3.0) if sigma > 0 else image


def _tensor(lab: np.ndarray) -> np.ndarray:
    """Per-pixel structure tensor (h, w, 3): gx², gy², gx·gy summed over the Lab channels.

    Chroma counts too, so edges between equally light but different colours still steer strokes.
    """
    smooth = _blur(lab, 1.0)
    gy, gx = ndimage.sobel(smooth, axis=0), ndimage.sobel(smooth, axis=1)
    return np.stack([(gx * gx).sum(-1), (gy * gy).sum(-1), (gx * gy).sum(-1)], axis=-1)


def _along_edges(jxx, jyy, jxy) -> np.ndarray:
    """Stroke angle (radians, any shape) from tensor parts: along edges, across the gradient."""
    return 0.5 * np.arctan2(2 * jxy, jxx - jyy) + np.pi / 2


def _orientation(tensor: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Stroke direction field: unit tangent (h, w, 2) as (dx, dy), and coherence (h, w) in 0..1.

    The tangent is the smoothed structure tensor's minor eigenvector. Coherence is low where
    there is no dominant direction (flat or busy areas).
    """
    jxx, jyy, jxy = np.moveaxis(_blur(tensor, sigma), -1, 0)
    along = _along_edges(jxx, jyy, jxy)
    tangent = np.stack([np.cos(along), np.sin(along)], axis=-1)
    spread = np.hypot(jxx - jyy, 2 * jxy)           # eigenvalue difference
    coherence = (spread / (jxx + jyy + 1e-9)) ** 2
    return tangent, coherence


def _sample(field: np.ndarray, points: np.ndarray, scale: float) -> np.ndarray:
    """Nearest-neighbour lookup of an analysis-grid field at (N, 2) canvas (x, y) points."""
    h, w = field.shape[:2]
    cols = np.clip((points[:, 0] / scale).astype(int), 0, w - 1)
    rows = np.clip((points[:, 1] / scale).astype(int), 0, h - 1)
    return field[rows, cols]


@dataclass(frozen=True)
class Fields:
    """The fields one layer traces through, on the analysis grid."""
    tangent: np.ndarray     # (h, w, 2) unit (dx, dy)
    coherence: np.ndarray   # (h, w)
    colour: np.ndarray      # (h, w, 3) Lab target, blurred to the layer's brush scale
    scale: float            # canvas px per grid px
    canvas_size: tuple[int, int]
