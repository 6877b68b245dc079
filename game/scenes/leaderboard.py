"""Leaderboard: top 10 of all time and of today, with each painting's thumbnail.

A kiosk with kiosk.daily_reset shows only today's table, so each day's visitors can win.
A picture a player brought instead of painting is tagged "uploaded" on its row; F (outside
a kiosk, where nobody can bring one) shows painted attempts only, or all again.
Rows are laid out by their fonts (game/ui/layout.py): a row is as tall as its name and pair
lines, names and pairs are cut with '…' before the score, and the score keeps a margin from
the row's edge; at a text size that leaves no room for all ten, the last rows wait.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

import pygame

from game.catalogue import stored_title
from game.image_loader import ImageLoadError, load_rgb
from game.i18n import Msg
from game.kiosk_mode import ANONYMOUS_NAME
from game.scene import Scene
from game.services import array_to_surface, fit_surface
from game.ui.layout import LayoutReport, Panel, line_height, pair_text
from game.ui.widgets import Button, Menu

log = logging.getLogger(__name__)
THUMB = (44, 33)
ROW_H = 50              # at least; a larger text size makes rows taller
TABLE_W = 600
BACK = pygame.Rect(540, 660, 200, 48)
FILTER = pygame.Rect(760, 660, 280, 48)
RELOAD_S = 1.0      # re-read while the highlighted row still waits for its score


class LeaderboardScene(Scene):
    name = "leaderboard"

    def __init__(self, app, highlight: int | None = None) -> None:
        super().__init__(app)
        self.highlight = highlight
        self.error: Msg | None = None
        # Column heading key -> rows, best first.
        self.tables: dict[str, list] = {"leaderboard.all_time": [], "leaderboard.today": []}
        self.thumbs: dict[int, pygame.Surface | None] = {}
        kiosk = app.config.kiosk
        self.today_only = kiosk.enabled and kiosk.daily_reset
        self.painted_only = False       # all rows by default; uploads carry their tag

    def enter(self) -> None:
        self.reload()
        self.menu = Menu(vertical=False)
        self.menu.add(Button(BACK, Msg("common.back"), self.app.pop,
                             (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_SPACE), "Esc"))
        self.filter_button = None
        if not self.app.config.kiosk.enabled:
            self.filter_button = self.menu.add(Button(FILTER, Msg("attempt.filter_all"),
                                                      self.toggle_filter, (pygame.K_f,), "F"))

    def toggle_filter(self) -> None:
        """All attempts, or only those painted here (brought pictures can be anything)."""
        self.painted_only = not self.painted_only
        self.filter_button.label = Msg("attempt.filter_painted" if self.painted_only
                                       else "attempt.filter_all")
        self.reload()

    def waiting_for_score(self) -> bool:
        """The just-signed painting is on the board without its score yet (it lands later)."""
        return any(row.id == self.highlight and row.score is None
                   for rows in self.tables.values() for row in rows)

    def update(self, dt: float) -> None:
        self.since_reload += dt
        if self.since_reload >= RELOAD_S and self.waiting_for_score():
            self.reload()

    def reload(self) -> None:
        self.since_reload = 0.0
        try:
            board = self.app.services.leaderboard
            only = self.painted_only
            today = board.top(10, day=datetime.now().astimezone().date(), painted_only=only)
            self.tables = ({"leaderboard.today": today} if self.today_only else
                           {"leaderboard.all_time": board.top(10, painted_only=only),
                            "leaderboard.today": today})
        except (OSError, sqlite3.Error) as exc:
            log.error("leaderboard unreadable: %s", exc)
            self.error = Msg("leaderboard.unreadable", reason=str(exc))
        for rows in self.tables.values():
            for row in rows:
                if row.id not in self.thumbs:
                    self.thumbs[row.id] = self._thumb(row.painting_path)

    @staticmethod
    def _thumb(path) -> pygame.Surface | None:
        try:
            # Fitted, not stretched: a portrait painting stays portrait.
            return fit_surface(array_to_surface(load_rgb(path, max_side=256)), THUMB)
        except ImageLoadError:
            return None

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def layout(self) -> LayoutReport:
        """The heading, a note, and each table's rows as far down as they fit."""
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "leaderboard")
        top = root.panel("top", pygame.Rect(40, 12, 1200, 200))
        top.text(self.app.t("leaderboard.heading"), "h1", c.accent, align="centre", gap=2)
        if self.error is not None:
            top.text(self.error, "small", c.urgent, lines=2, align="centre", gap=2)
        elif self.today_only:
            top.text(Msg("kiosk.fresh_each_day"), "small", c.text_dim, align="centre", gap=2)
        if self.painted_only:
            top.text(Msg("attempt.showing_painted"), "small", c.text_dim, align="centre", gap=2)
        y = top.close().bottom + 6
        tables = root.panel("tables", pygame.Rect(32, y, 1216, BACK.y - 8 - y))
        count = len(self.tables)
        gap = tables.rect.width - count * TABLE_W if count > 1 else 0
        for col, (title, rows) in enumerate(self.tables.items()):
            x = tables.rect.centerx - TABLE_W // 2 if count == 1 \
                else tables.rect.x + col * (TABLE_W + gap)
            table = tables.panel(str(col), pygame.Rect(x, y, TABLE_W, tables.rect.height))
            self._layout_table(table, title, rows)
        root.panel("back", BACK).widget(BACK)
        if self.filter_button is not None:
            root.panel("filter", FILTER).widget(FILTER)
        return root.report

    def _layout_table(self, table: Panel, title: str, rows: list) -> None:
        theme = self.app.theme
        c = theme.colors
        table.text(self.app.t(title), "h2", c.text, gap=4)
        if not rows:
            table.text(self.app.t("leaderboard.empty"), "body", c.text_dim, lines=2)
        height = max(ROW_H, line_height(theme, "body") + line_height(theme, "small") + 4)
        rank_w = theme.fonts["body"].size("10.")[0]
        score_w = theme.fonts["h2"].size("10.0")[0]
        for i, row in enumerate(rows):
            if table.remaining < height:
                break                      # a large text size: the rest wait for room
            rect = table.take(height)
            cells = table.panel(f"row{i}", rect)
            middle = rect.centery
            cells.text_in(pygame.Rect(rect.x + 8, rect.y, rank_w, rect.height), f"{i + 1}.",
                          "body", c.text_dim, align="right", valign="centre")
            thumb = pygame.Rect(rect.x + 14 + rank_w, middle - THUMB[1] // 2, *THUMB)
            surface = self.thumbs.get(row.id)
            if surface is not None:
                cells.picture(surface.get_size(), thumb)
            score = "–" if row.score is None else f"{row.score:.1f}"
            cells.text_in(pygame.Rect(rect.right - 12 - score_w, rect.y, score_w, rect.height),
                          score, "h2", c.accent, align="right", valign="centre")
            x = thumb.right + 10
            words = cells.panel("words", pygame.Rect(x, rect.y + 2, rect.right - 24 - score_w - x,
                                                     rect.height - 2))
            name = (Msg("kiosk.anonymous")
                    if row.mode == "kiosk" and row.name == ANONYMOUS_NAME else row.name)
            line = words.take(line_height(theme, "body"), gap=1)
            if row.origin == "uploaded":        # the name gives way to the tag, not the reverse
                ink = c.text if row.id == self.highlight else c.accent   # on the highlight
                tag = words.text_in(line, Msg("attempt.uploaded"), "small", ink,
                                    align="right", valign="centre")
                line = pygame.Rect(line.x, line.y, max(0, tag.rect.x - 10 - line.x), line.height)
            words.text_in(line, name, "body", c.text)
            content, style = self.titles(row)
            words.text(pair_text(theme, content, style, "small", words.inner.width), "small",
                       c.text_dim)

    def titles(self, row) -> tuple[str, str]:
        """The row's pair in the player's language where it is bundled art (stored_title)."""
        catalogue, strings = self.app.services.catalogue, self.app.strings
        return (stored_title(catalogue, row.content_id, row.content_title, strings),
                stored_title(catalogue, row.style_id, row.style_title, strings))

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        report = self.layout()
        for table, rows in zip(range(len(self.tables)), self.tables.values()):
            for i, row in enumerate(rows):
                name = f"leaderboard.tables.{table}.row{i}"
                rect = report.panels.get(name)
                if rect is None:
                    break
                if row.id == self.highlight:
                    pygame.draw.rect(surface, theme.colors.accent_dark, rect.inflate(0, -4),
                                     border_radius=6)
                pictures = report.find(name, "picture")
                thumb = self.thumbs.get(row.id)
                if thumb is not None and pictures:
                    surface.blit(thumb, pictures[0].rect)
        report.draw_text(surface, theme)
        self.menu.draw(surface, theme)
