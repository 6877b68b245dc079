"""Load any picture a player or museum hands us as an (H, W, 3) uint8 RGB array.

Every failure becomes an ImageLoadError with a one-line message naming the file, so
the game can show it on screen instead of crashing. Nothing here mutates Pillow's
global settings: the pixel limit is enforced by reading the header size ourselves
before any pixel data is decoded. A file is refused by its name first when it is not
a format the game plays (game.image_formats), so every way in follows one rule.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import IO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from game.image_formats import FORMATS_FOR_HUMANS, PILLOW_FORMATS, unplayable_reason

DEFAULT_MAX_SIDE = 1024
DEFAULT_MAX_PIXELS = 40_000_000
# Gatys paints at a long side of 192-384 px (models.settings) and its deepest layers see the
# picture after four 2x2 poolings, at 1/16 of that: a short side under 16 px there leaves
# them no pixels at all and TensorFlow fails. 8:1 keeps the short side at 32 px at the usual
# 256 (24 px at the smallest size), and still admits a 1600x200 panorama.
MAX_ASPECT_RATIO = 8

# Raster formats only (game.image_formats). Left to itself Pillow also opens EPS (which runs
# Ghostscript), PSD, FITS and others we neither need nor want to expose to untrusted files.
# (Phone "MPO" JPEGs are opened by the JPEG plugin, so they need no entry.)
_ALLOWED_FORMATS = PILLOW_FORMATS

# Modes that carry an alpha channel; they are composited over white because a
# transparent background reads as "blank paper", not as black.
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


class ImageLoadError(Exception):
    """A picture could not be loaded; str(err) is one line fit to show a player."""

    def __init__(self, name: str, reason: str) -> None:
        # args stay (name, reason) so the error pickles across a worker process.
        super().__init__(_one_line(name), _one_line(reason))
        self.name: str = self.args[0]
        self.reason: str = self.args[1]

    def __str__(self) -> str:
        return f"Can't open the image '{self.name}': {self.reason}."


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
    _check_limits(max_side, max_pixels)
    name = os.fspath(path)
    with _open_image_file(name) as handle:
        return _decode(handle, name, max_side, max_pixels)


def load_rgb_bytes(
    data: bytes,
    name: str,
    max_side: int = DEFAULT_MAX_SIDE,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> np.ndarray:
    """Like load_rgb, for an image already in memory; name is only used in messages."""
    _check_limits(max_side, max_pixels)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageLoadError(name, f"expected image bytes, got {type(data).__name__}")
    if len(data) == 0:
        raise ImageLoadError(name, "the file is empty (0 bytes)")
    return _decode(io.BytesIO(data), name, max_side, max_pixels)


def probe_image(
    path: str | os.PathLike[str], max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[int, int]:
    """Cheaply check that a file looks like a loadable image; return its (width, height).

    Reads the header and lets Pillow verify the container (PNG chunk CRCs etc.) but
    does not decode pixels, so scanning a folder of large photos stays fast. A file
    that passes can still fail later in load_rgb (e.g. a truncated JPEG).
    """
    _check_limits(1, max_pixels)
    name = os.fspath(path)
    with _open_image_file(name) as handle:
        image = _open_checked(handle, name, max_pixels)
        with image:
            size = image.size
            try:
                image.verify()
            # Any exception from a plugin means "damaged"; callers need one error type.
            except Exception as exc:  # noqa: BLE001
                raise ImageLoadError(name, "the image data is damaged or incomplete") from exc
    return size


def _check_limits(max_side: int, max_pixels: int) -> None:
    if max_side < 1 or max_pixels < 1:
        raise ValueError(f"limits must be positive, got {max_side=} {max_pixels=}")


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


def _open_checked(handle: IO[bytes], name: str, max_pixels: int) -> Image.Image:
    """Open lazily (header only) and refuse oversized images before any decoding.

    Pillow's own global limit stays as it is; it may still print its
    DecompressionBombWarning for huge headers before our stricter check refuses them.
    """
    try:
        image = Image.open(handle, formats=_ALLOWED_FORMATS)
    except UnidentifiedImageError as exc:
        raise ImageLoadError(
            name, f"it is not a {FORMATS_FOR_HUMANS} image, or it is damaged"
        ) from exc
    # Pillow's own, larger bomb limit fired (or its warning was turned into an error).
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageLoadError(
            name, f"it is too large (the limit is {_megapixels(max_pixels)})"
        ) from exc
    # Plugins raise assorted types (SyntaxError, struct.error, ...) on bad headers.
    except Exception as exc:  # noqa: BLE001
        raise ImageLoadError(name, "the file is damaged or not a supported image") from exc

    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise ImageLoadError(name, "the image has no pixels")
    if width * height > max_pixels:
        image.close()
        raise ImageLoadError(
            name,
            f"it is too large ({width}x{height} = {_megapixels(width * height)}; "
            f"the limit is {_megapixels(max_pixels)})",
        )
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        image.close()
        raise ImageLoadError(
            name,
            f"it is too long and thin to paint ({width}x{height}; "
            f"at most {MAX_ASPECT_RATIO}:1 works)",
        )
    return image


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.1f} megapixels"


def _decode(handle: IO[bytes], name: str, max_side: int, max_pixels: int) -> np.ndarray:
    image = _open_checked(handle, name, max_pixels)
    with image:
        try:
            _request_draft(image, max_side)
            upright = _exif_upright(image)
            rgb = _to_rgb(upright)
            rgb = _shrink(rgb, max_side)
            pixels = np.array(rgb, dtype=np.uint8)  # (H, W, 3) uint8, writable copy
        except ImageLoadError:
            raise
        except MemoryError as exc:
            raise ImageLoadError(name, "there is not enough memory to load it") from exc
        # Truncated or corrupt data surfaces here as OSError, SyntaxError, zlib.error, ...
        except Exception as exc:  # noqa: BLE001
            raise ImageLoadError(name, "the image data is damaged or incomplete") from exc
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ImageLoadError(name, f"unexpected pixel layout {pixels.shape}")
    return pixels


def _request_draft(image: Image.Image, max_side: int) -> None:
    """Let the JPEG decoder scale down by 2/4/8 while decoding, to keep memory low.

    draft() never goes below the requested size, so the final resize still sets the
    exact size. Other formats ignore draft().
    """
    width, height = image.size
    long_side = max(width, height)
    if long_side <= max_side:
        return
    target = (max(1, width * max_side // long_side), max(1, height * max_side // long_side))
    image.draft(image.mode, target)


def _exif_upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    # Broken EXIF should not make an otherwise good photo unusable; show it unrotated.
    except Exception:  # noqa: BLE001
        return image


def _to_rgb(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode.startswith("I") or mode == "F":
        # Pillow's own I;16 -> L conversion clips at 255 (16-bit white -> 255 but
        # mid-grey -> 255 too), so rescale the full range ourselves.
        return _high_depth_to_grey(image).convert("RGB")
    if mode == "La":
        image = image.convert("LA")  # Pillow cannot go La -> RGBA directly
        mode = "LA"
    if mode in _ALPHA_MODES or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("RGB")
    return image.convert("RGB")


def _high_depth_to_grey(image: Image.Image) -> Image.Image:
    data = np.asarray(image)  # (H, W) uint16 / int32 / float32
    if data.dtype.kind == "f":
        values = np.nan_to_num(data.astype(np.float32), nan=0.0, posinf=255.0, neginf=0.0)
        # Float images are either 0..1 (most tools) or 0..255; the range tells which.
        if values.size and float(values.max()) <= 1.0:
            values = values * 255.0
        grey = np.clip(np.rint(values), 0, 255)
    else:
        # Pillow keeps 16-bit files in I;16* or (some TIFF/PNG paths) in I; both use
        # 0..65535, so map that range onto 0..255 with rounding.
        wide = np.clip(data, 0, 65535).astype(np.uint32)
        grey = (wide * 255 + 32767) // 65535
    return Image.fromarray(grey.astype(np.uint8))  # (H, W) uint8, mode L


def _shrink(image: Image.Image, max_side: int) -> Image.Image:
    width, height = image.size
    long_side = max(width, height)
    if long_side <= max_side:
        return image
    size = (
        max(1, round(width * max_side / long_side)),
        max(1, round(height * max_side / long_side)),
    )
    # reducing_gap does a cheap integer reduce() first, then LANCZOS for quality.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _one_line(text: str) -> str:
    # Newlines in a (hostile or odd) file name must not break a one-line message.
    return "".join(ch if ch.isprintable() else " " for ch in str(text))
