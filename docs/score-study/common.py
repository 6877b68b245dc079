"""Score lab: shared pictures, pairs and rung builders (no TensorFlow here).

Pictures are generated once by make_pics.py into /work/score-lab/pics and read back here.
Nothing is written into /work/main.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image

for _k in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS",
           "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("STYLE_DUEL_SHARED_MODELS", "/work/shared/models")

MAIN = Path("/work/main")
LAB = Path("/work/score-lab")
PICS = LAB / "pics"
EVAL = Path("/work/shared/eval")
sys.path.insert(0, str(MAIN))

SIDE = 384            # long side of photos fed to the machines / bot
BOT_BOX = (834, 644)  # the game's CANVAS_BOX (game/scenes/paint.py): canvas fits inside
BOT_BUDGET = 630      # strokes: the demo's 7 strokes/s x the default 90 s round

# Two disjoint sets: TUNE (game art styles) chooses the constants, CHECK (eval styles, other
# photos) only verifies them. ../holdout is never read.
SETS = {
    "tune": {"contents": ["astronaut", "camera", "coffee", "coins"],
             "styles": ["hatching", "night_impasto", "colour_fields", "watercolour_washes",
                        "wave_bands", "pointillism"],
             "gatys_styles": ["hatching", "night_impasto"]},
    "check": {"contents": ["chelsea", "rocket", "tubingen", "golden_gate"],
              "styles": ["starry_night", "the_scream", "great_wave", "composition_vii",
                         "shipwreck", "monet_charing_cross_bridge", "toulouse_lautrec_in_bed"],
              "gatys_styles": ["starry_night", "the_scream"]},
}


def fit_long(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    s = side / max(h, w)
    if s >= 1:
        return image
    return np.asarray(Image.fromarray(image).resize((max(1, round(w * s)), max(1, round(h * s))),
                                                    Image.Resampling.LANCZOS))


def load_content(name: str, side: int = SIDE) -> np.ndarray:
    p = MAIN / "art" / "content" / f"{name}.png"
    if not p.is_file():
        p = next((EVAL / "content").glob(f"{name}.*"))
    return fit_long(np.asarray(Image.open(p).convert("RGB")), side)


def load_style(name: str, side: int = SIDE) -> np.ndarray:
    p = MAIN / "art" / "styles" / f"{name}.png"
    if not p.is_file():
        p = next((EVAL / "styles").glob(f"{name}.*"))
    return fit_long(np.asarray(Image.open(p).convert("RGB")), side)


def pic_path(kind: str, content: str, style: str) -> Path:
    return PICS / f"{kind}__{content}__{style}.png"


def load_pic(kind: str, content: str, style: str) -> np.ndarray | None:
    p = pic_path(kind, content, style)
    return np.asarray(Image.open(p).convert("RGB")) if p.is_file() else None


def save(image: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)


def pairs(set_name: str):
    s = SETS[set_name]
    return [(c, st) for st in s["styles"] for c in s["contents"]]


def other_content(set_name: str, content: str) -> str:
    cs = SETS[set_name]["contents"]
    return cs[(cs.index(content) + 1) % len(cs)]


# -- rungs ------------------------------------------------------------------------------------

def resize_to(image: np.ndarray, shape) -> np.ndarray:
    if image.shape[:2] == tuple(shape[:2]):
        return image
    return np.asarray(Image.fromarray(image).resize((shape[1], shape[0]),
                                                    Image.Resampling.BICUBIC))


def flat(ref: np.ndarray, colour=None) -> np.ndarray:
    c = ref.reshape(-1, 3).mean(0) if colour is None else np.asarray(colour, float)
    return np.broadcast_to(np.rint(c).astype(np.uint8), ref.shape).copy()


def palette(ref: np.ndarray, k: int = 8, seed: int = 0) -> np.ndarray:
    """(k, 3) uint8 dominant colours of ref (k-means in RGB on a subsample), and weights."""
    rng = np.random.default_rng(seed)
    px = ref.reshape(-1, 3).astype(np.float32)
    px = px[rng.choice(len(px), min(4000, len(px)), replace=False)]
    centres = px[rng.choice(len(px), k, replace=False)]
    for _ in range(15):
        lab = ((px[:, None] - centres[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            if (lab == j).any():
                centres[j] = px[lab == j].mean(0)
    counts = np.bincount(lab, minlength=k).astype(float)
    order = np.argsort(-counts)
    return np.rint(centres[order]).astype(np.uint8), counts[order] / counts.sum()


def palette_blobs(ref: np.ndarray, seed: int, n: int = 24) -> np.ndarray:
    """The reference's palette as random ellipses over its dominant colour."""
    from skimage.draw import ellipse

    rng = np.random.default_rng(seed)
    cols, w = palette(ref, 8, seed)
    h, wd = ref.shape[:2]
    out = np.empty_like(ref)
    out[:] = cols[0]
    for _ in range(n):
        r, c = rng.uniform(0, h), rng.uniform(0, wd)
        rr, cc = ellipse(r, c, rng.uniform(0.05, 0.25) * h, rng.uniform(0.05, 0.25) * wd,
                         shape=(h, wd), rotation=rng.uniform(0, np.pi))
        out[rr, cc] = cols[rng.choice(len(cols), p=w)]
    return out


def blank_paper(shape, seed: int = 3) -> np.ndarray:
    from brushes import Canvas

    return Canvas(shape[1], shape[0], seed=seed).rgb8()


def scribble(shape, seed: int) -> np.ndarray:
    from skimage.draw import line_aa
    from scipy.ndimage import grey_dilation

    rng = np.random.default_rng(seed)
    h, w = shape[:2]
    ink = np.zeros((h, w), float)
    for _ in range(14):
        pts = np.cumsum(rng.normal(0, 0.12, (8, 2)) * (h, w), 0) + rng.uniform(0, 1, 2) * (h, w)
        for (r0, c0), (r1, c1) in zip(pts, pts[1:]):
            rr, cc, val = line_aa(int(np.clip(r0, 0, h - 1)), int(np.clip(c0, 0, w - 1)),
                                  int(np.clip(r1, 0, h - 1)), int(np.clip(c1, 0, w - 1)))
            ink[rr, cc] = np.maximum(ink[rr, cc], val)
    ink = grey_dilation(ink, size=(3, 3))
    colour = rng.integers(0, 120, 3)
    out = 255 * (1 - ink[..., None]) + colour * ink[..., None]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def shuffled_tiles(ref: np.ndarray, seed: int, n: int = 4, derange: bool = False) -> np.ndarray:
    """n x n tiles shuffled (at most 20 % in place; none with derange=True)."""
    rng = np.random.default_rng(seed)
    h, w = ref.shape[:2]
    h2, w2 = h - h % n, w - w % n
    img = ref[:h2, :w2]
    th, tw = h2 // n, w2 // n
    tiles = [img[i * th:(i + 1) * th, j * tw:(j + 1) * tw] for i in range(n) for j in range(n)]
    order = rng.permutation(len(tiles))
    while (order == np.arange(len(tiles))).mean() > (0.0 if derange else 0.2):
        order = rng.permutation(len(tiles))
    rows = [np.concatenate([tiles[order[i * n + j]] for j in range(n)], 1) for i in range(n)]
    return resize_to(np.concatenate(rows, 0), ref.shape)


def upside_down(ref: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(ref[::-1])


def blurred(img: np.ndarray, radius: float = 8.0) -> np.ndarray:
    from PIL import ImageFilter

    return np.asarray(Image.fromarray(img).filter(ImageFilter.GaussianBlur(radius)))


def posterised(img: np.ndarray, k: int = 6) -> np.ndarray:
    cols, _ = palette(img, k, 0)
    px = img.reshape(-1, 3).astype(np.float32)
    lab = ((px[:, None] - cols[None].astype(np.float32)) ** 2).sum(-1).argmin(1)
    return cols[lab].reshape(img.shape)


def cell_mosaic(ref: np.ndarray, seed: int, n: int = 8) -> np.ndarray:
    """The reference averaged over n random Voronoi cells: the best 'n flat blobs' canvas
    in pixel terms (each cell its mean colour). A layout anchor against blob attacks."""
    rng = np.random.default_rng(1000 + seed)
    h, w = ref.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    pts = rng.uniform(0, 1, (n, 2)) * (h, w)
    lab = ((yy[..., None] - pts[:, 0]) ** 2 + (xx[..., None] - pts[:, 1]) ** 2).argmin(-1)
    out = np.empty_like(ref)
    for i in range(n):
        m = lab == i
        if m.any():
            out[m] = np.rint(ref[m].mean(0))
    return out
