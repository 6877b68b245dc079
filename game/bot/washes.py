"""The wash layer: one watercolour zig-zag per region of similar colour."""
from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.segmentation import find_boundaries, slic

from game.bot.estimate import MIN_NEED
from game.bot.fields import _along_edges
from game.bot.hatch import _hatch
from game.bot.layers import WashLayer
from game.bot.palette import _snap
from game.bot.scene import Scene
from game.bot.stroke import PlannedStroke, _pointer_path

REGION_COMPACTNESS = 15  # SLIC: higher gives rounder wash regions, lower follows colour more
REGIONS_PER_WASH = 1.4   # SLIC merges slivers, so ask for more regions than washes


def _regions(scene: Scene, n: int) -> np.ndarray:
    """(h, w) labels 0..k-1: about ``n`` regions of similar colour to wash in.

    SLIC is given RGB: it rescales its input to 0..1 before its own Lab conversion, so its
    compactness means the same for every picture.
    """
    return slic(scene.rgb, n_segments=n, compactness=REGION_COMPACTNESS, start_label=0,
                channel_axis=-1)


def _region_means(labels: np.ndarray, image: np.ndarray) -> np.ndarray:
    """(k, C) mean of an (h, w, C) image over each of the labels 0..k-1."""
    flat = labels.ravel()
    k = flat.max() + 1
    count = np.maximum(np.bincount(flat, minlength=k), 1)
    sums = [np.bincount(flat, image[..., c].ravel(), k) for c in range(image.shape[-1])]
    return np.stack(sums, axis=1) / count[:, None]


def _region_thickness(labels: np.ndarray) -> np.ndarray:
    """(k,) widest brush (grid px) that fits inside each region: twice its deepest point."""
    depth = ndimage.distance_transform_edt(~find_boundaries(labels, mode="inner"))
    index = np.arange(labels.max() + 1)
    return 2.0 * np.asarray(ndimage.maximum(depth, labels, index)) + 1.0


def _region_stats(labels: np.ndarray, scene: Scene, estimate: np.ndarray):
    """Per region: pixel count (k,), mean target Lab (k, 3), wash angle (k,), need (k,)."""
    flat = labels.ravel()
    k = flat.max() + 1
    count = np.bincount(flat, minlength=k).astype(float)
    mean = _region_means(labels, scene.lab)
    parts = [np.bincount(flat, scene.tensor[..., c].ravel(), k) for c in range(3)]
    error = np.linalg.norm(scene.lab - estimate, axis=-1).ravel()
    need = np.bincount(flat, error, k)                    # total error: big, wrong regions first
    return count, mean, _along_edges(*parts), need


def _wash(line: np.ndarray, colour: np.ndarray, size: float, scene: Scene, spec: WashLayer,
          rng: np.random.Generator) -> PlannedStroke:
    """One wash stroke along a (P, 2) grid polyline."""
    w, h = scene.canvas_size
    line = np.clip(line * scene.scale, 0, [w - 1, h - 1])
    return PlannedStroke(spec.tool, tuple(int(v) for v in colour), int(round(size)),
                         round(float(rng.uniform(*spec.opacities)), 3), _pointer_path(line))


def _plan_washes(n: int, scene: Scene, spec: WashLayer, estimate: np.ndarray,
                 rng: np.random.Generator) -> list[PlannedStroke]:
    """Up to ``n`` watercolour washes hatching colour regions, the most needed regions first.

    A region is one zig-zag, or a few if its shape needs them. The washes are then painted
    light to dark, as watercolourists do: a dark wash may glaze over a light one, never the
    other way round.
    """
    labels = _regions(scene, round(n * REGIONS_PER_WASH))
    count, mean, angle, need = _region_stats(labels, scene, estimate)
    fit = np.minimum(np.sqrt(count) * spec.size_per_side, _region_thickness(labels))
    ys, xs = np.indices(labels.shape).reshape(2, -1)
    pixels = np.stack([xs, ys], axis=1) + 0.5                  # (h*w, 2) grid (x, y) centres
    order = np.argsort(-need, kind="stable")
    order = order[need[order] > MIN_NEED * count[order]]
    picks = _snap(mean[order], scene.palette.glazed)
    main, extra = [], []          # (lightness, stroke): every region's first zig-zag comes first
    for region, pick in zip(order[:n], picks):
        size = np.clip(fit[region] * scene.scale, *spec.sizes)
        grid_size = size / scene.scale
        lines = _hatch(pixels[labels.ravel() == region], angle[region], spec.rows * grid_size,
                       grid_size / 2)
        washes = [(mean[region, 0], _wash(line, scene.palette.rgb[pick], size, scene, spec,
                                          rng)) for line in lines]
        main += washes[:1]
        extra += washes[1:]
    chosen = sorted((main + extra)[:n], key=lambda wash: -wash[0])   # stable: light to dark
    return [stroke for _, stroke in chosen]
