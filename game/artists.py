"""Artist rounds: several famous paintings by one artist played as one style.

An artist is a virtual catalogue item (ArtistStyle, id 'artist:<slug>') made from the
famous-painting collection: a Round, a pair key, the store's style id and the contact sheet
take it as they take a single painting. Players and the paint scene see a mosaic of its
paintings (mosaic); only the NST machines get the paintings themselves, weighted equally
(game.services.ImageCache.style_inputs), so both engines paint in all of them at once.
No pygame here.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from game.catalogue import ARTIST_ID_PREFIX, MASTERPIECES, ArtItem

ARTISTS = "artists"              # the picker's group for artists, shown before the paintings
MIN_PAINTINGS = 2                # one painting is a single round, not an artist
MOSAIC_SIZE = (960, 640)         # (w, h): the setup slot's shape, ample for the references
MOSAIC_GAP = 4                   # px of dark between the paintings, so each reads as one
_GAP_COLOUR = (24, 24, 28)
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class ArtistStyle(ArtItem):
    """An artist's paintings as one style. `path` is the first painting's (anything that
    opens the file gets a real picture); `title` is the English 'Vincent van Gogh (5
    paintings)' the leaderboard stores; players read catalogue.shown's translation."""

    members: tuple[ArtItem, ...] = ()

    def group(self) -> str:
        return ARTISTS


def is_artist(item: object) -> bool:
    return isinstance(item, ArtistStyle)


def artist_slug(name: str) -> str:
    """'Vincent van Gogh' -> 'vincent-van-gogh' (accents folded, so ids stay plain)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "artist"


def year_span(members: Sequence[ArtItem]) -> str:
    """'1888–1890' from the members' years ('c. 1889' counts as 1889); '' if none has one."""
    years = sorted(int(y) for item in members for y in _YEAR.findall(item.year))
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def group_by_artist(items: Sequence[ArtItem],
                    min_paintings: int = MIN_PAINTINGS) -> list[ArtistStyle]:
    """Every artist with at least min_paintings famous paintings, most paintings first.

    Only the famous collection counts: studio styles share one made-up 'artist', and a
    museum's or player's folder names no painter at all."""
    by_artist: dict[str, list[ArtItem]] = {}
    for item in items:
        if item.kind == "style" and item.group() == MASTERPIECES:
            by_artist.setdefault(item.artist, []).append(item)
    artists = [make_artist(name, members) for name, members in by_artist.items()
               if len(members) >= min_paintings]
    # Stable for equal counts: catalogue order, which the tests and the picker rely on.
    return sorted(artists, key=lambda artist: -len(artist.members))


def make_artist(name: str, members: Sequence[ArtItem]) -> ArtistStyle:
    first = members[0]
    return ArtistStyle(
        id=f"{ARTIST_ID_PREFIX}{artist_slug(name)}", kind="style", path=first.path,
        title=f"{name} ({len(members)} paintings)", artist=name, year=year_span(members),
        licence="; ".join(sorted({item.licence for item in members})),
        source=" ".join(item.source for item in members), collection=ARTISTS,
        members=tuple(members))


def mosaic(arrays: Sequence[np.ndarray], size: tuple[int, int] = MOSAIC_SIZE) -> np.ndarray:
    """The paintings (each (h, w, 3) uint8) tiled into one (size[1], size[0], 3) uint8 picture:
    round(sqrt(n)) rows sharing the paintings as evenly as they can, each painting centre-
    cropped to its cell, never stretched."""
    width, height = size
    out = np.empty((height, width, 3), np.uint8)
    out[:] = _GAP_COLOUR
    if not arrays:
        return out
    rows = max(1, round(math.sqrt(len(arrays))))
    counts = [len(arrays) // rows + (1 if r < len(arrays) % rows else 0) for r in range(rows)]
    index = 0
    for r, count in enumerate(counts):
        top, bottom = _edges(height, rows, r)
        for c in range(count):
            left, right = _edges(width, count, c)
            out[top:bottom, left:right] = _cover(arrays[index], right - left, bottom - top)
            index += 1
    return out


def _edges(length: int, parts: int, i: int) -> tuple[int, int]:
    """Start and end of part i of `length` split in `parts`, a gap between neighbours."""
    start = round(i * length / parts) + (MOSAIC_GAP // 2 if i else 0)
    end = round((i + 1) * length / parts) - (MOSAIC_GAP // 2 if i < parts - 1 else 0)
    return start, max(start + 1, end)


def _cover(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """(h, w, 3) uint8 -> (height, width, 3) uint8: centre crop to the aspect, then Lanczos."""
    h, w = image.shape[:2]
    scale = max(width / w, height / h)
    crop_w, crop_h = min(w, round(width / scale)), min(h, round(height / scale))
    left, top = (w - crop_w) // 2, (h - crop_h) // 2
    piece = Image.fromarray(np.ascontiguousarray(image[top:top + crop_h, left:left + crop_w]))
    return np.asarray(piece.resize((width, height), Image.Resampling.LANCZOS), np.uint8)
