"""The style paintings: all present, the right size, clearly different from each other
in colour and texture, within the size budget, and painted deterministically."""
from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from art import paint_styles
from art.paint_styles import MAX_BYTES, STYLE_IDS

ART = Path(__file__).resolve().parent.parent / "art"
STYLES = ART / "styles"
TOTAL_BYTES = 5_000_000
MIN_COLOUR_DISTANCE = 0.4  # total variation between 512-bin colour histograms (0..1)
MIN_TEXTURE_DISTANCE = 0.3  # L1 between texture signatures (see _texture_signature)


def _load(style_id: str) -> np.ndarray:
    with Image.open(STYLES / f"{style_id}.png") as im:
        assert im.mode == "RGB", style_id
        return np.asarray(im)  # (H, W, 3) uint8


@pytest.fixture(scope="module")
def pictures() -> dict[str, np.ndarray]:
    return {sid: _load(sid) for sid in STYLE_IDS}


def _colour_histogram(img: np.ndarray) -> np.ndarray:
    """(512,) float: share of pixels in each 8x8x8 RGB bin."""
    q = (img // 32).astype(np.int64)  # (H, W, 3) in 0..7
    idx = (q[..., 0] * 64 + q[..., 1] * 8 + q[..., 2]).ravel()
    h = np.bincount(idx, minlength=512).astype(np.float64)
    return h / h.sum()


def _texture_signature(img: np.ndarray) -> np.ndarray:
    """(12,) float: log band-pass energy at 4 scales, then the gradient orientation
    histogram (8 bins, weighted by magnitude): how fine/coarse and how directional
    the brushwork is, independent of its colours."""
    grey = img.astype(np.float64) @ np.array([0.299, 0.587, 0.114])  # (H, W)
    energy, prev = [], grey
    for sigma in (1, 2, 4, 8):
        blurred = ndimage.gaussian_filter(grey, sigma)
        energy.append(np.log(np.abs(prev - blurred).mean() + 1e-3))
        prev = blurred
    smooth = ndimage.gaussian_filter(grey, 1)
    gy, gx = ndimage.sobel(smooth, 0), ndimage.sobel(smooth, 1)
    mag = np.hypot(gx, gy)
    bins = (np.arctan2(gy, gx) % np.pi / np.pi * 8).astype(np.int64).clip(0, 7)
    orient = np.bincount(bins.ravel(), weights=mag.ravel(), minlength=8)
    return np.concatenate([energy, orient / orient.sum()])


def test_catalogue_lists_exactly_the_painted_styles():
    """The catalogue's studio styles; its famous paintings are tests/test_catalogue_art.py's."""
    with open(ART / "catalogue.toml", "rb") as f:
        styles = [s for s in tomllib.load(f)["style"]
                  if s.get("collection", "studio") == "studio"]
    assert {s["id"] for s in styles} == set(STYLE_IDS)
    for s in styles:
        assert s["file"] == f"styles/{s['id']}.png"
        assert s["source"] == "art/paint_styles.py"


@pytest.mark.parametrize("style_id", STYLE_IDS)
def test_file_exists_with_size_and_mode(style_id):
    path = STYLES / f"{style_id}.png"
    assert path.is_file()
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.size == (512, 384)
        assert im.mode == "RGB"
    assert path.stat().st_size <= MAX_BYTES


def test_total_size_within_budget():
    assert sum((STYLES / f"{sid}.png").stat().st_size for sid in STYLE_IDS) <= TOTAL_BYTES


def test_pictures_are_paintings_not_blank(pictures):
    for sid, img in pictures.items():
        assert img.std() > 12, sid  # real contrast, not a flat fill
        assert len(np.unique(img.reshape(-1, 3), axis=0)) > 1000, sid  # brush texture


def test_palettes_differ_pairwise(pictures):
    hists = {sid: _colour_histogram(img) for sid, img in pictures.items()}
    close = [(a, b, round(float(np.abs(hists[a] - hists[b]).sum() / 2), 3))
             for a, b in itertools.combinations(STYLE_IDS, 2)
             if np.abs(hists[a] - hists[b]).sum() / 2 < MIN_COLOUR_DISTANCE]
    assert close == []


def test_textures_differ_pairwise(pictures):
    sigs = {sid: _texture_signature(img) for sid, img in pictures.items()}
    close = [(a, b, round(float(np.abs(sigs[a] - sigs[b]).sum()), 3))
             for a, b in itertools.combinations(STYLE_IDS, 2)
             if np.abs(sigs[a] - sigs[b]).sum() < MIN_TEXTURE_DISTANCE]
    assert close == []


def test_painting_is_deterministic():
    # One of the cheapest styles, painted twice from scratch: identical PNG bytes.
    first = paint_styles.png_bytes(paint_styles.paint("geometric_grid"))
    second = paint_styles.png_bytes(paint_styles.paint("geometric_grid"))
    assert first == second


def test_unknown_style_is_rejected():
    with pytest.raises(SystemExit):
        paint_styles.main(["no_such_style"])
