"""Name entry: sign the painting; it goes on the leaderboard with its PNG.

A painting signed before its score landed is saved unscored; the row gets its score when
the score arrives (round.score_listeners), even after the player has moved on.
"""
from __future__ import annotations

import logging
import sqlite3

import pygame

from game.i18n import Msg
from game.round import Round
from game.scene import Scene
from game.services import array_to_surface, fit_surface
from game.store import NAME_MAX, NameRejected, validate_name
from game.ui.widgets import Button, Menu, TextField

log = logging.getLogger(__name__)


class NameEntryScene(Scene):
    name = "name_entry"

    def __init__(self, app, round_: Round) -> None:
        super().__init__(app)
        self.round = round_
        self.field = TextField(max_chars=32)   # longer than allowed: the message explains
        self.error: Msg | None = None
        self.time = 0.0
        self.preview = fit_surface(array_to_surface(round_.painting), (420, 330))

    def enter(self) -> None:
        pygame.key.start_text_input()
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(560, 560, 300, 60), Msg("name_entry.save"), self.save,
                             (pygame.K_RETURN, pygame.K_KP_ENTER), "Enter"))
        self.menu.add(Button(pygame.Rect(880, 560, 300, 60), Msg("name_entry.skip"), self.skip,
                             (pygame.K_ESCAPE,), "Esc"))

    def exit(self) -> None:
        pygame.key.stop_text_input()

    def save(self) -> None:
        from game.scenes.leaderboard import LeaderboardScene
        try:
            name = validate_name(self.field.text)
        except NameRejected as exc:
            self.error = exc.message
            return
        round_ = self.round
        try:
            row = self.app.services.leaderboard.add(
                name, round_.score, round_.content.id, round_.style.id, round_.painting,
                content_title=round_.content.title, style_title=round_.style.title,
                round_seconds=round(round_.seconds), mode="solo")
        except (OSError, sqlite3.Error) as exc:
            # Nothing is lost: the painting stays here and the player can try again.
            log.error("could not save score: %s", exc)
            self.error = Msg("name_entry.save_failed", reason=str(exc))
            return
        if round_.scoring.status in ("waiting", "scoring"):
            round_.score_listeners.append(self._score_updater(row.id))
        self.app.replace_top(LeaderboardScene(self.app, highlight=row.id))

    def _score_updater(self, row_id: int):
        board = self.app.services.leaderboard

        def update(round_: Round) -> None:
            if round_.score is None:
                return                         # no score after all: the row stays unscored
            try:
                board.set_score(row_id, round_.score)
            except (OSError, sqlite3.Error, ValueError) as exc:
                log.error("could not store the late score of row %s: %s", row_id, exc)

        return update

    def skip(self) -> None:
        self.app.services.machines.abandon(self.round)
        self.app.pop()

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.field.handle_event(event):
            self.error = None
            return
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, Msg("name_entry.heading"), (560, 90), "h1", c.accent)
        pygame.draw.rect(surface, c.panel, pygame.Rect(40, 90, 440, 350).inflate(8, 8),
                         border_radius=10)
        surface.blit(self.preview, self.preview.get_rect(center=(260, 265)))
        theme.blit_text(surface, f"{self.round.content.title} × {self.round.style.title}",
                        (40, 460), "small", c.text_dim)
        theme.blit_text(surface, Msg("name_entry.prompt", max=NAME_MAX), (560, 180), "body",
                        c.text_dim)
        self.field.draw(surface, theme, pygame.Rect(560, 220, 620, 64),
                        caret_on=int(self.time * 2) % 2 == 0)
        counter = f"{len(self.field.text.strip())}/{NAME_MAX}"
        theme.blit_text(surface, counter, (1180, 294), "small",
                        c.urgent if len(self.field.text.strip()) > NAME_MAX else c.text_dim,
                        "topright")
        if self.error is not None:
            for i, line in enumerate(theme.wrap(self.error, "body", 620)[:3]):
                theme.blit_text(surface, line, (560, 330 + i * 28), "body", c.urgent)
        self.menu.draw(surface, theme)
