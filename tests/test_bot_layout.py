"""The demo bot's plan keeps the photo's layout on every style, contrasty or foggy (issue 10).

The score's fairness target needs the layout-following bot to follow the layout equally well
whatever the style; a foggy, low-contrast style (Monet's Charing Cross Bridge) used to lose it
in planning. No rendering here: the plan's own flat-mark estimate of the canvas is compared with
the photo, at the game's canvas size and the demo's stroke budget, as the score-lab study did.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy.ndimage import gaussian_filter
from skimage.color import lab2rgb, rgb2lab

from game.bot import plan_painting
from game.bot.estimate import _blank_estimate, _paint_estimate
from game.bot.scene import _scene

ROOT = Path(__file__).resolve().parents[1]
CANVAS_BOX = (834, 644)    # the paint scene's canvas fits inside this (game/scenes/paint.py)
BUDGET = 630               # the demo's 7 strokes a second over a 90 s round
PHOTOS = ("chelsea", "camera")   # a face and a figure on plain ground; camera is the harder
KEEPS = 0.6                # least layout kept, mean over PHOTOS (ordinary styles: 0.7-0.85)
FOGGY_SPREAD = 4.0         # Monet's Charing Cross Bridge: lightness SD about 4
FOG_SHARE = 0.5            # least share of its contrasty original's layout a fogged style keeps


def eval_styles() -> list[Path]:
    """The shared eval paintings, if this machine has them (as test_magenta finds them)."""
    folders = [os.environ.get("STYLE_DUEL_EVAL_DIR", ""),
               str(Path(os.environ.get("STYLE_DUEL_SHARED_MODELS", "")).parent / "eval"),
               "/work/shared/eval"]
    for folder in folders:
        if folder and (Path(folder) / "styles").is_dir():
            return sorted((Path(folder) / "styles").iterdir())
    return []


STYLES = sorted((ROOT / "art" / "styles").glob("*.png")) + eval_styles()


def load(path: Path, side: int = 384) -> np.ndarray:
    image = Image.open(path).convert("RGB")
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return np.asarray(image)


def foggy(style: np.ndarray) -> np.ndarray:
    """The style with its lightness squeezed about its mean to a Monet-like spread."""
    lab = rgb2lab(style)
    light = lab[..., 0]
    lab[..., 0] = light.mean() + (light - light.mean()) * FOGGY_SPREAD / max(light.std(), 1e-6)
    return (np.clip(lab2rgb(lab), 0, 1) * 255).astype(np.uint8)


def band(image: np.ndarray) -> np.ndarray:
    """Band-passed lightness on a 64 x 64 grid: where the shapes and edges are, not the tone."""
    small = np.asarray(Image.fromarray(image).resize((64, 64), Image.Resampling.BOX), float)
    luma = small @ np.array([0.299, 0.587, 0.114])
    return gaussian_filter(luma, 1) - gaussian_filter(luma, 4)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def layout_kept(photo: np.ndarray, style: np.ndarray) -> float:
    """How much of the photo's layout the plan's estimate of the finished canvas keeps."""
    h, w = photo.shape[:2]
    k = min(CANVAS_BOX[0] / w, CANVAS_BOX[1] / h)
    canvas = (int(w * k), int(h * k))
    plan = plan_painting(photo, style, canvas, seed=11, budget=BUDGET)
    scene = _scene(photo, style, canvas, 11)
    estimate = scene.tone.undo(_paint_estimate(_blank_estimate(scene), plan, scene))
    rgb = (np.clip(lab2rgb(estimate), 0, 1) * 255).astype(np.uint8)
    return correlation(band(rgb), band(photo))


@pytest.fixture(scope="module")
def photos() -> list[np.ndarray]:
    return [load(ROOT / "art" / "content" / f"{name}.png") for name in PHOTOS]


@pytest.mark.parametrize("path", STYLES, ids=lambda p: p.stem)
def test_the_plan_keeps_the_photos_layout_on_every_style(path, photos):
    kept = [layout_kept(photo, load(path)) for photo in photos]
    assert np.mean(kept) >= KEEPS, dict(zip(PHOTOS, np.round(kept, 2)))


def test_a_foggy_style_keeps_much_of_the_layout_its_contrasty_original_keeps(photos):
    """Contrast invariance: squeezing a style's lightness to Monet's fog must not cost the plan
    most of the layout. Planning in raw Lab kept about a third of it (0.24 of 0.75); stretched
    planning keeps more than half (0.45 of 0.81). The rest is the foggy palette itself: a few
    close greys cannot draw every edge however well the strokes are placed."""
    style = load(ROOT / "art" / "styles" / "swirling_flow.png")
    contrasty = np.mean([layout_kept(photo, style) for photo in photos])
    fog = np.mean([layout_kept(photo, foggy(style)) for photo in photos])
    assert fog >= FOG_SHARE * contrasty, (round(fog, 2), round(contrasty, 2))
