"""The content restyled in the style's colours: the scene a plan aims at."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
from skimage.color import lab2rgb, rgb2lab
from skimage.exposure import match_histograms

from game.bot.fields import _tensor
from game.bot.images import _as_rgb, _fit_long_side, _resize
from game.bot.palette import PALETTE_SIZE, Palette, _palette, _snap
from game.bot.tone import Tone, tone_for

ANALYSIS_SIDE = 320      # long side of the analysis grid: keeps planning well under a second
TONE_KEEP = 0.35         # share of the content's own lightness kept after matching the style
MAX_CHROMA_GAIN = 2.0    # most a nearly grey photo's colour spread is stretched


@dataclass(frozen=True)
class Scene:
    """Everything planning needs, on the analysis grid.

    Colours are in planning Lab (``tone``: lightness stretched to a common spread), except
    ``palette.rgb``, the true colours the strokes are painted with.
    """
    canvas_size: tuple[int, int]    # (w, h) canvas px
    scale: float                    # canvas px per analysis px
    rgb: np.ndarray                 # (h, w, 3) ``lab`` as RGB 0..1 (for SLIC), clipped to gamut
    lab: np.ndarray                 # (h, w, 3) style-matched content, planning Lab
    tensor: np.ndarray              # (h, w, 3) unsmoothed structure tensor gx², gy², gx·gy
    edges: np.ndarray               # (h, w) colour gradient magnitude of ``lab``
    palette: Palette                # true rgb; lab and glazed looks in planning Lab
    tone: Tone                      # true Lab -> planning Lab


def _styled(content: np.ndarray, style: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Content (h, w, 3) float RGB in the style's colours -> (RGB 0..1, Lab), in gamut.

    Lightness is histogram-matched to the style (its light/dark balance), with some of the
    content's own lightness mixed back in: a dark style would otherwise squash a face and the
    sky behind it into one mid tone. Chroma (a, b) is moved to the style's mean and spread
    instead of rank-matched: rank matching would blow the faint colour noise of a greyish
    photo up into the style's full range of hues.
    """
    src, ref = rgb2lab(content), rgb2lab(style)
    out = np.empty_like(src)
    light = match_histograms(src[..., 0], ref[..., 0])
    out[..., 0] = light + TONE_KEEP * (src[..., 0] - light)
    for ch in (1, 2):
        spread = src[..., ch].std()
        gain = min(ref[..., ch].std() / max(spread, 1e-6), MAX_CHROMA_GAIN)
        out[..., ch] = (src[..., ch] - src[..., ch].mean()) * gain + ref[..., ch].mean()
    with warnings.catch_warnings():     # the shifted colours can leave the gamut:
        warnings.simplefilter("ignore")  # clipping back into it is the point here
        rgb = np.clip(lab2rgb(out), 0.0, 1.0)
    return rgb, rgb2lab(rgb)


def _scene(content_rgb, style_rgb, canvas_size: tuple[int, int], seed: int = 0) -> Scene:
    """Resize, colour-match and palette a content/style pair for a (w, h) canvas."""
    w, h = canvas_size
    grid = _fit_long_side((h, w), ANALYSIS_SIDE)
    content = _resize(_as_rgb(content_rgb), grid)
    style = _as_rgb(style_rgb)
    style = _resize(style, _fit_long_side(style.shape[:2], ANALYSIS_SIDE))
    _, true_lab = _styled(content, style)
    tone = tone_for(true_lab[..., 0])
    lab = tone.stretch(true_lab)
    with warnings.catch_warnings():     # a stretched light or dark can leave the gamut
        warnings.simplefilter("ignore")
        rgb = np.clip(lab2rgb(lab), 0.0, 1.0)
    palette = _palette(style_rgb, PALETTE_SIZE, seed)
    palette = replace(palette, lab=tone.stretch(palette.lab), glazed=tone.stretch(palette.glazed))
    tensor = _tensor(lab)
    return Scene(canvas_size=(w, h), scale=w / grid[1], rgb=rgb, lab=lab, tensor=tensor,
                 edges=np.sqrt(tensor[..., 0] + tensor[..., 1]) / 8.0,   # Sobel gain is 8
                 palette=palette, tone=tone)


def style_target(content_rgb, style_rgb, canvas_size: tuple[int, int], seed: int = 0):
    """What the plan aims at: the content in the style's palette, (h, w, 3) uint8 canvas size."""
    scene = _scene(content_rgb, style_rgb, canvas_size, seed)
    snapped = scene.palette.rgb[_snap(scene.lab, scene.palette.lab)]     # (gh, gw, 3) uint8
    w, h = canvas_size
    rows = np.minimum((np.arange(h) / scene.scale).astype(int), snapped.shape[0] - 1)
    cols = np.minimum((np.arange(w) / scene.scale).astype(int), snapped.shape[1] - 1)
    return snapped[rows[:, None], cols[None, :]]
