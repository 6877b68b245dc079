"""Which picture files the game plays: one rule for every way a picture comes in.

Collection folders (content_dirs, style_dirs), --content/--style, a file dropped on the
window or typed into the load prompt, and so the picker too, all go through this table: a
picture that plays when dropped also plays from a folder, and one refused is refused
everywhere with the same reason. The rule is the file name's ending, checked before any
byte is read, so a folder scan can tell staff about every file it leaves out; the loader
then still checks that the contents really are one of these formats.

GIF plays (its first frame, if animated): Pillow decodes it like any other raster. SVG does
not: it is a drawing made of shapes, not pixels, and turning it into pixels needs a
renderer the game does not ship, so staff are told to export it as PNG.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType


@dataclass(frozen=True)
class ImageFormat:
    pillow_name: str                # the name Pillow's Image.open(formats=...) knows it by
    label: str                      # the name players know it by
    suffixes: tuple[str, ...]       # file name endings, lower case


IMAGE_FORMATS = (
    ImageFormat("PNG", "PNG", (".png",)),
    ImageFormat("JPEG", "JPEG", (".jpg", ".jpeg")),
    ImageFormat("WEBP", "WebP", (".webp",)),
    ImageFormat("BMP", "BMP", (".bmp",)),
    ImageFormat("TIFF", "TIFF", (".tif", ".tiff")),
    ImageFormat("GIF", "GIF", (".gif",)),
)
PILLOW_FORMATS = tuple(image_format.pillow_name for image_format in IMAGE_FORMATS)
ACCEPTED_SUFFIXES = frozenset(suffix for image_format in IMAGE_FORMATS
                              for suffix in image_format.suffixes)
_LABELS = [image_format.label for image_format in IMAGE_FORMATS]
FORMATS_FOR_HUMANS = ", ".join(_LABELS[:-1]) + " or " + _LABELS[-1]
_SUFFIXES = [suffix for image_format in IMAGE_FORMATS for suffix in image_format.suffixes]
_SUFFIXES_FOR_HUMANS = ", ".join(_SUFFIXES[:-1]) + " or " + _SUFFIXES[-1]

# Picture files people often have that the game cannot paint from, with what to do instead.
_EXPORT_SVG = "SVG is a drawing made of shapes, not pixels: export it as PNG first"
_KNOWN_UNPLAYABLE = MappingProxyType({
    ".svg": _EXPORT_SVG,
    ".svgz": _EXPORT_SVG,
    ".heic": "HEIC photos can't be read here: export it as JPEG first",
    ".heif": "HEIF photos can't be read here: export it as JPEG first",
})


def unplayable_reason(name: str | os.PathLike[str]) -> str | None:
    """Why a file with this name is refused, or None when its ending is a played format."""
    suffix = PurePath(name).suffix.lower()
    if suffix in ACCEPTED_SUFFIXES:
        return None
    known = _KNOWN_UNPLAYABLE.get(suffix)
    if known is not None:
        return known
    # Said as the rule it is, so the fix is plain: a photo saved without an ending, or as
    # "holiday.jpg.txt", only needs renaming.
    return f"its name does not end in {_SUFFIXES_FOR_HUMANS}"
