"""Party lobby: who plays (name and colour), how many rounds, how long a turn, which pairs.

Type a name and press Enter to add a player; click a colour swatch to change it, × to
remove. Up/Down choose a setting, Left/Right change it. Enter on an empty name starts the
party once the lobby is valid; what stops it is listed in words.
Its text is laid out by its fonts (game/ui/layout.py): names are cut with '…' before the
remove button, and the help lines wrap to their column.
"""
from __future__ import annotations

import pygame

from game.config import STYLE_KINDS
from game.i18n import Msg
from game.names import NameRejected, validate_name
from game.party import (MAX_PLAYERS, MAX_ROUNDS, MAX_SECONDS, MIN_ROUNDS, MIN_SECONDS,
                        PARTY_COLOURS, PartySettings, Player, check_settings)
from game.scene import Scene
from game.ui.layout import LayoutReport, Panel
from game.ui.setting_rows import SettingRow, draw_setting_row
from game.ui.widgets import Button, Menu, TextField, draw_panel

PAIR_MODES = ("same", "random", "host")
ROW_STEP = 60        # five setting rows above the help lines
ROW_H = 52
LIST_TOP = 150
FIELD_RECT = pygame.Rect(60, 590, 420, 56)


class LobbyScene(Scene):
    name = "lobby"

    def __init__(self, app, settings: PartySettings | None = None) -> None:
        super().__init__(app)
        # Kept between parties in one session: the same friends usually play again.
        self.settings = settings or PartySettings(seconds=min(MAX_SECONDS,
                                                              app.config.round.seconds))
        self.field = TextField(max_chars=24)
        self.message: Msg | None = None
        self.index = 0
        self.time = 0.0

    def enter(self) -> None:
        pygame.key.start_text_input()
        s = self.settings
        self.rows = [
            SettingRow(Msg("party.rounds"), lambda: str(s.rounds), self._rounds),
            SettingRow(Msg("party.seconds"), lambda: self.app.t("settings.seconds",
                                                              seconds=s.seconds), self._seconds),
            SettingRow(Msg("party.pairs"), lambda: self.app.t(f"party.pairs_{s.pair_mode}"),
                     self._pairs),
            SettingRow(Msg("rounds.style_kind"),
                       lambda: self.app.t(f"rounds.style_kind_{s.style_kind}"), self._style_kind),
            SettingRow(Msg("attempt.allow_uploads"),
                       lambda: self.app.t("settings.on" if s.allow_uploads else "settings.off"),
                       self._uploads),
        ]
        self.menu = Menu(vertical=False)
        self.start_button = self.menu.add(Button(pygame.Rect(700, 620, 330, 64),
                                                 Msg("party.start"), self.start, (), "Enter"))
        self.menu.add(Button(pygame.Rect(1050, 620, 190, 64), Msg("common.back"), self.back,
                             (pygame.K_ESCAPE,), "Esc"))
        self.add_button = Button(pygame.Rect(FIELD_RECT.right + 10, FIELD_RECT.y, 120, 56),
                                 Msg("party.add"), self.add_player)

    def exit(self) -> None:
        pygame.key.stop_text_input()

    def resume(self) -> None:
        """Back from a party: type the next player's name straight away."""
        pygame.key.start_text_input()

    # -- players -------------------------------------------------------------------
    def add_player(self) -> None:
        players = self.settings.players
        if len(players) >= MAX_PLAYERS:
            self.message = Msg("party_rules.too_many_players", max=MAX_PLAYERS)
            return
        try:
            name = validate_name(self.field.text)
        except NameRejected as exc:
            self.message = exc.message
            return
        if any(p.name.casefold() == name.casefold() for p in players):
            self.message = Msg("party_rules.duplicate_name", name=name)
            return
        used = {p.colour for p in players}
        colour = next((c for c in PARTY_COLOURS if c not in used), PARTY_COLOURS[0])
        players.append(Player(name, colour))
        self.field.text = ""
        self.message = None
        self.app.services.sound.play("click")

    def remove_player(self, index: int) -> None:
        del self.settings.players[index]
        self.message = None

    def cycle_colour(self, index: int) -> None:
        """The next colour nobody else has, so every player stays told apart."""
        player = self.settings.players[index]
        used = {p.colour for i, p in enumerate(self.settings.players) if i != index}
        start = PARTY_COLOURS.index(player.colour) if player.colour in PARTY_COLOURS else -1
        for step in range(1, len(PARTY_COLOURS) + 1):
            colour = PARTY_COLOURS[(start + step) % len(PARTY_COLOURS)]
            if colour not in used:
                player.colour = colour
                return

    # -- settings ------------------------------------------------------------------
    def _rounds(self, step: int) -> None:
        s = self.settings
        s.rounds = max(MIN_ROUNDS, min(MAX_ROUNDS, s.rounds + step))

    def _seconds(self, step: int) -> None:
        s = self.settings
        s.seconds = max(MIN_SECONDS, min(MAX_SECONDS, s.seconds + 15 * step))

    def _pairs(self, step: int) -> None:
        s = self.settings
        i = PAIR_MODES.index(s.pair_mode) if s.pair_mode in PAIR_MODES else 0
        s.pair_mode = PAIR_MODES[(i + step) % len(PAIR_MODES)]

    def _style_kind(self, step: int) -> None:
        s = self.settings
        i = STYLE_KINDS.index(s.style_kind) if s.style_kind in STYLE_KINDS else 0
        s.style_kind = STYLE_KINDS[(i + step) % len(STYLE_KINDS)]

    def _uploads(self, step: int) -> None:
        self.settings.allow_uploads = not self.settings.allow_uploads

    def problems(self) -> list[Msg]:
        return check_settings(self.settings)

    def start(self) -> None:
        from game.party_session import PartySession
        from game.scenes.party_pass import begin_round
        if self.problems():
            self.message = self.problems()[0]
            return
        self.app.services.sound.play("click")
        self.app.services.machines.start()      # TensorFlow loads while the first player reads
        session = PartySession(self.settings, self.app.services, self.app.rng)
        pygame.key.stop_text_input()
        self.app.push(Scene(self.app))          # a slot that begin_round swaps for the round
        begin_round(self.app, session, 0)

    def back(self) -> None:
        self.app.pop()

    # -- geometry ------------------------------------------------------------------
    def player_rect(self, i: int) -> pygame.Rect:
        return pygame.Rect(60, LIST_TOP + i * ROW_H, 560, ROW_H - 8)

    def swatch_rect(self, i: int) -> pygame.Rect:
        row = self.player_rect(i)
        return pygame.Rect(row.x + 10, row.y + 7, 30, 30)

    def remove_rect(self, i: int) -> pygame.Rect:
        row = self.player_rect(i)
        return pygame.Rect(row.right - 44, row.y + 4, 36, 36)

    def row_rect(self, i: int) -> pygame.Rect:
        return pygame.Rect(680, 150 + i * ROW_STEP, 560, ROW_STEP - 8)

    # -- input ---------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.TEXTINPUT:
            self.field.handle_event(event)
            self.message = None
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._click(event.pos)
        else:
            self.menu.handle_event(event)

    def _key(self, event: pygame.event.Event) -> None:
        key = event.key
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.add_player() if self.field.text.strip() else self.start()
        elif key == pygame.K_BACKSPACE:
            self.field.handle_event(event)
        elif key == pygame.K_UP:
            self.index = (self.index - 1) % len(self.rows)
        elif key == pygame.K_DOWN:
            self.index = (self.index + 1) % len(self.rows)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.rows[self.index].change(-1 if key == pygame.K_LEFT else 1)
        elif key == pygame.K_DELETE and self.settings.players:
            self.remove_player(len(self.settings.players) - 1)
        else:
            self.menu.handle_event(event)

    def _click(self, pos: tuple[int, int]) -> None:
        if self.add_button.rect.collidepoint(pos):
            self.add_player()
            return
        for i in range(len(self.settings.players)):
            if self.remove_rect(i).collidepoint(pos):
                self.remove_player(i)
                return
            if self.swatch_rect(i).collidepoint(pos):
                self.cycle_colour(i)
                return
        for i, row in enumerate(self.rows):
            rect = self.row_rect(i)
            if rect.collidepoint(pos):
                self.index = i
                row.change(-1 if pos[0] < rect.centerx else 1)
                return
        self.menu.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))

    def update(self, dt: float) -> None:
        self.time += dt
        self.start_button.enabled = not self.problems()

    # -- layout and drawing -----------------------------------------------------------
    def layout(self) -> LayoutReport:
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "lobby")
        players = self.settings.players
        top = root.panel("top", pygame.Rect(60, 24, 1180, LIST_TOP - 40 - 24))
        top.text(Msg("party.heading"), "h1", c.accent, gap=4)
        top.text(Msg("party.intro"), "body", c.text_dim)
        left = root.panel("players", pygame.Rect(60, LIST_TOP - 38, 560,
                                                 FIELD_RECT.y - 30 - (LIST_TOP - 38)))
        left.text(Msg("party.players", count=len(players), max=MAX_PLAYERS), "body")
        for i, player in enumerate(players):
            row, remove = self.player_rect(i), self.remove_rect(i)
            x = self.swatch_rect(i).right + 14
            left.text_in(pygame.Rect(x, row.y, remove.x - 8 - x, row.height), player.name,
                         "h2", player.colour, valign="centre")
            left.panel(f"remove{i}", remove).text_in(remove, "×", "h2", c.text_dim,
                                                     align="centre", valign="centre")
        if not players:
            left.text_in(pygame.Rect(60, LIST_TOP + 10, 560, 0), Msg("party.no_players"),
                         "body", c.text_dim, lines=2)
        field = root.panel("field", pygame.Rect(FIELD_RECT.x, FIELD_RECT.y - 28, 560, 26))
        field.text(Msg("party.type_name"), "small", c.text_dim)
        rows = self.row_rect(len(self.rows) - 1)
        right = root.panel("help", pygame.Rect(680, rows.bottom + 8, 560, 550 - rows.bottom - 8))
        right.text(Msg(f"party.pairs_{self.settings.pair_mode}_help"), "small", c.text_dim,
                   lines=3, gap=6)
        right.text(Msg("party.lobby_keys"), "small", c.text_dim, lines=2)
        problems = self.problems()
        message = self.message or (problems[0] if problems else Msg("party.lobby_ok"))
        colour = c.urgent if (self.message or problems) else c.good
        root.panel("message", pygame.Rect(700, 556, 540, 60)).text(message, "small", colour,
                                                                    lines=2)
        return root.report

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        for i, player in enumerate(self.settings.players):
            draw_panel(surface, theme, self.player_rect(i))
            pygame.draw.rect(surface, player.colour, self.swatch_rect(i), border_radius=6)
            pygame.draw.rect(surface, c.panel_light, self.remove_rect(i), border_radius=6)
        self.layout().draw_text(surface, theme)
        self.field.draw(surface, theme, FIELD_RECT, caret_on=int(self.time * 2) % 2 == 0)
        self.add_button.draw(surface, theme)
        for i, row in enumerate(self.rows):
            draw_setting_row(surface, theme, self.row_rect(i), row, i == self.index, inset=20)
        self.menu.draw(surface, theme)
