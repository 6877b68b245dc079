"""The kiosk's gallery: the day's last paintings in a grid; touch one to see it large.

The large view puts the painting beside the two machines' pictures of the same pair, as
the reveal did. Entries are read from disk as they are needed (a page of thumbnails, one
large view), and a damaged entry is skipped with a log line, never shown half.
Text is laid out by its fonts (game/ui/layout.py): titles and names are cut with '…', and
a tile's score sits beside its name, never on the title.
"""
from __future__ import annotations

import logging
from types import MappingProxyType

import pygame

from game.catalogue import stored_title
from game.file_names import display_text
from game.gallery import GalleryEntry
from game.i18n import Msg
from game.kiosk_mode import shown_name
from game.scene import Scene
from game.services import array_to_surface, fit_surface
from game.ui.layout import LayoutReport, Panel, line_height, pair_text
from game.ui.widgets import Button, Menu

log = logging.getLogger(__name__)

COLUMNS, ROWS = 4, 3
TILE = (290, 130)           # thumbnail box; two caption lines go under it
TILE_PITCH = (310, 186)
GRID_TOP = 96
BIG_BOX = pygame.Rect(40, 110, 700, 470)
MACHINE_BOXES = MappingProxyType({"magenta": pygame.Rect(790, 110, 450, 190),
                                  "gatys": pygame.Rect(790, 360, 450, 190)})
# The gallery keeps the machines' pictures but not which engine made them, so they are named
# by what is true of either engine that could have (a model or its offline stand-in).
MACHINE_LABELS = MappingProxyType({"magenta": Msg("machines.gallery_magenta"),
                                   "gatys": Msg("machines.gallery_gatys")})
# Anything a damaged entry can raise while its PNGs are decoded.
_DAMAGED = (OSError, ValueError, SyntaxError, MemoryError)


def tile_rect(slot: int) -> pygame.Rect:
    """Where the slot-th thumbnail of a page goes (the demo bot clicks its centre)."""
    col, row = slot % COLUMNS, slot // COLUMNS
    return pygame.Rect(30 + col * TILE_PITCH[0], GRID_TOP + row * TILE_PITCH[1], *TILE)


class GalleryViewScene(Scene):
    name = "gallery"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.entries: list[GalleryEntry] = []
        self.page = 0
        self.thumbs: dict[str, pygame.Surface | None] = {}
        self.selected: GalleryEntry | None = None
        self.large: dict[str, pygame.Surface | None] = {}

    @property
    def per_page(self) -> int:
        return COLUMNS * ROWS

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.entries) // self.per_page))

    def enter(self) -> None:
        try:
            self.entries = self.app.services.gallery.recent(self.app.config.kiosk.gallery_size)
        except OSError as exc:
            log.warning("gallery unreadable: %s", exc)
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(1060, 650, 180, 52), Msg("common.back"), self.back,
                             (pygame.K_ESCAPE,), "Esc"))
        # Page buttons only in the grid, and only when there is more than one page.
        self.pager = Menu(vertical=False)
        self.prev_button = self.pager.add(Button(pygame.Rect(440, 650, 180, 52),
                                                 Msg("kiosk.previous"), lambda: self.turn(-1),
                                                 (pygame.K_LEFT, pygame.K_PAGEUP), "PgUp"))
        self.next_button = self.pager.add(Button(pygame.Rect(660, 650, 180, 52),
                                                 Msg("kiosk.next"), lambda: self.turn(1),
                                                 (pygame.K_RIGHT, pygame.K_PAGEDOWN), "PgDn"))
        self._update_buttons()

    @property
    def paging(self) -> bool:
        return self.selected is None and self.pages > 1

    def page_entries(self) -> list[GalleryEntry]:
        start = self.page * self.per_page
        return self.entries[start:start + self.per_page]

    # -- actions -------------------------------------------------------------------------
    def back(self) -> None:
        if self.selected is not None:
            self.selected = None
            self._update_buttons()
        else:
            self.app.pop()

    def turn(self, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.prev_button.enabled = self.page > 0
        self.next_button.enabled = self.page < self.pages - 1

    def open(self, entry: GalleryEntry) -> None:
        try:
            painting = fit_surface(array_to_surface(entry.painting()), BIG_BOX.size)
            large = {"painting": painting}
            for engine, box in MACHINE_BOXES.items():
                picture = entry.machine(engine)
                large[engine] = (None if picture is None
                                 else fit_surface(array_to_surface(picture), box.size))
        except _DAMAGED as exc:
            log.warning("gallery entry %s unreadable: %s", entry.entry_id, exc)
            self.thumbs[entry.entry_id] = None
            return
        self.selected, self.large = entry, large
        self._update_buttons()

    def _thumb(self, entry: GalleryEntry) -> pygame.Surface | None:
        if entry.entry_id not in self.thumbs:
            try:
                self.thumbs[entry.entry_id] = fit_surface(array_to_surface(entry.painting()),
                                                          TILE)
            except _DAMAGED as exc:
                log.warning("gallery entry %s unreadable: %s", entry.entry_id, exc)
                self.thumbs[entry.entry_id] = None
        return self.thumbs[entry.entry_id]

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.menu.handle_event(event) or (self.paging and self.pager.handle_event(event)):
            return
        if self.selected is None and event.type == pygame.MOUSEBUTTONDOWN \
                and event.button == 1:
            for slot, entry in enumerate(self.page_entries()):
                if tile_rect(slot).collidepoint(event.pos) and self._thumb(entry) is not None:
                    self.open(entry)
                    return

    # -- layout and drawing ------------------------------------------------------------
    def layout(self) -> LayoutReport:
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "gallery")
        if self.selected is not None:
            self._layout_large(root, self.selected)
            return root.report
        top = root.panel("top", pygame.Rect(40, 14, 1200, GRID_TOP - 24))
        page = None
        if self.pages > 1:
            page = top.text_in(pygame.Rect(top.rect.x, 26, top.rect.width, 0),
                               Msg("kiosk.page", page=self.page + 1, pages=self.pages),
                               "body", c.text_dim, align="right")
        width = top.rect.width - (page.rect.width + 20 if page else 0)
        top.text_in(pygame.Rect(top.rect.x, 24, width, 0), Msg("kiosk.gallery_heading"), "h1",
                    c.accent)
        grid = root.panel("grid", pygame.Rect(20, GRID_TOP - 8, 1240, 657 - GRID_TOP))
        entries = self.page_entries()
        if not entries:
            grid.text_in(pygame.Rect(140, 300, 1000, 0), Msg("kiosk.gallery_empty"), "h2",
                         c.text_dim, lines=4, align="centre")
        for slot, entry in enumerate(entries):
            rect = tile_rect(slot)
            tile = grid.panel(str(slot), pygame.Rect(rect.x - 4, rect.y - 4, rect.width + 8,
                                                     TILE_PITCH[1] - 2))
            thumb = self._thumb(entry)
            if thumb is None:
                tile.text_in(rect, Msg("kiosk.no_picture"), "small", c.text_dim,
                             align="centre", valign="centre")
            else:
                tile.picture(thumb.get_size(), rect)
            tile.y = rect.bottom + 6
            tile.text_in(pygame.Rect(rect.x, tile.y, rect.width, 0),
                         pair_text(theme, *self.titles(entry), "small", rect.width), "small",
                         c.text)
            row = pygame.Rect(rect.x, tile.y + line_height(theme, "small") + 2, rect.width,
                              tile.rect.bottom - tile.y - line_height(theme, "small") - 2)
            score = "–" if entry.score is None else f"{entry.score:.1f}"
            role = "body" if line_height(theme, "body") <= row.height else "small"
            right = tile.text_in(row, score, role, c.accent, align="right", valign="centre")
            tile.text_in(pygame.Rect(row.x, row.y, row.width - right.rect.width - 12,
                                     row.height), shown_name(entry.player), "small",
                         c.text_dim, valign="centre")
        return root.report

    def titles(self, entry: GalleryEntry) -> tuple[str, str]:
        return entry_titles(self.app, entry)

    def _layout_large(self, root: Panel, entry: GalleryEntry) -> None:
        theme = self.app.theme
        c = theme.colors
        top = root.panel("top", pygame.Rect(40, 14, 1200, BIG_BOX.y - 20))
        score = (Msg("kiosk.score", score=entry.score) if entry.score is not None
                 else Msg("kiosk.no_score"))
        right = top.text_in(pygame.Rect(top.rect.x, 16, top.rect.width, 0), score, "h1",
                            c.accent, align="right")
        left = top.panel("words", pygame.Rect(top.rect.x, top.rect.y,
                                              top.rect.width - right.rect.width - 24,
                                              top.rect.height))
        left.text(pair_text(theme, *self.titles(entry), "h2", left.inner.width, "  ×  "),
                  "h2", c.accent, gap=4)
        left.text(Msg("kiosk.painted_by", name=theme.strings(shown_name(entry.player))),
                  "body", c.text_dim)
        big = root.panel("painting", BIG_BOX.inflate(12, 12))
        big.picture(self.large["painting"].get_size(), BIG_BOX)
        for engine, box in MACHINE_BOXES.items():
            machine = root.panel(engine, pygame.Rect(box.x - 6, box.y - 6, box.width + 12,
                                                     box.height + 12 + 48))
            image = self.large.get(engine)
            if image is None:
                machine.text_in(box, Msg("kiosk.no_picture"), "body", c.text_dim,
                                align="centre", valign="centre")
            else:
                machine.picture(image.get_size(), box)
            machine.text_in(pygame.Rect(box.x, box.bottom + 12, box.width, 0),
                            MACHINE_LABELS[engine], "body", c.text)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        report = self.layout()
        if self.selected is not None:
            pygame.draw.rect(surface, c.panel, BIG_BOX.inflate(12, 12), border_radius=10)
            painting = self.large["painting"]
            surface.blit(painting, painting.get_rect(center=BIG_BOX.center))
            for engine, box in MACHINE_BOXES.items():
                pygame.draw.rect(surface, c.panel, box.inflate(12, 12), border_radius=10)
                image = self.large.get(engine)
                if image is not None:
                    surface.blit(image, image.get_rect(center=box.center))
        else:
            for slot, entry in enumerate(self.page_entries()):
                rect = tile_rect(slot)
                pygame.draw.rect(surface, c.panel, rect.inflate(8, 8), border_radius=8)
                thumb = self._thumb(entry)
                if thumb is not None:
                    surface.blit(thumb, thumb.get_rect(center=rect.center))
        report.draw_text(surface, theme)
        if self.paging:
            self.pager.draw(surface, theme)
        self.menu.draw(surface, theme)


def clip_text(theme, text: str, width: int, role: str = "small") -> str:
    """Shorten text with an ellipsis until it fits width pixels."""
    text = display_text(text)    # a title from a file name that is not UTF-8 cannot be measured
    font = theme.fonts[role]
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def entry_titles(app, entry: GalleryEntry) -> tuple[str, str]:
    """A gallery entry's pair in the player's language where it is bundled art (stored_title):
    the gallery and the attract loop show the same words."""
    catalogue, strings = app.services.catalogue, app.strings
    return (stored_title(catalogue, entry.content_id, entry.content_title, strings),
            stored_title(catalogue, entry.style_id, entry.style_title, strings))
