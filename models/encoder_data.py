"""Pictures for the score's autoencoder: the game's own art, machine results, bot paintings.

Everything here is numpy / PIL / scikit-image (no TensorFlow) and deterministic by seed.

Which catalogue pictures the training may see is decided once, here:
    training:  content astronaut, camera, coffee, coins; nine of the twelve style paintings
    held out:  content chelsea, rocket; styles cubist_shards, pointillism, swirling_flow
The held-out pictures (and everything made from them) calibrate the score and validate it.
The evaluation folder (../shared/eval) is never read by the training. Its astronaut and
coffee photos are the training's own catalogue photos, so bench/score_validity.py skips them.

Sources, each a list of (H, W, 3) uint8 pictures:
    photo    the content photos              studio   models.standins.studio_filter(X, s)
    style    the style paintings             magenta  Magenta TFLite(X, s), when installed
    bot      the demo bot's paintings of (X, s): a Painter the caller passes in
             (game.bot.bot_painter; models never imports game)
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

ART_DIR = Path(__file__).resolve().parent.parent / "art"
TRAIN_CONTENT = ("astronaut", "camera", "coffee", "coins")
HELD_OUT_CONTENT = ("chelsea", "rocket")
HELD_OUT_STYLES = ("cubist_shards", "pointillism", "swirling_flow")
SHARED_MODELS_ENV = "STYLE_DUEL_SHARED_MODELS"
WORK_SIDE = 320          # long side pictures are kept at: crops of it still reach 128 px

# (content, style, (w, h) canvas, seed, stroke budget) -> (h, w, 3) uint8 painting
Painter = Callable[[np.ndarray, np.ndarray, tuple[int, int], int, int], np.ndarray]


def load_art(kind: str, name: str, side: int = WORK_SIDE) -> np.ndarray:
    """art/content/NAME.png or art/styles/NAME.png -> (h, w, 3) uint8, long side <= side."""
    folder = "content" if kind == "content" else "styles"
    return fit_long_side(np.asarray(Image.open(ART_DIR / folder / f"{name}.png")
                                    .convert("RGB")), side)


def style_ids() -> list[str]:
    return sorted(p.stem for p in (ART_DIR / "styles").glob("*.png"))


def train_style_ids() -> list[str]:
    return [s for s in style_ids() if s not in HELD_OUT_STYLES]


def fit_long_side(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return np.ascontiguousarray(image)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(Image.fromarray(image).resize(size, Image.Resampling.LANCZOS))


def open_magenta_tflite(threads: int = 2):
    """A Magenta TFLite engine from the model cache or $STYLE_DUEL_SHARED_MODELS, or None."""
    from models import catalogue
    from models.cache import ModelCache
    from models.magenta import MagentaSettings, MagentaTFLite

    cache = ModelCache()
    shared = os.environ.get(SHARED_MODELS_ENV)
    for entry_name in ("magenta-tflite-fp16", "magenta-tflite-int8"):
        paths = {}
        for model_file in catalogue.entry(entry_name).files:
            found = cache.find(model_file.name)
            if found is None and shared and (Path(shared) / model_file.filename).is_file():
                found = Path(shared) / model_file.filename
            paths[model_file.role] = found
        if all(paths.values()):
            engine = MagentaTFLite(paths[catalogue.ROLE_PREDICTION],
                                   paths[catalogue.ROLE_TRANSFER],
                                   settings=MagentaSettings(threads=threads))
            return engine, entry_name
    return None, None


@dataclass
class Pool:
    """Pictures by source ("photo", "style", "studio", "magenta", "bot") and what made them."""

    sources: dict[str, list[np.ndarray]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)   # "chelsea×hatching", ...
    notes: list[str] = field(default_factory=list)

    def add(self, source: str, name: str, image: np.ndarray) -> None:
        self.sources.setdefault(source, []).append(image)
        self.names.setdefault(source, []).append(name)

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.sources.items()}

    def all(self) -> list[np.ndarray]:
        return [image for images in self.sources.values() for image in images]


@dataclass(frozen=True)
class PoolSpec:
    contents: tuple[str, ...]
    styles: tuple[str, ...]
    # Stroke budgets of the bot's paintings of every pair: a sparse and a fuller one, so
    # the same pair is there with different brush renderings.
    bot_budgets: tuple[int, ...] = (60, 160)
    bot_canvas: tuple[int, int] = (192, 144)   # (w, h): ~1 s a painting on this CPU
    studio: bool = True
    magenta: bool = True
    seed: int = 0


def build_pool(spec: PoolSpec, painter: Painter | None = None, magenta=None,
               log: Callable[[str], None] = print) -> Pool:
    """Load and make every picture of `spec` (the slow part of training: about a minute)."""
    pool = Pool()
    photos = {c: load_art("content", c) for c in spec.contents}
    styles = {s: load_art("style", s) for s in spec.styles}
    for name, image in photos.items():
        pool.add("photo", name, image)
    for name, image in styles.items():
        pool.add("style", name, image)
    for i, (c, photo) in enumerate(photos.items()):
        for j, (s, style) in enumerate(styles.items()):
            pair, seed = f"{c}×{s}", spec.seed + 100 * i + j
            if spec.studio:
                pool.add("studio", pair, studio_picture(photo, style, seed))
            if spec.magenta and magenta is not None:
                pool.add("magenta", pair, magenta.stylize(photo, style))
            for k, budget in enumerate(spec.bot_budgets if painter else ()):
                pool.add("bot", f"{pair}#{budget}",
                         painter(photo, style, spec.bot_canvas, seed + 7919 * k, budget))
        log(f"  pictures of {c}: {pool.counts()}")
    if spec.magenta and magenta is None:
        pool.notes.append("Magenta TFLite not installed: no Magenta results in the data")
    return pool


def studio_picture(photo: np.ndarray, style: np.ndarray, seed: int) -> np.ndarray:
    from models.standins import studio_filter

    return studio_filter(fit_long_side(photo, 256), fit_long_side(style, 256), seed=seed)


# -- augmentation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Augment:
    min_area: float = 0.35       # crops keep 35-100 % of the picture: composition survives
    max_aspect: float = 4 / 3    # crop aspect jitter (then squashed to a square anyway)
    flip: float = 0.5            # chance of a left-right mirror
    jitter: float = 0.8          # chance of colour jitter
    brightness: float = 0.15     # x U(1 - b, 1 + b)
    contrast: float = 0.2        # around the mean
    saturation: float = 0.3      # around the grey of each pixel
    blur: float = 0.25           # chance of a Gaussian blur ...
    blur_radius: float = 1.5     # ... of radius up to this (pixels at the output size)


def augmented(image: np.ndarray, size: int, rng: np.random.Generator,
              aug: Augment = Augment()) -> np.ndarray:
    """(H, W, 3) uint8 -> (size, size, 3) uint8: crop, flip, colour jitter, blur."""
    h, w = image.shape[:2]
    area = rng.uniform(aug.min_area, 1.0) * h * w
    aspect = np.exp(rng.uniform(-np.log(aug.max_aspect), np.log(aug.max_aspect)))
    ch = int(min(h, max(8, round(np.sqrt(area / aspect)))))
    cw = int(min(w, max(8, round(np.sqrt(area * aspect)))))
    top, left = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    crop = Image.fromarray(np.ascontiguousarray(image[top:top + ch, left:left + cw]))
    crop = crop.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    if rng.random() < aug.blur:
        crop = crop.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, aug.blur_radius)))
    out = np.asarray(crop, np.float32)
    if rng.random() < aug.flip:
        out = out[:, ::-1]
    if rng.random() < aug.jitter:
        out = out * rng.uniform(1 - aug.brightness, 1 + aug.brightness)
        mean = out.mean()
        out = (out - mean) * rng.uniform(1 - aug.contrast, 1 + aug.contrast) + mean
        grey = out.mean(axis=2, keepdims=True)
        out = (out - grey) * rng.uniform(1 - aug.saturation, 1 + aug.saturation) + grey
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def squashed(image: np.ndarray, size: int) -> np.ndarray:
    """(H, W, 3) uint8 -> (size, size, 3) uint8, the whole picture (what the score sees)."""
    from models.encoder import prepare

    return np.rint(prepare(image, size) * 255).astype(np.uint8)
