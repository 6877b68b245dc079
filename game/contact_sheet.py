"""The party's contact sheet: one PNG of every round, for the host's "Save the party".

The sheet is drawn onto a plain Surface (no display needed) at a fixed width and a height
that grows with the party: a header with the final standings, then one band per round in
which every distinct content/style pair shows its two machine answers once, followed by
the paintings of everyone who painted that pair. Every word comes from the catalogue
(`[contact_sheet]`); names and painting titles are data, shown as they are once made
printable (a title from a file name that is not UTF-8 would stop pygame's fonts). A machine
answer is named for the engine that made it (game/ui/engine_names.py), so an offline
stand-in's picture is never captioned "Magenta" or "Gatys".
"""
from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame
from PIL import Image

from game.file_names import display_text
from game.files import fsync_folder, make_folder, new_temp_file
from game.i18n import Strings, Text
from game.services import array_to_surface, fit_surface
from game.ui.engine_names import short_name

log = logging.getLogger(__name__)

SHEET_WIDTH = 1600
# Image viewers and some GPUs refuse pictures much taller than this; past it the
# thumbnails shrink instead of the sheet growing.
MAX_HEIGHT = 16000
THUMB_SIZE = (200, 150)        # the box a picture is fitted into, at full size
MIN_THUMB_WIDTH = 80           # below this a painting is no longer recognisable
MARGIN = 32
GAP = 16                       # between tiles, pair panels and shelves of panels
PANEL_PAD = 12                 # inside a pair's panel
BAND_GAP = 28                  # between rounds
FRAME = 3                      # the player-coloured frame around a painting
STANDING_COLUMNS = 4
TEMP_SUFFIX = ".png.tmp"
# Names are built from a date or a title; keep only what every file system accepts.
_UNSAFE_NAME = re.compile(r"[^\w\-. ]+")

BACKGROUND = (22, 22, 28)
PANEL = (34, 35, 43)
CARD = (48, 50, 61)
NO_PICTURE = (60, 60, 66)      # the same grey card the image cache shows for unreadable art
TEXT = (242, 237, 228)
TEXT_DIM = (158, 155, 150)
ACCENT = (232, 176, 74)


# eq=False: fields hold numpy arrays, whose == is elementwise and cannot decide equality.
@dataclass(frozen=True, eq=False)
class SheetCell:
    """One player's turn in one round, and the machine answers for the pair they painted."""

    player: str
    colour: tuple[int, int, int]
    painting: np.ndarray | None        # (H, W, 3) uint8; None if nothing was kept
    score: float | None                # None when scoring failed or never ran
    content_title: str
    style_title: str
    magenta: np.ndarray | None
    gatys: np.ndarray | None
    pair_key: str                      # cells with the same key share one pair of answers
    # What made each answer in a word or two (machine_answers); None: the engine's own name.
    magenta_name: Text | None = None
    gatys_name: Text | None = None
    uploaded: bool = False             # a picture the player brought: "(uploaded)" by the name


@dataclass(frozen=True)
class SheetRound:
    index: int                         # the round's number as players saw it, from 1
    cells: list[SheetCell]


@dataclass(frozen=True)
class SheetStanding:
    name: str
    colour: tuple[int, int, int]
    total: float
    rank: int
    tied: bool                         # shares its rank with someone: shown as "=1"


@dataclass(frozen=True)
class PartySheet:
    title: str                         # data, e.g. the party's date; shown as it is
    rounds: list[SheetRound]
    standings: list[SheetStanding]


@dataclass(frozen=True)
class SheetFonts:
    title: pygame.font.Font
    heading: pygame.font.Font
    body: pygame.font.Font
    small: pygame.font.Font

    @classmethod
    def default(cls) -> SheetFonts:
        # pygame's bundled font has the Romanian letters (ș ț with the comma below).
        if not pygame.font.get_init():
            pygame.font.init()
        return cls(title=pygame.font.Font(None, 64), heading=pygame.font.Font(None, 44),
                   body=pygame.font.Font(None, 28), small=pygame.font.Font(None, 22))


@dataclass(frozen=True, eq=False)
class _Group:
    """One pair within a round: its caption, answers, and the cells of who painted it."""

    caption: str
    magenta: np.ndarray | None
    gatys: np.ndarray | None
    cells: tuple[SheetCell, ...]
    magenta_name: str = ""
    gatys_name: str = ""

    @property
    def tiles(self) -> int:
        return 2 + len(self.cells)


@dataclass(frozen=True, eq=False)
class _Tile:
    picture: np.ndarray | None
    label: str                         # a machine's name, or the player's
    colour: tuple[int, int, int]
    score: str | None                  # None for the machines' answers, which are not scored


@dataclass(frozen=True)
class _Metrics:
    """Sizes that depend on the thumbnail width, so the whole layout can be redone smaller."""

    thumb: tuple[int, int]
    tile_height: int
    caption_height: int
    content_width: int

    def columns(self, tiles: int) -> int:
        room = self.content_width - 2 * PANEL_PAD + GAP
        return max(1, min(tiles, room // (self.thumb[0] + GAP)))

    def group_size(self, group: _Group) -> tuple[int, int]:
        columns = self.columns(group.tiles)
        rows = math.ceil(group.tiles / columns)
        width = 2 * PANEL_PAD + columns * self.thumb[0] + (columns - 1) * GAP
        height = (2 * PANEL_PAD + self.caption_height
                  + rows * self.tile_height + (rows - 1) * GAP)
        return width, height


@dataclass(frozen=True)
class _Band:
    label: str
    top: int
    panels: tuple[tuple[_Group, pygame.Rect], ...]


@dataclass(frozen=True)
class _Layout:
    metrics: _Metrics
    header_height: int
    bands: tuple[_Band, ...]
    height: int


def render_contact_sheet(sheet: PartySheet, strings: Strings,
                         fonts: SheetFonts | None = None) -> pygame.Surface:
    """The whole party as one Surface, SHEET_WIDTH wide and at most MAX_HEIGHT tall.

    Missing pictures become grey "no picture" cards and missing scores read "no score",
    so a party where a machine failed still saves.
    """
    fonts = fonts or SheetFonts.default()
    rounds = [(strings.get("contact_sheet.round", number=r.index), _groups(r, strings))
              for r in sheet.rounds]
    layout = _fit_layout(rounds, sheet, fonts)
    surface = pygame.Surface((SHEET_WIDTH, layout.height))
    surface.fill(BACKGROUND)
    _draw_header(surface, sheet, strings, fonts)
    for band in layout.bands:
        surface.blit(fonts.heading.render(band.label, True, ACCENT), (MARGIN, band.top))
        for group, rect in band.panels:
            _draw_group(surface, group, rect, layout.metrics, strings, fonts)
    return surface


def machine_answers(round_) -> dict:
    """A SheetCell's machine fields from a painted Round (None: nothing was painted): each
    slot's picture and the one name for what ran in it (a stand-in by its own name)."""
    slots = round_.slots if round_ is not None else {}
    answers: dict = {}
    for engine in ("magenta", "gatys"):
        slot = slots.get(engine)
        answers[engine] = slot.image if slot is not None else None
        answers[f"{engine}_name"] = short_name(slot) if slot is not None else None
    return answers


def save_contact_sheet(surface: pygame.Surface, folder: Path, stem: str) -> Path:
    """Write surface as <folder>/<stem>.png (or <stem>-2.png, ... if taken); the path written.

    Written under a hidden temp name, fsynced, then renamed, so a crash or a full disk
    never leaves half a PNG under the final name. Raises OSError naming the folder.
    """
    folder = Path(folder)
    stem = _safe_stem(stem)
    try:
        make_folder(folder)
        handle, temp = new_temp_file(folder, prefix=f".{stem}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise _save_error(folder, exc) from exc
    try:
        with handle as file:
            pixels = pygame.image.tobytes(surface, "RGB")
            Image.frombytes("RGB", surface.get_size(), pixels).save(file, format="PNG")
            file.flush()
            os.fsync(file.fileno())
        final = _free_name(folder, stem)
        os.replace(temp, final)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _save_error(folder, exc) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    return final


# --- layout ---------------------------------------------------------------------------


def _groups(sheet_round: SheetRound, strings: Strings) -> list[_Group]:
    """Cells grouped by pair, in the order the pairs first appear (that is the play order)."""
    by_key: dict[str, list[SheetCell]] = {}
    for cell in sheet_round.cells:
        by_key.setdefault(cell.pair_key, []).append(cell)
    groups = []
    for cells in by_key.values():
        first = cells[0]
        untitled = strings.get("contact_sheet.untitled")
        caption = strings.get("contact_sheet.pair", content=first.content_title or untitled,
                              style=first.style_title or untitled)
        # Any cell may carry the answers: the first turn's machines may have failed while a
        # later turn of the same pair got them from the cache. The name comes with the picture.
        answers = [_answer(cells, engine, strings) for engine in ("magenta", "gatys")]
        groups.append(_Group(caption, answers[0][0], answers[1][0], tuple(cells),
                             answers[0][1], answers[1][1]))
    return groups


def _answer(cells: list[SheetCell], engine: str, strings: Strings
            ) -> tuple[np.ndarray | None, str]:
    """One engine's picture for a pair and the name of what made it, in the sheet's language."""
    source = next((c for c in cells if getattr(c, engine) is not None), cells[0])
    name = getattr(source, f"{engine}_name")
    return (getattr(source, engine),
            strings(name) if name is not None else strings.get(f"contact_sheet.{engine}"))


def _metrics(thumb_width: int, fonts: SheetFonts) -> _Metrics:
    thumb = (thumb_width, round(thumb_width * THUMB_SIZE[1] / THUMB_SIZE[0]))
    # Below the picture: the name (body) and the score (small).
    tile_height = (thumb[1] + FRAME + 4 + fonts.body.get_linesize()
                   + fonts.small.get_linesize())
    return _Metrics(thumb, tile_height, fonts.body.get_linesize() + 6,
                    SHEET_WIDTH - 2 * MARGIN)


def _header_height(sheet: PartySheet, fonts: SheetFonts) -> int:
    height = MARGIN + fonts.title.get_linesize() + fonts.body.get_linesize()
    if sheet.standings:
        rows = math.ceil(len(sheet.standings) / STANDING_COLUMNS)
        height += GAP + fonts.heading.get_linesize() + rows * (fonts.body.get_linesize() + 6)
    return height + BAND_GAP


def _layout(rounds: Sequence[tuple[str, list[_Group]]], sheet: PartySheet,
            fonts: SheetFonts, thumb_width: int) -> _Layout:
    metrics = _metrics(thumb_width, fonts)
    header = _header_height(sheet, fonts)
    top = header
    bands = []
    right = SHEET_WIDTH - MARGIN
    for label, groups in rounds:
        y = top + fonts.heading.get_linesize() + 8
        x, shelf = MARGIN, 0
        panels = []
        # Shelf packing: panels run left to right and wrap; a panel is never split.
        for group in groups:
            width, height = metrics.group_size(group)
            if x > MARGIN and x + width > right:
                x, y, shelf = MARGIN, y + shelf + GAP, 0
            panels.append((group, pygame.Rect(x, y, width, height)))
            x += width + GAP
            shelf = max(shelf, height)
        bands.append(_Band(label, top, tuple(panels)))
        top = y + shelf + BAND_GAP
    return _Layout(metrics, header, tuple(bands), top - BAND_GAP + MARGIN)


def _fit_layout(rounds: Sequence[tuple[str, list[_Group]]], sheet: PartySheet,
                fonts: SheetFonts) -> _Layout:
    """The layout at full thumbnail size, or the largest smaller size that fits MAX_HEIGHT."""
    width = THUMB_SIZE[0]
    layout = _layout(rounds, sheet, fonts, width)
    while layout.height > MAX_HEIGHT and width > MIN_THUMB_WIDTH:
        width = max(MIN_THUMB_WIDTH, int(width * 0.9))
        layout = _layout(rounds, sheet, fonts, width)
    if layout.height > MAX_HEIGHT:
        log.warning("contact sheet is %d px tall even with %d px thumbnails",
                    layout.height, width)
    return layout


# --- drawing --------------------------------------------------------------------------


def _draw_header(surface: pygame.Surface, sheet: PartySheet, strings: Strings,
                 fonts: SheetFonts) -> None:
    width = SHEET_WIDTH - 2 * MARGIN
    y = MARGIN
    heading = _fit_text(fonts.title, strings.get("contact_sheet.heading"), width)
    surface.blit(fonts.title.render(heading, True, ACCENT), (MARGIN, y))
    y += fonts.title.get_linesize()
    surface.blit(fonts.body.render(_fit_text(fonts.body, sheet.title, width), True, TEXT_DIM),
          (MARGIN, y))
    y += fonts.body.get_linesize()
    if not sheet.standings:
        return
    y += GAP
    surface.blit(fonts.heading.render(strings.get("contact_sheet.standings"), True, TEXT),
          (MARGIN, y))
    y += fonts.heading.get_linesize()
    column_width = width // STANDING_COLUMNS
    rank_width = fonts.body.size("=88")[0] + 12
    row_height = fonts.body.get_linesize() + 6
    # Read down each column, best first, as a printed results table would.
    rows = math.ceil(len(sheet.standings) / STANDING_COLUMNS)
    for n, standing in enumerate(sorted(sheet.standings, key=lambda s: s.rank)):
        x = MARGIN + (n // rows) * column_width
        top = y + (n % rows) * row_height
        key = "contact_sheet.rank_tied" if standing.tied else "contact_sheet.rank"
        surface.blit(fonts.body.render(strings.get(key, rank=standing.rank), True, ACCENT),
              (x, top))
        total = fonts.body.render(strings.get("contact_sheet.total", total=standing.total),
                                  True, TEXT)
        total_x = x + column_width - GAP - total.get_width()
        name_room = total_x - (x + rank_width) - 8
        name = _fit_text(fonts.body, standing.name, name_room)
        surface.blit(fonts.body.render(name, True, standing.colour), (x + rank_width, top))
        surface.blit(total, (total_x, top))


def _tiles(group: _Group, strings: Strings) -> list[_Tile]:
    """The machines' answers first, then each painting: the answers are what they aimed at."""
    tiles = [_Tile(group.magenta, group.magenta_name, TEXT, None),
             _Tile(group.gatys, group.gatys_name, TEXT, None)]
    tiles += [_Tile(cell.painting, _player_label(cell, strings), cell.colour,
                    _score_text(cell.score, strings)) for cell in group.cells]
    return tiles


def _player_label(cell: SheetCell, strings: Strings) -> str:
    """The name under a painting; a brought picture says so, as the leaderboard does."""
    return strings.get("attempt.name_uploaded", name=cell.player) if cell.uploaded \
        else cell.player


def _draw_group(surface: pygame.Surface, group: _Group, rect: pygame.Rect, metrics: _Metrics,
                strings: Strings, fonts: SheetFonts) -> None:
    pygame.draw.rect(surface, PANEL, rect, border_radius=8)
    caption = _fit_text(fonts.body, group.caption, rect.width - 2 * PANEL_PAD)
    surface.blit(fonts.body.render(caption, True, TEXT),
                 (rect.x + PANEL_PAD, rect.y + PANEL_PAD))
    columns = metrics.columns(group.tiles)
    for n, tile in enumerate(_tiles(group, strings)):
        x = rect.x + PANEL_PAD + (n % columns) * (metrics.thumb[0] + GAP)
        y = (rect.y + PANEL_PAD + metrics.caption_height
             + (n // columns) * (metrics.tile_height + GAP))
        box = pygame.Rect((x, y), metrics.thumb)
        _draw_picture(surface, tile.picture, box, strings, fonts)
        if tile.score is not None:
            # The player's colour around their painting ties it to the name below at a glance.
            pygame.draw.rect(surface, tile.colour, box.inflate(2 * FRAME, 2 * FRAME), FRAME)
        text_y = box.bottom + FRAME + 4
        label = _fit_text(fonts.body, tile.label, box.width)
        surface.blit(fonts.body.render(label, True, tile.colour), (x, text_y))
        if tile.score is not None:
            score = _fit_text(fonts.small, tile.score, box.width)
            surface.blit(fonts.small.render(score, True, TEXT_DIM),
                         (x, text_y + fonts.body.get_linesize()))


def _draw_picture(surface: pygame.Surface, picture: np.ndarray | None, box: pygame.Rect,
                  strings: Strings, fonts: SheetFonts) -> None:
    rgb = _as_rgb(picture)
    if rgb is None:
        surface.fill(NO_PICTURE, box)
        text = _fit_text(fonts.small, strings.get("contact_sheet.no_picture"), box.width - 8)
        label = fonts.small.render(text, True, TEXT_DIM)
        surface.blit(label, label.get_rect(center=box.center).topleft)
        return
    surface.fill(CARD, box)
    thumb = fit_surface(array_to_surface(rgb), box.size)
    surface.blit(thumb, thumb.get_rect(center=box.center))


def _as_rgb(picture: np.ndarray | None) -> np.ndarray | None:
    """An (H, W, 3) uint8 view of picture, or None if it cannot be shown.

    A bad array must not cost the host the whole sheet at the end of a party, so it is
    logged and drawn as a "no picture" card instead of raising.
    """
    if picture is None:
        return None
    array = np.asarray(picture)
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if (array.ndim != 3 or array.shape[2] not in (3, 4) or array.dtype != np.uint8
            or array.shape[0] == 0 or array.shape[1] == 0):
        log.warning("contact sheet: cannot show a %s %s picture", array.shape, array.dtype)
        return None
    return array[:, :, :3]


def _score_text(score: float | None, strings: Strings) -> str:
    if score is None or not math.isfinite(score):
        return strings.get("contact_sheet.no_score")
    return strings.get("contact_sheet.score", score=score)


def _fit_text(font: pygame.font.Font, text: str, width: int) -> str:
    """text, cut short with an ellipsis if it is wider than width pixels.

    Every piece of data drawn on the sheet passes here, and titles may come from file
    names that are not UTF-8, which pygame's fonts refuse: so it is made showable first.
    """
    text = display_text(text)
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- saving ---------------------------------------------------------------------------


def _safe_stem(stem: str) -> str:
    # A date like "2025-03-01 18:30" has a colon, which Windows refuses in a file name.
    cleaned = _UNSAFE_NAME.sub("-", stem).strip(" .-")
    return cleaned or "party"


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}.png"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.png"
        number += 1
    return candidate


def _save_error(folder: Path, exc: OSError) -> OSError:
    message = f"could not save the contact sheet in {folder}: {exc.strerror or exc}"
    # OSError(errno, ...) comes back as the matching subclass (PermissionError, ...), so
    # callers can still tell a read-only folder from a full disk.
    return OSError(exc.errno, message) if exc.errno is not None else OSError(message)
