"""Leaderboard: top 10 of all time and of today, with each painting's thumbnail.

A kiosk with kiosk.daily_reset shows only today's table, so each day's visitors can win.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

import pygame

from game.image_loader import ImageLoadError, load_rgb
from game.i18n import Msg
from game.kiosk_mode import ANONYMOUS_NAME
from game.scene import Scene
from game.services import array_to_surface
from game.ui.widgets import Button, Menu

log = logging.getLogger(__name__)
THUMB = (44, 33)
ROW_H = 50
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

    def enter(self) -> None:
        self.reload()
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(540, 650, 200, 52), Msg("common.back"), self.app.pop,
                             (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_SPACE), "Esc"))

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
            today = board.top(10, day=datetime.now().astimezone().date())
            self.tables = ({"leaderboard.today": today} if self.today_only else
                           {"leaderboard.all_time": board.top(10), "leaderboard.today": today})
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
            return pygame.transform.smoothscale(array_to_surface(load_rgb(path, max_side=256)),
                                                THUMB)
        except ImageLoadError:
            return None

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, self.app.t("leaderboard.heading"), (640, 24), "h1", c.accent,
                        "midtop")
        if self.today_only:
            theme.blit_text(surface, Msg("kiosk.fresh_each_day"), (640, 70), "small",
                            c.text_dim, "midtop")
        for col, (title, rows) in enumerate(self.tables.items()):
            x = 340 if self.today_only else 40 + col * 620    # one table: centred
            theme.blit_text(surface, self.app.t(title), (x, 96 if self.today_only else 90),
                            "h2")
            if not rows:
                theme.blit_text(surface, self.app.t("leaderboard.empty"), (x, 140), "body",
                                c.text_dim)
            for i, row in enumerate(rows):
                y = 132 + i * ROW_H
                if row.id == self.highlight:
                    pygame.draw.rect(surface, c.accent_dark, (x - 8, y - 4, 600, ROW_H - 4),
                                     border_radius=6)
                theme.blit_text(surface, f"{i + 1}.", (x + 26, y + 8), "body", c.text_dim,
                                "topright")
                thumb = self.thumbs.get(row.id)
                if thumb is not None:
                    surface.blit(thumb, (x + 36, y + 4))
                name = (Msg("kiosk.anonymous")
                        if row.mode == "kiosk" and row.name == ANONYMOUS_NAME else row.name)
                theme.blit_text(surface, name, (x + 92, y + 2), "body")
                pair = f"{row.content_title} × {row.style_title}"
                theme.blit_text(surface, pair[:46], (x + 92, y + 24), "small", c.text_dim)
                score = "–" if row.score is None else f"{row.score:.1f}"
                theme.blit_text(surface, score, (x + 590, y + 8), "h2", c.accent, "topright")
        if self.error is not None:
            theme.blit_text(surface, self.app.strings(self.error)[:120], (640, 620), "small",
                            c.urgent, "center")
        self.menu.draw(surface, theme)
