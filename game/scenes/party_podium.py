"""The end of a party: the podium (ties share a step), the final scoreboard, and saving.

"Save the party" writes one contact-sheet PNG of every round into <data>/parties/ and puts
every painting on the leaderboard (mode "party"). It waits until every score has landed
(each one does: a failed machine or scorer gives "no score"), so the sheet and the board
show the final standings. Leaving an unsaved party takes Esc twice.
"""
from __future__ import annotations

import logging
import sqlite3

import pygame

from game.config import resolved_data_dir
from game.contact_sheet import (PartySheet, SheetCell, SheetRound, SheetStanding,
                                render_contact_sheet, save_contact_sheet)
from game.i18n import Msg
from game.party_session import PartySession
from game.scene import Scene
from game.scenes.party_reveal import draw_scoreboard, rank_text
from game.ui.widgets import Button, Menu

log = logging.getLogger(__name__)
# Second place stands left of first, third right: the order of a real podium.
STEPS = ((0, 640, 300), (1, 380, 230), (2, 900, 170))    # (step index, centre x, height)
STEP_W = 250
FLOOR_Y = 560


def confirm_leave(app, session: PartySession) -> None:
    """Leave the party for the title; its jobs stop."""
    from game.scenes.title import TitleScene
    session.abandon()
    app.replace(TitleScene(app))


def contact_sheet(session: PartySession, title: str) -> PartySheet:
    """The party as the contact sheet's plain data: no pygame, no scenes."""
    party = session.party
    rounds = []
    for r in range(session.settings.rounds):
        cells = []
        for turn in sorted(party.round_turns(r), key=lambda t: t.player_index):
            round_ = turn.painting_ref
            player = session.player(turn.player_index)
            slots = round_.slots if round_ is not None else {}
            content, style = session.items(turn)
            cells.append(SheetCell(
                player.name, player.colour, None if round_ is None else round_.painting,
                turn.score, content.title, style.title,
                slots["magenta"].image if slots else None,
                slots["gatys"].image if slots else None, turn.pair_key))
        rounds.append(SheetRound(r + 1, cells))
    standings = [SheetStanding(s.name, s.colour, s.total, s.rank, s.tied)
                 for s in party.standings()]
    return PartySheet(title, rounds, standings)


class PartyPodiumScene(Scene):
    name = "party_podium"

    def __init__(self, app, session: PartySession) -> None:
        super().__init__(app)
        self.session = session
        self.message: Msg | None = None
        self.saved = False
        self.leave_armed = False
        # What a failed save already wrote, so a retry neither repeats rows nor sheets.
        self._rows: dict[int, int] = {}          # id(turn) -> leaderboard row id
        self._sheet_path = None
        self.time = 0.0

    def enter(self) -> None:
        self.app.services.sound.play("reveal")
        self.menu = Menu(vertical=False)
        self.save_button = self.menu.add(Button(pygame.Rect(200, 640, 330, 60),
                                                Msg("party.save"), self.save,
                                                (pygame.K_s, pygame.K_RETURN), "S"))
        self.menu.add(Button(pygame.Rect(550, 640, 330, 60), Msg("party.again"),
                             self.again, (pygame.K_a,), "A"))
        self.menu.add(Button(pygame.Rect(900, 640, 180, 60), Msg("reveal.title"),
                             self.leave, (pygame.K_ESCAPE,), "Esc"))

    # -- actions -------------------------------------------------------------------
    def save(self) -> None:
        if self.saved or self.session.party.unscored_turns():
            return
        services = self.session.services
        when = self.session.started_at
        try:
            if self._sheet_path is None:
                sheet = render_contact_sheet(
                    contact_sheet(self.session, f"{when:%Y-%m-%d %H:%M}"), self.app.strings)
                folder = resolved_data_dir(self.app.config) / "parties"
                self._sheet_path = save_contact_sheet(sheet, folder,
                                                      f"party-{when:%Y-%m-%d-%H%M}")
            path = self._sheet_path
            rows = self._save_rows(services.leaderboard)
        except (OSError, sqlite3.Error) as exc:
            log.error("could not save the party: %s", exc)
            self.message = Msg("party.save_failed", reason=str(exc))
            return
        except Exception:  # noqa: BLE001
            # The save boundary: a bug must cost one message, never the party's paintings.
            log.exception("could not save the party")
            self.message = Msg("party.save_failed_unexpected",
                               reason=Msg("common.unexpected_error"))
            return
        self.saved = True
        self.session.saved_to = path
        self.save_button.enabled = False
        self.message = Msg("party.saved", path=str(path), count=rows)

    def _save_rows(self, board) -> int:
        """One leaderboard row per painting (given-up turns have none)."""
        for turn in self.session.played_turns():
            round_ = turn.painting_ref
            if round_.painting is None or round_.gave_up or id(turn) in self._rows:
                continue
            row = board.add(self.session.player(turn.player_index).name, turn.score,
                            round_.content.id, round_.style.id, round_.painting,
                            content_title=round_.content.title,
                            style_title=round_.style.title,
                            round_seconds=round(round_.seconds), mode="party")
            self._rows[id(turn)] = row.id
        return len(self._rows)

    def again(self) -> None:
        """Back to the lobby with the same players and settings."""
        if self._confirmed():
            self.session.abandon()
            self.app.pop()

    def leave(self) -> None:
        if self._confirmed():
            confirm_leave(self.app, self.session)

    def _confirmed(self) -> bool:
        """A saved party leaves at once; an unsaved one asks for a second press."""
        if self.saved or self.leave_armed:
            return True
        self.leave_armed = True
        self.message = Msg("party.unsaved_leave")
        return False

    # -- scene ---------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt
        self.session.collect_scores()
        if not self.saved:
            self.save_button.enabled = not self.session.party.unscored_turns()

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        party = self.session.party
        theme.blit_text(surface, Msg("party.final_heading"), (40, 22), "h1", c.accent)
        pending = len(party.unscored_turns())
        if pending:
            headline = Msg("party.still_scoring", count=pending)
        else:
            headline = party.winner_text()
        theme.blit_text(surface, headline, (640, 100), "h1" if not pending else "h2",
                        c.text, "midtop")
        self._draw_podium(surface)
        draw_scoreboard(surface, theme, self.session, pygame.Rect(1040, 170, 230, 440),
                        Msg("party.totals"))
        if self.message is not None:
            for k, line in enumerate(theme.wrap(self.message, "small", 1200)[:2]):
                theme.blit_text(surface, line, (640, 580 + 22 * k), "small",
                                c.good if self.saved else c.urgent, "midtop")
        elif not self.save_button.enabled and not self.saved:
            theme.blit_text(surface, Msg("party.save_waits"), (640, 580), "small",
                            c.text_dim, "midtop")
        self.menu.draw(surface, theme)

    def _draw_podium(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        podium = self.session.party.podium()
        for step_index, centre_x, height in STEPS:
            if step_index >= len(podium):
                continue
            standings = podium[step_index]
            block = pygame.Rect(0, 0, STEP_W, height)
            block.midbottom = (centre_x, FLOOR_Y)
            pygame.draw.rect(surface, c.panel_light, block, border_radius=10)
            theme.blit_text(surface, rank_text(standings[0]), block.center, "title",
                            c.accent_dark if step_index else c.accent, "center")
            y = block.y - 8
            for standing in reversed(standings[:4]):
                rect = theme.blit_text(surface, f"{standing.name}  {standing.total:.1f}",
                                       (centre_x, y), "h2", standing.colour, "midbottom")
                y = rect.y - 2
