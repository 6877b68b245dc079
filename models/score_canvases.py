"""Canvases made from a picture: the score's calibration anchors and the validity ladders' rungs.

Every canvas is deterministic (a fixed seed), (H, W, 3) uint8, the shape of its source:

    trivial        flat fill of the mean colour, the 8-colour palette as random ellipses,
                   untouched paper, white
    wrong layout   upside down, rotated 180 degrees, tiles shuffled so that none stays in
                   place, the picture averaged over 8 random Voronoi cells (what a player
                   dabbing 8 flat blobs of its colours can reach at best)
    rungs          blurred, posterised, scribble (bench/score_validity.py)

numpy, Pillow, scikit-image and the brushes' paper only: no TensorFlow.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter


def flat(picture: np.ndarray) -> np.ndarray:
    """The picture's mean colour everywhere."""
    colour = np.rint(picture.reshape(-1, 3).mean(0)).astype(np.uint8)
    return np.broadcast_to(colour, picture.shape).copy()


def palette(picture: np.ndarray, k: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(k, 3) uint8 dominant colours (k-means on a pixel sample), most common first, and
    (k,) their shares of the sample."""
    rng = np.random.default_rng(seed)
    pixels = picture.reshape(-1, 3).astype(np.float32)
    pixels = pixels[rng.choice(len(pixels), min(4000, len(pixels)), replace=False)]
    centres = pixels[rng.choice(len(pixels), min(k, len(pixels)), replace=False)].copy()
    labels = np.zeros(len(pixels), int)
    for _ in range(15):
        labels = ((pixels[:, None] - centres[None]) ** 2).sum(-1).argmin(1)
        for j in range(len(centres)):
            if (labels == j).any():
                centres[j] = pixels[labels == j].mean(0)
    counts = np.bincount(labels, minlength=len(centres)).astype(float)
    order = np.argsort(-counts)
    return np.rint(centres[order]).astype(np.uint8), counts[order] / counts.sum()


def palette_blobs(picture: np.ndarray, seed: int, blobs: int = 24) -> np.ndarray:
    """The picture's palette as random ellipses over its most common colour."""
    from skimage.draw import ellipse

    rng = np.random.default_rng(seed)
    colours, shares = palette(picture, 8, seed)
    h, w = picture.shape[:2]
    out = np.empty_like(picture)
    out[:] = colours[0]
    for _ in range(blobs):
        rows, cols = ellipse(rng.uniform(0, h), rng.uniform(0, w),
                             rng.uniform(0.05, 0.25) * h, rng.uniform(0.05, 0.25) * w,
                             shape=(h, w), rotation=rng.uniform(0, np.pi))
        out[rows, cols] = colours[rng.choice(len(colours), p=shares)]
    return out


def paper(shape: tuple[int, ...], seed: int = 3) -> np.ndarray:
    """An untouched canvas of the game (the brushes' paper texture)."""
    from brushes import Canvas

    return Canvas(shape[1], shape[0], seed=seed).rgb8()


def white(shape: tuple[int, ...]) -> np.ndarray:
    return np.full((shape[0], shape[1], 3), 255, np.uint8)


def upside_down(picture: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(picture[::-1])


def rotated_180(picture: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(picture[::-1, ::-1])


def _resized(picture: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if picture.shape[:2] == tuple(shape[:2]):
        return picture
    return np.asarray(Image.fromarray(picture).resize((shape[1], shape[0]),
                                                      Image.Resampling.BICUBIC))


def shuffled_tiles(picture: np.ndarray, seed: int, n: int = 4,
                   derange: bool = False) -> np.ndarray:
    """n x n tiles shuffled: at most 20 % stay in place, none with derange=True."""
    rng = np.random.default_rng(seed)
    h, w = picture.shape[:2]
    th, tw = h // n, w // n
    if th == 0 or tw == 0:
        return rotated_180(picture)
    tiles = [picture[i * th:(i + 1) * th, j * tw:(j + 1) * tw]
             for i in range(n) for j in range(n)]
    order = rng.permutation(len(tiles))
    while (order == np.arange(len(tiles))).mean() > (0.0 if derange else 0.2):
        order = rng.permutation(len(tiles))
    rows = [np.concatenate([tiles[order[i * n + j]] for j in range(n)], 1) for i in range(n)]
    return _resized(np.concatenate(rows, 0), picture.shape)


def cell_mosaic(picture: np.ndarray, seed: int, cells: int = 8) -> np.ndarray:
    """The picture averaged over `cells` random Voronoi cells, each its mean colour."""
    rng = np.random.default_rng(1000 + seed)
    h, w = picture.shape[:2]
    rows, cols = np.mgrid[0:h, 0:w]
    centres = rng.uniform(0, 1, (cells, 2)) * (h, w)
    nearest = ((rows[..., None] - centres[:, 0]) ** 2
               + (cols[..., None] - centres[:, 1]) ** 2).argmin(-1)
    out = np.empty_like(picture)
    for i in range(cells):
        inside = nearest == i
        if inside.any():
            out[inside] = np.rint(picture[inside].mean(0))
    return out


def blurred(picture: np.ndarray, radius: float = 8.0) -> np.ndarray:
    return np.asarray(Image.fromarray(picture).filter(ImageFilter.GaussianBlur(radius)))


def posterised(picture: np.ndarray, k: int = 6) -> np.ndarray:
    """Every pixel replaced by the nearest of the picture's k dominant colours."""
    colours, _ = palette(picture, k, 0)
    pixels = picture.reshape(-1, 3).astype(np.float32)
    nearest = ((pixels[:, None] - colours[None].astype(np.float32)) ** 2).sum(-1).argmin(1)
    return colours[nearest].reshape(picture.shape)


def scribble(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Random dark pen lines on white."""
    from scipy.ndimage import grey_dilation
    from skimage.draw import line_aa

    rng = np.random.default_rng(seed)
    h, w = shape[:2]
    ink = np.zeros((h, w), float)
    for _ in range(14):
        points = (np.cumsum(rng.normal(0, 0.12, (8, 2)) * (h, w), 0)
                  + rng.uniform(0, 1, 2) * (h, w))
        points = np.clip(points, 0, (h - 1, w - 1)).astype(int)
        for (r0, c0), (r1, c1) in zip(points, points[1:]):
            rows, cols, value = line_aa(r0, c0, r1, c1)
            ink[rows, cols] = np.maximum(ink[rows, cols], value)
    ink = grey_dilation(ink, size=(3, 3))
    colour = rng.integers(0, 120, 3)
    out = 255 * (1 - ink[..., None]) + colour * ink[..., None]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def anchor_canvases(reference: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """The calibration's canvases of one machine picture, by kind:
    {"trivial": {...}, "wrong_layout": {...}, "upper": {"blurred": ...}}."""
    side = max(reference.shape[:2])
    trivial = {"white": white(reference.shape), "paper": paper(reference.shape, 3),
               "flat": flat(reference)}
    trivial.update({f"blobs{k}": palette_blobs(reference, seed=k) for k in range(3)})
    wrong = {"rotated": rotated_180(reference), "upside_down": upside_down(reference)}
    wrong.update({f"tiles{k}": shuffled_tiles(reference, seed=k, n=3, derange=True)
                  for k in range(2)})
    wrong.update({f"mosaic{k}": cell_mosaic(reference, seed=k) for k in range(3)})
    # The reference's own layout without its brushwork: blurred by 1/25 of its long side.
    upper = {"blurred": blurred(reference, side / 25)}
    return {"trivial": trivial, "wrong_layout": wrong, "upper": upper}
