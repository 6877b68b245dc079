"""The end of a party: the podium (ties share a step), the final scoreboard, and saving.

"Save the party" writes one contact-sheet PNG of every round into <data>/parties/ and puts
every painting on the leaderboard (mode "party"). It waits until every score has landed
(each one does: a failed machine or scorer gives "no score"), so the sheet and the board
show the final standings. Leaving an unsaved party takes Esc twice.

Laid out by its fonts (game/ui/layout.py): names over a step are cut with '…' to the step's
width, so neighbours never overlap, and a crowd of tied names steps down a size (or shows as
many as fit) rather than climbing into the headline.
"""
from __future__ import annotations

import logging
import sqlite3

import pygame

from game.config import resolved_data_dir
from game.contact_sheet import (PartySheet, SheetCell, SheetRound, SheetStanding,
                                machine_answers, render_contact_sheet, save_contact_sheet)
from game.i18n import Msg
from game.party_session import PartySession
from game.scene import Scene
from game.scenes.party_reveal import draw_scoreboard, layout_scoreboard, rank_text
from game.ui.layout import LayoutReport, Panel, line_height
from game.ui.widgets import Button, Menu

log = logging.getLogger(__name__)
# Second place stands left of first, third right: the order of a real podium.
STEPS = ((0, 640, 300), (1, 380, 230), (2, 900, 170))    # (step index, centre x, height)
STEP_W = 250
FLOOR_Y = 560
BOARD = pygame.Rect(1040, 170, 230, 440)
MESSAGE = pygame.Rect(40, 566, 990, 62)       # under the podium, over the buttons


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
            content, style = session.items(turn)
            # machine_answers names each picture for what made it (a stand-in by its own name)
            cells.append(SheetCell(
                player.name, player.colour, None if round_ is None else round_.painting,
                turn.score, content.title, style.title, pair_key=turn.pair_key,
                uploaded=round_ is not None and round_.origin == "uploaded",
                **machine_answers(round_)))
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
                            round_seconds=round(round_.seconds), mode="party",
                            origin=round_.origin)
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

    def layout(self) -> LayoutReport:
        theme = self.app.theme
        c = theme.colors
        party = self.session.party
        root = Panel.screen(theme, "party_podium")
        top = root.panel("top", pygame.Rect(40, 14, 1200, BOARD.y - 14 - 4))
        top.text(Msg("party.final_heading"), "h1", c.accent, gap=8)
        pending = len(party.unscored_turns())
        headline = Msg("party.still_scoring", count=pending) if pending else party.winner_text()
        top.text(headline, "h2" if pending else "h1", c.text, align="centre")
        podium = root.panel("podium", pygame.Rect(40, top.close().bottom + 4, 990,
                                                  FLOOR_Y - top.rect.bottom - 4))
        self._layout_podium(podium)
        layout_scoreboard(root, BOARD, self.session, Msg("party.totals"))
        message = root.panel("message", MESSAGE)
        if self.message is not None:
            message.text(self.message, "small", c.good if self.saved else c.urgent, lines=2,
                         align="centre")
        elif not self.save_button.enabled and not self.saved:
            message.text(Msg("party.save_waits"), "small", c.text_dim, lines=2, align="centre")
        buttons = root.panel("buttons", pygame.Rect(0, 632, 1280, 76))
        for button in self.menu.buttons:
            buttons.widget(button.rect)
        return root.report

    def _layout_podium(self, podium: Panel) -> None:
        """Each step, its rank, and its names stacked on it from the bottom up."""
        theme = self.app.theme
        c = theme.colors
        steps = self.session.party.podium()
        # Lower steps when a large text size leaves less room above them for one name.
        scale = min(1.0, (podium.rect.height - line_height(theme, "h2") - 8) / STEPS[0][2])
        for step_index, centre_x, height in STEPS:
            if step_index >= len(steps):
                continue
            standings = steps[step_index]
            block = pygame.Rect(0, 0, STEP_W, round(height * scale))
            block.midbottom = (centre_x, FLOOR_Y)
            podium.widget(block)
            on_block = podium.panel(f"step{step_index}", block)
            on_block.text_in(block, rank_text(standings[0]), "title",
                             c.accent_dark if step_index else c.accent, align="centre",
                             valign="centre")
            above = podium.panel(f"names{step_index}", pygame.Rect(
                block.x - 4, podium.rect.y, STEP_W + 8, block.y - 4 - podium.rect.y))
            role = "h2" if len(standings[:4]) * line_height(theme, "h2") \
                <= above.rect.height else "body"
            y = above.rect.bottom
            for standing in reversed(standings[:4]):
                total = f"  {standing.total:.1f}"        # the name is cut, never the total
                text = theme.ellipsise(standing.name, role,
                                       above.rect.width - theme.size(total, role)[0]) + total
                fitted, _ = theme.fit(text, role, above.rect.width)
                pitch = theme.line_pitch(fitted[0], role)
                if y - pitch < above.rect.y:
                    break
                y -= pitch
                above.text_in(pygame.Rect(above.rect.x, y, above.rect.width, 0), text, role,
                              standing.colour, align="centre")

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        report = self.layout()
        for block in report.find("party_podium.podium", "widget"):
            pygame.draw.rect(surface, theme.colors.panel_light, block.rect, border_radius=10)
        report.draw_text(surface, theme, "party_podium.top")
        report.draw_text(surface, theme, "party_podium.podium")
        draw_scoreboard(surface, theme, report, "party_podium.board")
        report.draw_text(surface, theme, "party_podium.message")
        self.menu.draw(surface, theme)
