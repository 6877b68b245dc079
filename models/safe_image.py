"""Decode untrusted picture bytes into an (H, W, 3) uint8 RGB array, or say in one line why not.

The core of the game's safe loader (game.image_loader adds files, names and its format
table) in a place the render farm (models.farm) can use too: models/ never imports game/,
and a farm that decodes uploads from a museum network needs the same defences. Pure
Pillow and numpy: no TensorFlow, no pygame. Nothing here mutates Pillow's global settings:
the pixel limit is enforced by reading the header size ourselves before any pixel data is
decoded, and only the raster formats the caller names are opened at all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_SIDE = 1024
DEFAULT_MAX_PIXELS = 40_000_000
# Gatys paints at a long side of 192-384 px (models.settings) and its deepest layers see the
# picture after four 2x2 poolings, at 1/16 of that: a short side under 16 px there leaves
# them no pixels at all and TensorFlow fails. 8:1 keeps the short side at 32 px at the usual
# 256 (24 px at the smallest size), and still admits a 1600x200 panorama.
MAX_ASPECT_RATIO = 8
# Left to itself Pillow also opens EPS (which runs Ghostscript), PSD, FITS and others we
# neither need nor want to expose to untrusted bytes: callers name the formats they play.
RASTER_FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF")

# Modes that carry an alpha channel; they are composited over white because a
# transparent background reads as "blank paper", not as black.
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})


@dataclass(frozen=True)
class Formats:
    """Which Pillow formats may be opened, and how a refusal names them to a person."""
    pillow_names: tuple[str, ...] = RASTER_FORMATS
    for_humans: str = "PNG, JPEG, WebP, BMP, TIFF or GIF"


class ImageLoadError(Exception):
    """A picture could not be loaded; str(err) is one line fit to show a player."""

    def __init__(self, name: str, reason: str) -> None:
        # args stay (name, reason) so the error pickles across a worker process.
        super().__init__(_one_line(name), _one_line(reason))
        self.name: str = self.args[0]
        self.reason: str = self.args[1]

    def __str__(self) -> str:
        return f"Can't open the image '{self.name}': {self.reason}."


def check_limits(max_side: int, max_pixels: int) -> None:
    if max_side < 1 or max_pixels < 1:
        raise ValueError(f"limits must be positive, got {max_side=} {max_pixels=}")


def decode_bytes(data: bytes, name: str, max_side: int = DEFAULT_MAX_SIDE,
                 max_pixels: int = DEFAULT_MAX_PIXELS, formats: Formats = Formats()) -> np.ndarray:
    """Picture bytes -> (H, W, 3) uint8, long side at most max_side; ImageLoadError says why not.

    name is only used in messages (a file name, or "the content upload").
    """
    check_limits(max_side, max_pixels)
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageLoadError(name, f"expected image bytes, got {type(data).__name__}")
    if len(data) == 0:
        raise ImageLoadError(name, "the file is empty (0 bytes)")
    return decode(io.BytesIO(data), name, max_side, max_pixels, formats)


def open_checked(handle: IO[bytes], name: str, max_pixels: int,
                 formats: Formats = Formats()) -> Image.Image:
    """Open lazily (header only) and refuse oversized images before any decoding.

    Pillow's own global limit stays as it is; it may still print its
    DecompressionBombWarning for huge headers before our stricter check refuses them.
    """
    try:
        image = Image.open(handle, formats=formats.pillow_names)
    except UnidentifiedImageError as exc:
        raise ImageLoadError(
            name, f"it is not a {formats.for_humans} image, or it is damaged"
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


def decode(handle: IO[bytes], name: str, max_side: int, max_pixels: int,
           formats: Formats = Formats()) -> np.ndarray:
    """An open binary stream -> (H, W, 3) uint8; ImageLoadError for anything wrong with it."""
    image = open_checked(handle, name, max_pixels, formats)
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
