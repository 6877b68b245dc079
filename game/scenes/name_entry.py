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
from game.round import Round, worded
from game.scene import Scene
from game.services import array_to_surface, fit_surface
from game.store import NAME_MAX, NameRejected, ScoreRow, validate_name
from game.ui.layout import LayoutReport, Panel
from game.ui.osk import LAYOUTS, OnScreenKeyboard
from game.ui.widgets import Button, Menu, TextField

log = logging.getLogger(__name__)
KEYBOARD_RECT = pygame.Rect(40, 400, 1200, 300)
# Where things go without the on-screen keyboard, and with it (the keyboard takes the bottom).
CLASSIC = {"frame": pygame.Rect(40, 90, 440, 350), "words": pygame.Rect(560, 90, 680, 440),
           "field": pygame.Rect(560, 220, 620, 64)}
WITH_KEYBOARD = {"frame": pygame.Rect(40, 24, 340, 250), "words": pygame.Rect(420, 18, 820, 370),
                 "field": pygame.Rect(420, 128, 820, 64)}


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
            round_seconds=round(round_.seconds), mode="kiosk" if kiosk else "solo",
            origin=round_.origin)
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

    def layout(self) -> LayoutReport:
        """The picture's pair under it; heading, prompt, field, count and error beside it."""
        theme = self.app.theme
        c = theme.colors
        places = CLASSIC if self.keyboard is None else WITH_KEYBOARD
        frame, field = places["frame"], places["field"]
        root = Panel.screen(theme, "name_entry")
        under = root.panel("pair", pygame.Rect(frame.x, frame.bottom + 14, frame.width, 48))
        under.text(self._pair(), "small", c.text_dim, lines=2)
        words = root.panel("words", places["words"])
        words.text(worded("name_entry.heading", self.round.origin), "h1", c.accent, gap=6)
        words.y = max(words.y, field.y - 40)
        words.text(Msg("name_entry.prompt", max=NAME_MAX), "body", c.text_dim, lines=1)
        words.y = field.bottom + 10
        words.widget(field)
        length = len(self.field.text.strip())
        words.text(f"{length}/{NAME_MAX}", "small", c.urgent if length > NAME_MAX
                   else c.text_dim, align="right", width=field.width, gap=4)
        if self.error is not None:
            words.text(self.error, "body", c.urgent, lines=3 if self.keyboard is None else 2)
        elif self.keyboard is not None:
            words.text(Msg("kiosk.done_to_save"), "body", c.text_dim)
        return root.report

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        places = CLASSIC if self.keyboard is None else WITH_KEYBOARD
        pygame.draw.rect(surface, theme.colors.panel, places["frame"].inflate(12, 12),
                         border_radius=10)
        surface.blit(self.preview, self.preview.get_rect(center=places["frame"].center))
        self._draw_field(surface, places["field"])
        self.layout().draw_text(surface, theme)
        if self.keyboard is not None:
            self.keyboard.draw(surface, theme, self.app.strings)
        self.menu.draw(surface, theme)

    def _pair(self) -> str:
        """'photo × painting' in the player's language (the board keeps the catalogue's)."""
        content, style = (shown(item, self.app.strings).title
                          for item in (self.round.content, self.round.style))
        return f"{content} × {style}"

    def _draw_field(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        self.field.draw(surface, self.app.theme, rect, caret_on=int(self.time * 2) % 2 == 0)
