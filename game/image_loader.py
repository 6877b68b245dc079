"""Load any picture a player or museum hands us as an (H, W, 3) uint8 RGB array.

Every failure becomes an ImageLoadError with a one-line message naming the file, so
the game can show it on screen instead of crashing. Nothing here mutates Pillow's
global settings: the pixel limit is enforced by reading the header size ourselves
before any pixel data is decoded. A file is refused by its name first when it is not
a format the game plays (game.image_formats), so every way in follows one rule.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np

from game.image_formats import FORMATS_FOR_HUMANS, PILLOW_FORMATS, unplayable_reason
# The decoding itself lives in models.safe_image, which the render farm shares (models/
# never imports game/); ImageLoadError and the limits below stay this module's API.
from models.safe_image import (DEFAULT_MAX_PIXELS, DEFAULT_MAX_SIDE,  # noqa: F401
                               MAX_ASPECT_RATIO, Formats, ImageLoadError, check_limits,
                               decode, decode_bytes, open_checked)

# The game's one format rule (game.image_formats), handed to the shared decoder. (Phone
# "MPO" JPEGs are opened by the JPEG plugin, so they need no entry.)
GAME_FORMATS = Formats(PILLOW_FORMATS, FORMATS_FOR_HUMANS)


def _open_image_file(name: str):
    """A regular, non-empty file of a played format, opened; ImageLoadError says why not."""
    refusal = unplayable_reason(name)
    if refusal is not None:
        raise ImageLoadError(name, refusal)
    _require_regular_nonempty_file(Path(name), name)
    try:
        return open(name, "rb")
    except OSError as exc:
        raise ImageLoadError(name, _os_error_reason(exc)) from exc


def load_rgb(
    path: str | os.PathLike[str],
    max_side: int = DEFAULT_MAX_SIDE,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """Read an image file as (H, W, 3) uint8 with its long side at most max_side.

    Raises ImageLoadError for anything wrong with the file (and ValueError only for
    nonsensical limits, which is a programming error, not a bad file).
    """
    check_limits(max_side, max_pixels)
    name = os.fspath(path)
    with _open_image_file(name) as handle:
        return decode(handle, name, max_side, max_pixels, GAME_FORMATS)


def load_rgb_bytes(
    data: bytes,
    name: str,
    max_side: int = DEFAULT_MAX_SIDE,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """Like load_rgb, for an image already in memory; name is only used in messages."""
    return decode_bytes(data, name, max_side, max_pixels, GAME_FORMATS)


def probe_image(
    path: str | os.PathLike[str], max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[int, int]:
    """Cheaply check that a file looks like a loadable image; return its (width, height).

    Reads the header and lets Pillow verify the container (PNG chunk CRCs etc.) but
    does not decode pixels, so scanning a folder of large photos stays fast. A file
    that passes can still fail later in load_rgb (e.g. a truncated JPEG).
    """
    check_limits(1, max_pixels)
    name = os.fspath(path)
    with _open_image_file(name) as handle:
        image = open_checked(handle, name, max_pixels, GAME_FORMATS)
        with image:
            size = image.size
            try:
                image.verify()
            # Any exception from a plugin means "damaged"; callers need one error type.
            except Exception as exc:  # noqa: BLE001
                raise ImageLoadError(name, "the image data is damaged or incomplete") from exc
    return size


def _require_regular_nonempty_file(path: Path, name: str) -> None:
    try:
        info = path.stat()
    # ValueError: e.g. an embedded NUL byte in a path typed into a config file.
    except (OSError, ValueError) as exc:
        raise ImageLoadError(name, _os_error_reason(exc)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise ImageLoadError(name, "it is a folder, not an image file")
    if not stat.S_ISREG(info.st_mode):
        # FIFOs and devices could block forever on read.
        raise ImageLoadError(name, "it is not a regular file")
    if info.st_size == 0:
        raise ImageLoadError(name, "the file is empty (0 bytes)")


def _os_error_reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "the file does not exist"
    if isinstance(exc, PermissionError):
        return "permission to read the file was denied"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not an image file"
    detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"the file could not be read ({detail})"
