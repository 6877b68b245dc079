"""Name entry: sign the painting; it goes on the leaderboard with its PNG.

A painting signed before its score landed is saved unscored; the row gets its score when
the score arrives (round.score_listeners), even after the player has moved on.

In kiosk mode every name must also pass the museum's block-list, the row is saved as a
kiosk row, the painting is kept for the gallery, and with kiosk.names = "onscreen" an
on-screen keyboard (touch screens, no keyboard to steal) types into the field.
"""
from __future__ import annotations

import logging
import sqlite3

import pygame

from game.catalogue import shown
from game.i18n import Msg
from game.round import Round
from game.scene import Scene
from game.services import array_to_surface, fit_surface
from game.store import NAME_MAX, NameRejected, ScoreRow, validate_name
from game.ui.osk import LAYOUTS, OnScreenKeyboard
from game.ui.widgets import Button, Menu, TextField

log = logging.getLogger(__name__)
KEYBOARD_RECT = pygame.Rect(40, 400, 1200, 300)


def store_score(app, round_: Round, name: str) -> ScoreRow | Msg:
    """Save the round's row under name; the row, or the message saying why it was not."""
    try:
        clean = validate_name(name)
    except NameRejected as exc:
        return exc.message
    kiosk = app.config.kiosk.enabled
    if kiosk:
        blocked = app.services.blocklist.check(clean)
        if blocked is not None:
            return blocked
    try:
        row = app.services.leaderboard.add(
            clean, round_.score, round_.content.id, round_.style.id, round_.painting,
            content_title=round_.content.title, style_title=round_.style.title,
            round_seconds=round(round_.seconds), mode="kiosk" if kiosk else "solo")
    except (OSError, sqlite3.Error) as exc:
        # Nothing is lost: the painting stays here and the player can try again.
        log.error("could not save score: %s", exc)
        return Msg("name_entry.save_failed", reason=str(exc))
    except Exception:  # noqa: BLE001
        # The save boundary: a bug in the store (issue 9: a file name that was not UTF-8)
        # must cost one message, never the painting or the kiosk.
        log.exception("could not save score")
        return Msg("name_entry.save_failed", reason=Msg("common.unexpected_error"))
    if round_.scoring.status in ("waiting", "scoring"):
        round_.score_listeners.append(_score_updater(app, row.id))
    return row


def _score_updater(app, row_id: int):
    board = app.services.leaderboard

    def update(round_: Round) -> None:
        if round_.score is None:
            return                         # no score after all: the row stays unscored
        try:
            board.set_score(row_id, round_.score)
        except (OSError, sqlite3.Error, ValueError) as exc:
            log.error("could not store the late score of row %s: %s", row_id, exc)
        except Exception:  # noqa: BLE001 - runs from the game loop: the row stays unscored
            log.exception("could not store the late score of row %s", row_id)

    return update


class NameEntryScene(Scene):
    name = "name_entry"

    def __init__(self, app, round_: Round, stroke_log=None) -> None:
        super().__init__(app)
        self.round = round_
        self.stroke_log = stroke_log        # kept with the painting for the kiosk gallery
        self.field = TextField(max_chars=32)   # longer than allowed: the message explains
        self.error: Msg | None = None
        self.time = 0.0
        kiosk = app.config.kiosk
        self.keyboard: OnScreenKeyboard | None = None
        if kiosk.enabled and kiosk.names == "onscreen":
            language = app.strings.language
            layouts = (language, *(name for name in LAYOUTS if name != language)) \
                if language in LAYOUTS else tuple(LAYOUTS)
            self.keyboard = OnScreenKeyboard(KEYBOARD_RECT, layout=layouts[0],
                                             layouts=layouts, field=self.field)
        self.preview = fit_surface(array_to_surface(round_.painting),
                                   (340, 250) if self.keyboard else (420, 330))

    def enter(self) -> None:
        self.menu = Menu(vertical=False)
        if self.keyboard is not None:
            # No start_text_input: on a tablet it would pop up the system keyboard too.
            self.menu.add(Button(pygame.Rect(1000, 24, 240, 52), Msg("name_entry.skip"),
                                 self.skip, (pygame.K_ESCAPE,), "Esc"))
            return
        pygame.key.start_text_input()
        self.menu.add(Button(pygame.Rect(560, 560, 300, 60), Msg("name_entry.save"), self.save,
                             (pygame.K_RETURN, pygame.K_KP_ENTER), "Enter"))
        self.menu.add(Button(pygame.Rect(880, 560, 300, 60), Msg("name_entry.skip"), self.skip,
                             (pygame.K_ESCAPE,), "Esc"))

    def exit(self) -> None:
        if self.keyboard is None:
            pygame.key.stop_text_input()

    def save(self) -> None:
        from game.scenes.leaderboard import LeaderboardScene
        result = store_score(self.app, self.round, self.field.text)
        if isinstance(result, Msg):
            self.error = result
            return
        self._keep(result.name)
        self.app.replace_top(LeaderboardScene(self.app, highlight=result.id))

    def skip(self) -> None:
        self.kiosk_leave()
        self.app.pop()

    def kiosk_leave(self) -> None:
        """Leaving unsigned (Skip, or the kiosk's idle time-out)."""
        if self._keep(""):
            # Kept in the gallery: scored with what the machines have finished.
            self.app.services.machines.release(self.round)
        else:
            self.app.services.machines.abandon(self.round)   # nobody waits for it

    def _keep(self, player: str) -> bool:
        kiosk = getattr(self.app.services, "kiosk", None)   # None outside kiosk mode
        return kiosk is not None and kiosk.keep(self.round, self.stroke_log, player=player)

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.keyboard is not None:
            action = self.keyboard.handle_event(event)
            enter = event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN,
                                                                   pygame.K_KP_ENTER)
            if action == "done" or enter:     # a staff keyboard may be plugged in too
                self.save()
                return
            if action is not None:
                self.error = None
                return
        if self.field.handle_event(event):
            self.error = None
            return
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt
        if self.keyboard is not None:
            self.keyboard.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        if self.keyboard is not None:
            self._draw_with_keyboard(surface)
        else:
            self._draw_classic(surface)
        self.menu.draw(surface, self.app.theme)

    def _pair(self) -> str:
        """'photo × painting' in the player's language (the board keeps the catalogue's)."""
        content, style = (shown(item, self.app.strings).title
                          for item in (self.round.content, self.round.style))
        return f"{content} × {style}"

    def _draw_classic(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, Msg("name_entry.heading"), (560, 90), "h1", c.accent)
        pygame.draw.rect(surface, c.panel, pygame.Rect(40, 90, 440, 350).inflate(8, 8),
                         border_radius=10)
        surface.blit(self.preview, self.preview.get_rect(center=(260, 265)))
        theme.blit_text(surface, self._pair(), (40, 460), "small", c.text_dim)
        theme.blit_text(surface, Msg("name_entry.prompt", max=NAME_MAX), (560, 180), "body",
                        c.text_dim)
        self._draw_field(surface, pygame.Rect(560, 220, 620, 64))
        if self.error is not None:
            for i, line in enumerate(theme.wrap(self.error, "body", 620)[:3]):
                theme.blit_text(surface, line, (560, 330 + i * 28), "body", c.urgent)

    def _draw_with_keyboard(self, surface: pygame.Surface) -> None:
        """Picture top left, field top right, the keyboard across the bottom half."""
        theme = self.app.theme
        c = theme.colors
        frame = pygame.Rect(40, 24, 340, 250)
        pygame.draw.rect(surface, c.panel, frame.inflate(12, 12), border_radius=10)
        surface.blit(self.preview, self.preview.get_rect(center=frame.center))
        for i, line in enumerate(theme.wrap(self._pair(), "small", frame.width)[:2]):
            theme.blit_text(surface, line, (40, 292 + 22 * i), "small", c.text_dim)
        theme.blit_text(surface, Msg("name_entry.heading"), (420, 24), "h1", c.accent)
        theme.blit_text(surface, Msg("name_entry.prompt", max=NAME_MAX), (420, 92), "body",
                        c.text_dim)
        self._draw_field(surface, pygame.Rect(420, 128, 820, 64))
        if self.error is not None:
            for i, line in enumerate(theme.wrap(self.error, "body", 700)[:2]):
                theme.blit_text(surface, line, (420, 222 + i * 28), "body", c.urgent)
        else:
            theme.blit_text(surface, Msg("kiosk.done_to_save"), (420, 222), "body",
                            c.text_dim)
        self.keyboard.draw(surface, theme, self.app.strings)

    def _draw_field(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        theme = self.app.theme
        c = theme.colors
        self.field.draw(surface, theme, rect, caret_on=int(self.time * 2) % 2 == 0)
        length = len(self.field.text.strip())
        theme.blit_text(surface, f"{length}/{NAME_MAX}", (rect.right, rect.bottom + 10),
                        "small", c.urgent if length > NAME_MAX else c.text_dim, "topright")
