"""Catalogue picker overlay: thumbnails grouped by collection; arrows + Enter, or click.

The paintings come as "Artists" first (an artist's paintings played together, game.artists),
then "Famous paintings" under a sub-heading for each painter with several and one for the
other painters, then the project's own "Studio styles", then the museum's and the player's
own pictures; the photos as one group (plus the user groups). Each group and sub-group
starts on a new row under its heading. Left/right walk the items in order; up/down move a
row, to the nearest column of a shorter row.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

import pygame

from game.artists import ARTISTS, is_artist
from game.catalogue import COLLECTIONS, MASTERPIECES, ArtItem, shown
from game.i18n import Msg
from game.scene import Scene
from game.ui.widgets import draw_panel

COLUMNS = 5
THUMB = (200, 130)
CELL = (228, 168)
HEADING = 32                 # height of a group's heading line: it and 3 rows fit the view
VIEW = pygame.Rect(40, 100, 1200, 548)    # the scrolling area, above the byline at y 650
GRID_LEFT = 70
GROUPS = (ARTISTS, *COLLECTIONS)          # the picker's order of groups
OTHER_PAINTERS = ""                       # the sub-heading of painters with one painting


@dataclass(frozen=True)
class Row:
    """One line of the picker: a group heading, a painter's sub-heading, or up to COLUMNS
    item indices."""

    top: int                         # y inside the scrolling content, from 0
    heading: str | None = None       # the group (GROUPS) whose heading this is
    items: tuple[int, ...] = ()
    sub: str | None = None           # a painter's name, or OTHER_PAINTERS

    @property
    def height(self) -> int:
        return HEADING if self.is_heading else CELL[1]

    @property
    def is_heading(self) -> bool:
        return self.heading is not None or self.sub is not None


@dataclass(frozen=True)
class Section:
    group: str                       # one of GROUPS
    sub: str | None                  # None: no sub-heading
    items: tuple[ArtItem, ...]


def sections(items: Sequence[ArtItem], artists: Sequence[ArtItem] = ()) -> list[Section]:
    """The picker's groups in order; the famous paintings under their painters (those with
    several paintings, in the order of `artists`, then the other painters together)."""
    out = [Section(ARTISTS, None, tuple(artists))] if artists else []
    for group in COLLECTIONS:
        members = [item for item in items if item.group() == group]
        if group == MASTERPIECES and artists:
            grouped_names = [artist.artist for artist in artists]
            for name in grouped_names:
                out.append(Section(group, name,
                                   tuple(item for item in members if item.artist == name)))
            members = [item for item in members if item.artist not in grouped_names]
            sub = OTHER_PAINTERS
        else:
            sub = None
        if members:
            out.append(Section(group, sub, tuple(members)))
    return [section for section in out if section.items]


def layout(parts: Sequence[Section]) -> list[Row]:
    """Heading, sub-heading and item rows; item indices count through all sections."""
    rows: list[Row] = []
    top = index = 0
    group = None
    for section in parts:
        if section.group != group:
            group = section.group
            rows.append(Row(top, heading=group))
            top += HEADING
        if section.sub is not None:
            rows.append(Row(top, sub=section.sub))
            top += HEADING
        end = index + len(section.items)
        for first in range(index, end, COLUMNS):
            rows.append(Row(top, items=tuple(range(first, min(first + COLUMNS, end)))))
            top += CELL[1]
        index = end
    return rows


class CataloguePicker(Scene):
    name = "picker"
    is_overlay = True

    def __init__(self, app, kind: str, current: ArtItem,
                 on_pick: Callable[[ArtItem], None]) -> None:
        super().__init__(app)
        catalogue = app.services.catalogue
        parts = (sections(catalogue.styles, catalogue.artists()) if kind == "style"
                 else sections(catalogue.content))
        self.items = [item for section in parts for item in section.items]
        self.rows = layout(parts)
        self.item_rows = [row for row in self.rows if row.items]
        self.kind = kind
        self.on_pick = on_pick
        self.index = self.items.index(current) if current in self.items else 0
        self.scroll = 0              # pixels of the content scrolled above the view
        self._keep_visible()

    # -- geometry --------------------------------------------------------------------
    def content_height(self) -> int:
        last = self.rows[-1] if self.rows else None
        return last.top + last.height if last else 0

    def max_scroll(self) -> int:
        """Far enough to show the last row, with a whole line at the top of the view."""
        needed = self.content_height() - VIEW.height + 10
        if needed <= 0:
            return 0
        return min(line.top for line in self.rows if line.top >= needed)

    def row_of(self, i: int) -> int:
        """The position of item i's row among the item rows."""
        for number, row in enumerate(self.item_rows):
            if i in row.items:
                return number
        raise IndexError(i)

    def cell_rect(self, i: int) -> pygame.Rect:
        row = self.item_rows[self.row_of(i)]
        col = row.items.index(i)
        return pygame.Rect(GRID_LEFT + col * CELL[0], VIEW.y + 10 + row.top - self.scroll,
                           *CELL)

    # -- input -----------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_LEFT, pygame.K_RIGHT):
                step = -1 if event.key == pygame.K_LEFT else 1
                self.index = max(0, min(len(self.items) - 1, self.index + step))
                self._keep_visible()
            elif event.key in (pygame.K_UP, pygame.K_DOWN):
                self._move_row(-1 if event.key == pygame.K_UP else 1)
            elif event.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER):
                self.choose(self.index)
            elif event.key == pygame.K_ESCAPE:
                self.app.pop()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if not VIEW.collidepoint(event.pos):
                return
            for i in range(len(self.items)):
                if self.cell_rect(i).collidepoint(event.pos):
                    self.choose(i)
                    return
        elif event.type == pygame.MOUSEWHEEL:
            self._wheel(event.y)

    def _wheel(self, clicks: int) -> None:
        """One line (a heading or a row of pictures) per click, never half a line."""
        tops = [line.top for line in self.rows if line.top <= self.max_scroll()]
        tops.append(self.max_scroll())
        for _ in range(abs(clicks)):
            if clicks < 0:
                self.scroll = min((t for t in tops if t > self.scroll), default=self.scroll)
            else:
                self.scroll = max((t for t in tops if t < self.scroll), default=0)

    def _move_row(self, step: int) -> None:
        if not self.items:
            return
        number = self.row_of(self.index)
        target = max(0, min(len(self.item_rows) - 1, number + step))
        col = self.item_rows[number].items.index(self.index)
        items = self.item_rows[target].items
        self.index = items[min(col, len(items) - 1)]
        self._keep_visible()

    def _keep_visible(self) -> None:
        if not self.items:
            return
        number = self.row_of(self.index)
        row = self.item_rows[number]
        # A group's first row brings its heading (and sub-heading) into view with it.
        first = self.rows.index(row)
        while first > 0 and self.rows[first - 1].is_heading:
            first -= 1
        top = self.rows[first].top
        bottom = row.top + CELL[1]
        if top < self.scroll:
            self.scroll = top
        elif bottom > self.scroll + VIEW.height - 10:
            # Down to the first line that shows the row whole: no half heading at the top.
            needed = bottom - VIEW.height + 10
            self.scroll = min(line.top for line in self.rows if line.top >= needed)
        self.scroll = max(0, min(self.max_scroll(), self.scroll))

    def choose(self, i: int) -> None:
        self.app.pop()
        self.on_pick(self.items[i])

    # -- drawing ---------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 190))
        surface.blit(shade, (0, 0))
        draw_panel(surface, theme, pygame.Rect(40, 30, 1200, 660))
        heading = "picker.photo" if self.kind == "content" else "picker.painting"
        theme.blit_text(surface, self.app.t(heading), (70, 50), "h1", c.accent)
        theme.blit_text(surface, self.app.t("picker.controls"), (1210, 62), "small",
                        c.text_dim, "topright")
        clip = surface.get_clip()
        surface.set_clip(VIEW)
        for row in self.rows:
            y = VIEW.y + 10 + row.top - self.scroll
            if y + row.height < VIEW.top or y > VIEW.bottom:
                continue
            if row.heading:
                self._draw_heading(surface, row.heading, y)
            if row.sub is not None:
                self._draw_sub(surface, row.sub, y)
            for i in row.items:
                self._draw_cell(surface, i)
        surface.set_clip(clip)
        if self.items:
            item = self.items[self.index]
            current = shown(item, self.app.strings)
            # An artist's title already names the painter.
            byline = ", ".join(part for part in (current.artist, current.year)
                               if part and not (is_artist(item) and part == current.artist))
            theme.blit_text(surface, f"{current.title} — {byline}", (70, 650), "body")

    def _draw_heading(self, surface: pygame.Surface, group: str, y: int) -> None:
        words = Msg("artists.group") if group == ARTISTS else Msg(f"picker.collection.{group}")
        self._draw_rule(surface, words, (GRID_LEFT, y + 4), "h2", self.app.theme.colors.accent)

    def _draw_sub(self, surface: pygame.Surface, painter: str, y: int) -> None:
        """A painter's name over their paintings (names are never translated)."""
        words = Msg("artists.other_painters") if painter == OTHER_PAINTERS else painter
        self._draw_rule(surface, words, (GRID_LEFT + 8, y + 6), "body",
                        self.app.theme.colors.text)

    def _draw_rule(self, surface: pygame.Surface, words, pos: tuple[int, int], font: str,
                   colour) -> None:
        """A heading and a thin line from it to the view's right edge."""
        theme = self.app.theme
        rect = theme.blit_text(surface, words, pos, font, colour)
        pygame.draw.line(surface, theme.colors.text_dim, (rect.right + 16, rect.centery),
                         (VIEW.right - 30, rect.centery), 1)

    def _draw_cell(self, surface: pygame.Surface, i: int) -> None:
        theme = self.app.theme
        c = theme.colors
        item = self.items[i]
        cell = self.cell_rect(i)
        thumb = self.app.services.images.surface(item, THUMB)
        box = pygame.Rect(cell.x + 8, cell.y + 6, *THUMB)
        if i == self.index:
            pygame.draw.rect(surface, c.accent, box.inflate(10, 10), width=3, border_radius=6)
        surface.blit(thumb, thumb.get_rect(center=box.center))
        words = shown(item, self.app.strings)
        title = words.artist if is_artist(item) else words.title   # under "Artists"
        title = title if len(title) <= 24 else title[:23] + "…"
        theme.blit_text(surface, title, (box.centerx, box.bottom + 6), "small",
                        c.text if i == self.index else c.text_dim, "midtop")
