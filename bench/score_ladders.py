"""Pictures for bench/score_validity.py: unseen images, distortion ladders, NST pairs.

Unseen images: ../shared/eval (content and styles) minus the photos the encoder trained on
(its astronaut and coffee are the catalogue's), plus the held-out catalogue pictures
(models.encoder_data.HELD_OUT_*). Nothing here trains anything.
"""
from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter
from skimage.color import lab2rgb, rgb2lab

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SIDE = 256                       # long side every benchmark picture is worked at
CACHE = ROOT / "out" / "score_bench_cache"   # NST results and bot paintings, by content

# Each ladder: five levels, mildest first. Every level is a clearly bigger step than the
# last, so "the score falls" is a fair question at every step.
LADDERS: dict[str, tuple] = {
    "blur": (1.0, 2.0, 3.0, 5.0, 8.0),                 # Gaussian sigma, px at 256
    "noise": (8.0, 16.0, 32.0, 48.0, 64.0),            # Gaussian sigma, 0-255 units
    "jpeg": (50, 25, 12, 6, 2),                        # PIL JPEG quality
    "colour": (6.0, 12.0, 20.0, 30.0, 42.0),           # Lab cast (a += x, b += 0.6 x)
    "brush": (400, 200, 100, 50, 25),                  # bot strokes repainting the picture
    "crop": (0.05, 0.1, 0.2, 0.3, 0.45),               # share cut off top-left, rescaled
}


def load_rgb(path: Path, side: int = SIDE) -> np.ndarray:
    image = Image.open(path).convert("RGB")
    scale = side / max(image.size)
    if scale < 1:
        image = image.resize((round(image.width * scale), round(image.height * scale)),
                             Image.Resampling.LANCZOS)
    return np.asarray(image)


def unseen_images() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[str]]:
    """(contents, styles, notes): name -> (h, w, 3) uint8 at SIDE, none seen in training."""
    from models.encoder_data import ART_DIR, HELD_OUT_CONTENT, HELD_OUT_STYLES, TRAIN_CONTENT

    contents, styles, notes = {}, {}, []
    for name in HELD_OUT_CONTENT:
        contents[name] = load_rgb(ART_DIR / "content" / f"{name}.png")
    for name in HELD_OUT_STYLES:
        styles[name] = load_rgb(ART_DIR / "styles" / f"{name}.png")
    if not EVAL.is_dir():
        notes.append(f"{EVAL} not found: held-out catalogue pictures only")
        return contents, styles, notes
    for path in sorted((EVAL / "content").glob("*")):
        if path.stem in TRAIN_CONTENT:
            notes.append(f"eval {path.name} skipped: the encoder trained on the same photo")
        elif path.stem in contents:
            contents[path.stem] = load_rgb(path)     # the same photo: one copy is enough
        else:
            contents[path.stem] = load_rgb(path)
    for path in sorted((EVAL / "styles").glob("*")):
        styles[path.stem] = load_rgb(path)
    return contents, styles, notes


# -- distortions ------------------------------------------------------------------------------

def blur(image: np.ndarray, sigma: float, rng) -> np.ndarray:
    out = gaussian_filter(image.astype(np.float32), (sigma, sigma, 0))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def noise(image: np.ndarray, sigma: float, rng) -> np.ndarray:
    out = image.astype(np.float32) + rng.normal(0, sigma, image.shape)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def jpeg(image: np.ndarray, quality: int, rng) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=int(quality))
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def colour(image: np.ndarray, amount: float, rng) -> np.ndarray:
    lab = rgb2lab(image)
    lab[..., 1] += amount
    lab[..., 2] += 0.6 * amount
    return np.clip(np.rint(lab2rgb(lab) * 255), 0, 255).astype(np.uint8)


def crop(image: np.ndarray, share: float, rng) -> np.ndarray:
    h, w = image.shape[:2]
    cut = image[round(h * share):, round(w * share):]
    return np.asarray(Image.fromarray(np.ascontiguousarray(cut)).resize(
        (w, h), Image.Resampling.BICUBIC))


def brush_ladder(painter) -> Callable:
    """The demo bot repaints the picture in its own colours with `budget` strokes."""
    def brush(image: np.ndarray, budget: int, rng) -> np.ndarray:
        h, w = image.shape[:2]
        canvas = (192, max(8, round(192 * h / w)))
        key = f"brush-{digest(image)}-{budget}"
        return cached(key, lambda: painter(image, image, canvas, 1, int(budget)))
    return brush


def distortions(painter) -> dict[str, Callable]:
    return {"blur": blur, "noise": noise, "jpeg": jpeg, "colour": colour,
            "brush": brush_ladder(painter), "crop": crop}


# -- cache ------------------------------------------------------------------------------------

def digest(image: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(image).tobytes()).hexdigest()[:16]


def cached(key: str, make: Callable[[], np.ndarray]) -> np.ndarray:
    """A picture from CACHE/key.png, made and stored on the first call."""
    path = CACHE / f"{key}.png"
    if path.is_file():
        return np.asarray(Image.open(path).convert("RGB"))
    image = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)
    return image


# -- NST results for texture tolerance ---------------------------------------------------------

def nst_engines(seconds: float) -> tuple[Callable, Callable, str]:
    """(magenta(content, style), gatys(content, style), label): real models when installed
    (model cache or $STYLE_DUEL_SHARED_MODELS), else the offline stand-ins."""
    from models.encoder_data import SHARED_MODELS_ENV, open_magenta_tflite

    shared = Path(os.environ.get(SHARED_MODELS_ENV, ROOT.parent / "shared" / "models"))
    os.environ.setdefault(SHARED_MODELS_ENV, str(shared))
    magenta, entry = open_magenta_tflite(threads=2)
    vgg_file = shared / "vgg19_blocks1-3_notop.h5"
    if magenta is not None:
        magenta_fn, label = magenta.stylize, f"Magenta {entry}"
    else:
        from models.standins import studio_filter
        magenta_fn, label = (lambda c, s: studio_filter(c, s)), "studio filter (offline)"
    from models.gatys import run_gatys
    from models.settings import default_settings, untrained_settings, with_changes
    if vgg_file.is_file():
        settings = with_changes(default_settings(False, 3), seconds=seconds, threads=2)
        weights, label = vgg_file, label + f" vs Gatys VGG-19 blocks 1-3 ({seconds:g} s)"
    else:
        settings = with_changes(untrained_settings(seconds=seconds), threads=2)
        weights, label = None, label + " vs Gatys untrained features (offline)"

    def gatys_fn(content, style):
        return run_gatys(content, [style], settings, weights).image

    return magenta_fn, gatys_fn, label


def nst_pairs(contents: dict, styles: dict, seconds: float):
    """{(engine, content, style): picture} for every content x style, cached on disk."""
    magenta_fn, gatys_fn, label = nst_engines(seconds)
    tag = hashlib.sha256(label.encode()).hexdigest()[:8]
    out = {}
    for c, content in contents.items():
        for s, style in styles.items():
            out["magenta", c, s] = cached(f"magenta-{tag}-{c}-{s}",
                                          lambda: magenta_fn(content, style))
            out["gatys", c, s] = cached(f"gatys-{tag}-{c}-{s}", lambda: gatys_fn(content, style))
    return out, label


def fit_shape(image: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A distorted picture back at the original's (h, w), for SSIM."""
    if image.shape[:2] == tuple(shape[:2]):
        return image
    return np.asarray(Image.fromarray(image).resize((shape[1], shape[0]),
                                                    Image.Resampling.BICUBIC))
