"""Offline stand-ins for the two NST slots when no pretrained weights are installed.

- `studio_filter`: Magenta's slot. A classical filter (well under a second): the style's
  colours, a painterly Kuwahara abstraction and the style's fine texture laid over. It has
  none of the style's shapes: a labelled preview, not style transfer.
  `studio_filter_blend` does the same in several weighted styles (an artist round).
- `untrained_gatys`: Gatys's slot. The same Gatys engine over a seeded random VGG-19 with
  centred statistics and relative losses (`settings.untrained_settings`), then a Kuwahara pass.

No TensorFlow at import time: `untrained_gatys` loads the engine when it runs.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.fft
from scipy.ndimage import gaussian_filter, sobel
from skimage.exposure import match_histograms
from skimage.transform import resize

STUDIO_LABEL = "studio filter (offline)"
UNTRAINED_LABEL = "Gatys, untrained features (offline)"

_LUMA = np.array([0.299, 0.587, 0.114], np.float32)   # Y of YIQ / YUV


def _sector_kernels(radius: int, sectors: int = 8) -> np.ndarray:
    """(sectors, 2r+1, 2r+1) smooth overlapping pie slices under a Gaussian disc, each sum 1."""
    yy, xx = np.mgrid[-radius:radius + 1, -radius:radius + 1].astype(np.float32)
    dist, angle = np.hypot(xx, yy), np.arctan2(yy, xx)
    disc = np.exp(-0.5 * (dist / (0.5 * radius + 1e-6)) ** 2) * (dist <= radius + 0.5)
    kernels = []
    for k in range(sectors):
        delta = np.angle(np.exp(1j * (angle - 2 * np.pi * k / sectors)))  # wrapped to (-pi, pi]
        slice_ = np.exp(-0.5 * (delta / (np.pi / sectors)) ** 2)
        slice_[radius, radius] = 1.0                         # every slice holds the centre
        kernel = disc * slice_
        kernels.append(kernel / kernel.sum())
    return np.stack(kernels).astype(np.float32)


def kuwahara(image: np.ndarray, radius: int = 4, q: float = 4.0, sectors: int = 8) -> np.ndarray:
    """Generalised Kuwahara filter (Papari et al. 2007), vectorised with FFT convolutions.

    (H, W, 3) uint8 -> same. Each pixel becomes a mean over pie slices around it, weighted
    towards the slices with the least colour variance: flat dabs of paint, edges kept.
    """
    if radius < 1:
        return image
    x = image.astype(np.float32) / 255.0
    h, w = x.shape[:2]
    stack = np.concatenate([x, x * x], axis=-1)                        # (H, W, 6)
    padded = np.pad(stack, ((radius, radius), (radius, radius), (0, 0)), mode="reflect")
    shape = padded.shape[:2]
    spectrum = scipy.fft.rfft2(padded, axes=(0, 1))
    num = np.zeros_like(x)
    den = np.zeros((h, w, 1), np.float32)
    for kernel in _sector_kernels(radius, sectors):
        k = np.zeros(shape, np.float32)
        k[: kernel.shape[0], : kernel.shape[1]] = kernel
        k = np.roll(k, (-radius, -radius), axis=(0, 1))                 # centre on the origin
        local = scipy.fft.irfft2(spectrum * scipy.fft.rfft2(k)[..., None], s=shape, axes=(0, 1))
        local = local[radius:radius + h, radius:radius + w]
        mean, mean_sq = local[..., :3], local[..., 3:]
        variance = np.maximum(mean_sq - mean * mean, 0).sum(-1, keepdims=True)
        weight = (variance + 1e-6) ** (-q / 2)
        num += weight * mean
        den += weight
    return np.clip(np.rint(num / den * 255.0), 0, 255).astype(np.uint8)


def _feather(size: int, overlap: int) -> np.ndarray:
    """(size,) ramp 0 -> 1 over `overlap` pixels at both ends."""
    ramp = np.minimum(np.arange(1, size + 1), np.arange(size, 0, -1)) / (overlap + 1)
    return np.minimum(ramp, 1.0).astype(np.float32)


def style_texture(style: np.ndarray, shape: tuple[int, int], patch: int = 40,
                  overlap: int = 10, sigma: float = 2.0, seed: int = 0) -> np.ndarray:
    """(H, W) high-pass of the style's brightness, rearranged from random feathered patches."""
    return _patch_texture([(_high_pass(style, sigma), 1.0)], shape, patch, overlap, seed)


def _high_pass(style: np.ndarray, sigma: float) -> np.ndarray:
    """(h, w, 3) uint8 -> (h, w) float32: brightness minus its blur (the fine texture)."""
    luma = style.astype(np.float32) @ _LUMA / 255.0
    return luma - gaussian_filter(luma, sigma)


def _patch_texture(highs: Sequence[tuple[np.ndarray, float]], shape: tuple[int, int],
                   patch: int, overlap: int, seed: int) -> np.ndarray:
    """(H, W) texture of feathered patches, each cut from one of the (h, w) high-pass maps,
    chosen by weight; with one map, the same patches as ever for a seed."""
    patch = min(patch, *(n for high, _ in highs for n in high.shape))
    weights = np.array([w for _, w in highs], np.float64)
    weights = weights / weights.sum()
    rng = np.random.default_rng(seed)
    h, w = shape
    acc = np.zeros((h + patch, w + patch), np.float32)
    weight = np.zeros_like(acc)
    window = np.outer(_feather(patch, overlap), _feather(patch, overlap))
    step = max(1, patch - overlap)
    for top in range(-overlap, h, step):
        for left in range(-overlap, w, step):
            # Only a blend draws which painting a patch comes from: one style's texture
            # stays what it was for its seed.
            high = highs[rng.choice(len(highs), p=weights) if len(highs) > 1 else 0][0]
            sh, sw = high.shape
            y, x = rng.integers(0, sh - patch + 1), rng.integers(0, sw - patch + 1)
            t, l = max(top, 0), max(left, 0)
            cut_t, cut_l = t - top, l - left
            piece = (high[y:y + patch, x:x + patch] * window)[cut_t:, cut_l:]
            acc[t:t + piece.shape[0], l:l + piece.shape[1]] += piece
            weight[t:t + piece.shape[0], l:l + piece.shape[1]] += window[cut_t:, cut_l:]
    return (acc / np.maximum(weight, 1e-6))[:h, :w]


def pooled_pixels(styles: Sequence[tuple[np.ndarray, float]], count: int = 65536,
                  seed: int = 0) -> np.ndarray:
    """The styles' pixels pooled by weight, as a (n, 1, 3) uint8 'picture' to match
    histograms to: each style gives about count * its share of its pixels, drawn at random.
    One style is returned whole."""
    if len(styles) == 1:
        return styles[0][0]
    weights = np.array([w for _, w in styles], np.float64)
    weights = weights / weights.sum()
    rng = np.random.default_rng(seed)
    parts = []
    for (style, _), share in zip(styles, weights):
        pixels = style.reshape(-1, 3)
        n = int(round(count * share))
        if n:
            parts.append(pixels[rng.integers(0, len(pixels), n)])
    return np.concatenate(parts)[:, None, :]


def studio_filter(content: np.ndarray, style: np.ndarray, seed: int = 0,
                  radius: int = 5, q: float = 8.0, texture: float = 0.6) -> np.ndarray:
    """Magenta slot's offline stand-in: (H, W, 3) uint8 photo -> (H, W, 3) uint8 picture."""
    return studio_filter_blend(content, [(style, 1.0)], seed, radius, q, texture)


def studio_filter_blend(content: np.ndarray, styles: Sequence[tuple[np.ndarray, float]],
                        seed: int = 0, radius: int = 5, q: float = 8.0,
                        texture: float = 0.6) -> np.ndarray:
    """The studio filter in several weighted styles ((h, w, 3) uint8 each): the colours of
    all of them pooled by weight, the texture's patches drawn from each by weight."""
    photo = content.astype(np.float32) / 255.0
    # 1. The styles' colour statistics: per-channel RGB histogram match to the pooled pixels.
    reference = pooled_pixels(styles, seed=seed).astype(np.float32) / 255.0
    matched = match_histograms(photo, reference, channel_axis=-1)
    # 2. A quarter of the photo's own brightness contrast put back (faces stay readable).
    photo_luma, matched_luma = photo @ _LUMA, matched @ _LUMA
    contrast = (photo_luma - photo_luma.mean()) - (matched_luma - matched_luma.mean())
    matched = matched + 0.25 * contrast[..., None]
    # 3. Painterly abstraction.
    painted = kuwahara(np.clip(matched * 255, 0, 255).astype(np.uint8), radius, q)
    # 4. The styles' fine texture, each scaled like the photo, weaker across strong edges.
    h, w = content.shape[:2]
    highs = [(_high_pass(_scaled_like(style, (h, w)), 2.0), weight)
             for style, weight in styles]
    grain = _patch_texture(highs, (h, w), 40, 10, seed)
    edges = np.hypot(sobel(gaussian_filter(photo_luma, 1.5), 0),
                     sobel(gaussian_filter(photo_luma, 1.5), 1))
    calm = 1.0 - 0.7 * np.clip(edges / (np.percentile(edges, 95) + 1e-6), 0, 1)
    out = painted.astype(np.float32) / 255.0 + (texture * grain * calm)[..., None]
    return np.clip(np.rint(out * 255.0), 0, 255).astype(np.uint8)


def _scaled_like(style: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The style scaled so its long side is the photo's: brush marks at the photo's scale."""
    scale = max(shape) / max(style.shape[:2])
    return resize(style, (max(1, round(style.shape[0] * scale)),
                          max(1, round(style.shape[1] * scale))),
                  order=1, anti_aliasing=scale < 1, preserve_range=True)


def untrained_gatys(content: np.ndarray, style: np.ndarray, seconds: float = 35.0,
                    size: int = 192, progress: Callable | None = None,
                    should_stop: Callable[[], bool] | None = None):
    """Gatys slot's offline stand-in: GatysResult from random VGG-19 features (no weights)."""
    from models.gatys import run_gatys
    from models.settings import untrained_settings
    return run_gatys(content, [style], untrained_settings(seconds=seconds, size=size), None,
                     progress=progress, should_stop=should_stop)
