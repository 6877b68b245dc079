"""Catalogue picker overlay: a grid of thumbnails; arrows + Enter, or click."""
from __future__ import annotations

from typing import Callable

import pygame

from game.catalogue import ArtItem
from game.scene import Scene
from game.ui.widgets import draw_panel

COLUMNS = 5
THUMB = (200, 130)
CELL = (228, 176)


class CataloguePicker(Scene):
    name = "picker"
    is_overlay = True

    def __init__(self, app, kind: str, current: ArtItem,
                 on_pick: Callable[[ArtItem], None]) -> None:
        super().__init__(app)
        catalogue = app.services.catalogue
        self.items = list(catalogue.content if kind == "content" else catalogue.styles)
        self.kind = kind
        self.on_pick = on_pick
        self.index = self.items.index(current) if current in self.items else 0
        self.scroll = 0

    def cell_rect(self, i: int) -> pygame.Rect:
        row, col = divmod(i, COLUMNS)
        return pygame.Rect(70 + col * CELL[0], 110 + (row - self.scroll) * CELL[1], *CELL)

    def visible_rows(self) -> int:
        return 3

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            moves = {pygame.K_LEFT: -1, pygame.K_RIGHT: 1, pygame.K_UP: -COLUMNS,
                     pygame.K_DOWN: COLUMNS}
            if event.key in moves:
                self.index = max(0, min(len(self.items) - 1, self.index + moves[event.key]))
                self._keep_visible()
            elif event.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER):
                self.choose(self.index)
            elif event.key == pygame.K_ESCAPE:
                self.app.pop()
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for i in range(len(self.items)):
                if self.cell_rect(i).collidepoint(event.pos):
                    self.choose(i)
                    return
        elif event.type == pygame.MOUSEWHEEL:
            rows = (len(self.items) + COLUMNS - 1) // COLUMNS
            self.scroll = max(0, min(rows - self.visible_rows(), self.scroll - event.y))

    def _keep_visible(self) -> None:
        row = self.index // COLUMNS
        if row < self.scroll:
            self.scroll = row
        elif row >= self.scroll + self.visible_rows():
            self.scroll = row - self.visible_rows() + 1

    def choose(self, i: int) -> None:
        self.app.pop()
        self.on_pick(self.items[i])

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
        surface.set_clip(pygame.Rect(40, 100, 1200, 3 * CELL[1] + 20))
        for i, item in enumerate(self.items):
            cell = self.cell_rect(i)
            if cell.bottom < 100 or cell.top > 680:
                continue
            thumb = self.app.services.images.surface(item, THUMB)
            box = pygame.Rect(cell.x + 8, cell.y + 6, *THUMB)
            if i == self.index:
                pygame.draw.rect(surface, c.accent, box.inflate(10, 10), width=3, border_radius=6)
            surface.blit(thumb, thumb.get_rect(center=box.center))
            title = item.title if len(item.title) <= 24 else item.title[:23] + "…"
            theme.blit_text(surface, title, (box.centerx, box.bottom + 6), "small",
                            c.text if i == self.index else c.text_dim, "midtop")
        surface.set_clip(clip)
        current = self.items[self.index]
        theme.blit_text(surface, f"{current.title} — {current.artist}, {current.year}",
                        (70, 650), "body")
