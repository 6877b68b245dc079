"""A picture made elsewhere (on paper, in another app) as the player's attempt.

It comes in through the one loader every picture uses (game.image_loader: the same format
rule, limits and one-line messages naming the file), then is fitted to the canvas the player
would have painted on: a centre cover-crop to the canvas's aspect, then a Lanczos resize, so
the scorer compares it with the machines' pictures exactly as it would a painting.
No pygame here: the scene shows what this returns.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
from PIL import Image

from game.i18n import Msg
from game.image_loader import ImageLoadError, load_rgb

# Aspects closer than this are fitted without telling the player: a sliver of a few pixels.
CROP_NOTE_TOLERANCE = 0.02


class AttemptError(ImageLoadError):
    """The picture cannot be an attempt; str(err) is one line naming the file."""


@dataclass(frozen=True)
class Attempt:
    image: np.ndarray           # (h, w, 3) uint8, exactly the canvas size
    note: Msg | None            # what fitting did that the player should know, or None
    source: str                 # the file it came from, as the player gave it


def cover_box(width: int, height: int, aspect: float) -> tuple[int, int, int, int]:
    """The largest centred (left, top, right, bottom) box of width:height = aspect."""
    if width / height > aspect:              # too wide: trim the sides
        crop_w = max(1, round(height * aspect))
        left = (width - crop_w) // 2
        return left, 0, left + crop_w, height
    crop_h = max(1, round(width / aspect))   # too tall: trim top and bottom
    top = (height - crop_h) // 2
    return 0, top, width, top + crop_h


def fit_to_canvas(image: np.ndarray, canvas_size: tuple[int, int]) -> tuple[np.ndarray, bool]:
    """(h, w, 3) uint8 -> (canvas h, canvas w, 3) uint8, and whether a visible part was cut."""
    width, height = canvas_size
    aspect = width / height
    src_h, src_w = image.shape[:2]
    cropped = abs((src_w / src_h) / aspect - 1.0) > CROP_NOTE_TOLERANCE
    picture = Image.fromarray(image).crop(cover_box(src_w, src_h, aspect))
    fitted = picture.resize((width, height), Image.Resampling.LANCZOS)
    return np.asarray(fitted, dtype=np.uint8).copy(), cropped


def load_attempt(path: str | os.PathLike[str], canvas_size: tuple[int, int]) -> Attempt:
    """Load a player's picture and fit it to canvas_size (w, h); AttemptError says why not."""
    name = os.fspath(path)
    try:
        # Decoded no larger than a crop of the canvas needs: a phone photo stays small.
        image = load_rgb(os.path.expanduser(name), max_side=max(2048, 3 * max(canvas_size)))
    except ImageLoadError as exc:
        raise AttemptError(exc.name, exc.reason) from exc
    fitted, cropped = fit_to_canvas(image, canvas_size)
    return Attempt(fitted, Msg("attempt.cropped") if cropped else None, name)
