"""A party round's reveal: every painting beside the machines' pictures of its pair, each
player's score as it lands, and the running scoreboard.

Cards and scoreboard are laid out by their fonts (game/ui/layout.py): a card's name line is
as tall as its font, long names are cut with '…' before the score, and each machine's
thumbnail is tagged with the engine that really made it (a stand-in by its own name).
"""
from __future__ import annotations

import pygame

from game.i18n import Msg
from game.party import Standing, Turn
from game.party_session import PartySession
from game.scene import Scene
from game.services import array_to_surface, fit_surface
from game.ui.engine_names import short_name
from game.ui.layout import LayoutReport, Panel, line_height
from game.ui.widgets import Button, Menu, draw_panel

GRID = pygame.Rect(20, 84, 920, 540)      # the cards share this; fewer players, bigger cards
BOARD = pygame.Rect(960, 84, 300, 540)
GAP = 12


def card_grid(count: int) -> list[pygame.Rect]:
    """Up to 4 cards a row, as large as the grid allows."""
    cols = min(4, max(1, count))
    rows = (count + cols - 1) // cols
    width = min(GRID.width // cols, 460)
    height = min(GRID.height // max(rows, 1), 420)
    left = GRID.x + (GRID.width - cols * width) // 2
    return [pygame.Rect(left + (i % cols) * width, GRID.y + (i // cols) * height,
                        width - GAP, height - GAP) for i in range(count)]


def rank_text(standing: Standing) -> str:
    """ "=2" for a shared place, so a tie is visible at a glance."""
    return f"={standing.rank}" if standing.tied else str(standing.rank)


def layout_scoreboard(parent: Panel, rect: pygame.Rect, session: PartySession,
                      heading: Msg) -> Panel:
    """The running totals: rank, name (cut with '…' before the total) and total, one row
    each; rows close up, then step down a size, when many players share a short board."""
    theme = parent.theme
    c = theme.colors
    board = parent.panel("board", rect, padding=12)
    board.text(heading, "body", c.accent, gap=10)
    standings = session.party.standings()
    # A size down when the rows would not fit, or would leave a name a few letters.
    role = "h2"
    names = board.inner.width - 2 * theme.fonts[role].size("88.8")[0] - 22
    if len(standings) * line_height(theme, role) > board.remaining \
            or names < theme.fonts[role].size("WWWWWW")[0]:
        role = "body"
    pitch = max(line_height(theme, role),
                min(56, board.remaining // max(1, len(standings))))
    rank_w = theme.fonts[role].size("=8")[0]
    total_w = theme.fonts[role].size("88.8")[0]
    for standing in standings:
        if board.remaining < line_height(theme, role):
            break
        row = board.take(pitch)
        row.height = min(row.height, board.inner.bottom - row.y)
        board.text_in(pygame.Rect(row.x, row.y, rank_w, 0), rank_text(standing), role,
                      c.text_dim, align="right")
        name_x = row.x + rank_w + 12
        board.text_in(pygame.Rect(name_x, row.y, row.right - total_w - 10 - name_x, 0),
                      standing.name, role, standing.colour)
        board.text_in(pygame.Rect(row.right - total_w, row.y, total_w, 0),
                      f"{standing.total:.1f}", role, c.text, align="right")
    return board


def draw_scoreboard(surface: pygame.Surface, theme, report: LayoutReport, name: str) -> None:
    draw_panel(surface, theme, report.panels[name])
    report.draw_text(surface, theme, name)


class PartyRevealScene(Scene):
    name = "party_reveal"

    def __init__(self, app, session: PartySession, round_index: int) -> None:
        super().__init__(app)
        self.session = session
        self.round_index = round_index
        turns = session.party.round_turns(round_index)
        self.turns: list[Turn] = sorted(turns, key=lambda t: t.player_index)
        self.cards = card_grid(len(self.turns))
        card = self.cards[0]
        # Painting on top, the pair's two machine pictures under it, then name and score.
        self.painting_box = (card.width - 8, round((card.height - 40) * 0.62))
        self.mini_box = ((card.width - 16) // 2, card.height - 40 - self.painting_box[1] - 12)
        self.paintings = {id(t): self._painting(t) for t in self.turns}
        self._minis: dict[tuple, pygame.Surface] = {}
        self._fitted: dict[tuple, pygame.Surface] = {}
        self.time = 0.0

    def _painting(self, turn: Turn) -> pygame.Surface | None:
        round_ = turn.painting_ref
        if round_ is None or round_.painting is None:
            return None
        return fit_surface(array_to_surface(round_.painting), self.painting_box)

    def enter(self) -> None:
        self.app.services.sound.play("reveal")
        last = self.round_index + 1 >= self.session.settings.rounds
        label = Msg("party.final_results") if last else Msg("party.next_round")
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(300, 640, 380, 64), label, self.next,
                             (pygame.K_RETURN, pygame.K_SPACE), "Enter"))

    def next(self) -> None:
        from game.scenes.party_pass import begin_round
        from game.scenes.party_podium import PartyPodiumScene
        if self.round_index + 1 >= self.session.settings.rounds:
            self.session.party.advance()            # past the last turn: the party is over
            self.app.replace_top(PartyPodiumScene(self.app, self.session))
            return
        begin_round(self.app, self.session, self.round_index + 1)

    def replayable(self) -> list[Turn]:
        """The turns with a picture to replay (a skipped or given-up turn has none)."""
        return [t for t in self.turns if t.painting_ref is not None
                and t.painting_ref.painting is not None and not t.painting_ref.gave_up]

    def replay(self, turn: Turn) -> None:
        from game.scenes.replay import ReplayScene
        if turn not in self.replayable():
            return
        self.app.push(ReplayScene(self.app, turn.painting_ref, self.session.stroke_log(turn),
                                  player=self.session.player(turn.player_index).name))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and pygame.K_1 <= event.key <= pygame.K_9:
            seat = event.key - pygame.K_1           # the cards' order: the lobby's
            if seat < len(self.turns):
                self.replay(self.turns[seat])
                return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for turn, card in zip(self.turns, self.cards):
                if card.collidepoint(event.pos):
                    self.replay(turn)
                    return
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt
        self.session.collect_scores()

    def layout(self) -> LayoutReport:
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "party_reveal")
        top = root.panel("top", pygame.Rect(GRID.x, 14, 1280 - 2 * GRID.x, GRID.y - 18))
        top.text(Msg("party.round_reveal", number=self.round_index + 1,
                     total=self.session.settings.rounds), "h1", c.accent)
        grid = root.panel("grid", GRID)
        for i, (turn, card) in enumerate(zip(self.turns, self.cards)):
            self._layout_card(grid.panel(f"card{i}", card, padding=4), turn)
        layout_scoreboard(root, BOARD, self.session,
                          Msg("party.after_round", number=self.round_index + 1))
        button = self.menu.buttons[0].rect
        root.panel("next", button).widget(button)
        if self.replayable():
            hint = pygame.Rect(button.right + 24, button.y, BOARD.right - button.right - 24,
                               button.height)
            root.panel("hint", hint).text_in(hint, Msg("party.replay_hint",
                                                       count=len(self.turns)),
                                             "small", c.text_dim, lines=2, valign="centre")
        return root.report

    def _layout_card(self, card: Panel, turn: Turn) -> None:
        """Painting on top, the pair's two machine pictures under it, then name and score."""
        theme = self.app.theme
        c = theme.colors
        player = self.session.player(turn.player_index)
        line = line_height(theme, "body")
        room = card.remaining - line - 12
        cell = card.take(round(room * 0.62), gap=6)
        picture = self.paintings[id(turn)]
        if picture is not None:
            fitted = card.picture(picture.get_size(), cell)
            if turn.painting_ref.origin == "uploaded":
                self._layout_tag(card, fitted)
        else:
            card.text_in(cell, Msg("reveal.no_painting"), "small", c.text_dim, align="centre",
                         valign="centre")
        tags = line_height(theme, "small")
        minis = card.take(room - cell.height - tags)
        width = (minis.width - 8) // 2
        round_ = turn.painting_ref
        for k, engine in enumerate(("magenta", "gatys")):
            box = pygame.Rect(minis.x + k * (width + 8), minis.y, width, minis.height)
            mini = self._mini(turn, engine)
            if mini is not None:
                card.picture(mini.get_size(), box)
            else:
                card.widget(box)
            # Under each picture, the engine that made it (a stand-in by its own name).
            slot = round_.slots.get(engine) if round_ is not None else None
            card.text_in(pygame.Rect(box.x, card.y, box.width, 0),
                         short_name(slot) if slot else Msg(f"machines.short_{engine}"),
                         "small", c.text_dim, align="centre")
        card.take(tags, gap=6)
        row = card.take(line)
        score = self._score_text(turn)
        score_box = card.text_in(row, score, "body", c.accent, align="right")
        card.text_in(pygame.Rect(row.x + 6, row.y, row.width - score_box.rect.width - 18, 0),
                     player.name, "body", player.colour)

    def _layout_tag(self, card: Panel, picture: pygame.Rect) -> None:
        """'uploaded' on a dark strip at the foot of a brought picture, as the contact sheet
        tags it; on the picture, so a long name on an eight-player card keeps its room."""
        theme = self.app.theme
        height = line_height(theme, "small") + 4
        width = min(picture.width, theme.size(theme.strings(Msg("attempt.uploaded")),
                                              "small")[0] + 16)
        rect = pygame.Rect(picture.x, picture.bottom - height, width, height)
        rect.centerx = picture.centerx
        card.panel("tag", rect).text_in(rect.inflate(-8, 0), Msg("attempt.uploaded"), "small",
                                        theme.colors.text, align="centre", valign="centre")

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        report = self.layout()
        report.draw_text(surface, theme, "party_reveal.top")
        for i, turn in enumerate(self.turns):
            self._draw_card(surface, turn, report, f"party_reveal.grid.card{i}")
        draw_scoreboard(surface, theme, report, "party_reveal.board")
        report.draw_text(surface, theme, "party_reveal.hint")
        self.menu.draw(surface, theme)

    def _mini(self, turn: Turn, engine: str) -> pygame.Surface | None:
        round_ = turn.painting_ref
        slot = round_.slots.get(engine) if round_ is not None else None
        if slot is None or slot.image is None:
            return None
        key = (id(slot.image), engine)
        if key not in self._minis:
            self._minis[key] = fit_surface(array_to_surface(slot.image), self.mini_box)
        return self._minis[key]

    def _draw_card(self, surface: pygame.Surface, turn: Turn, report: LayoutReport,
                   name: str) -> None:
        theme = self.app.theme
        c = theme.colors
        player = self.session.player(turn.player_index)
        rect = report.panels[name]
        draw_panel(surface, theme, rect)
        pygame.draw.rect(surface, player.colour, rect, 2, border_radius=12)
        pictures = iter(report.find(name, "picture"))
        painting = self.paintings[id(turn)]
        if painting is not None:
            self._blit(surface, painting, next(pictures).rect)
            tag = report.panels.get(f"{name}.tag")
            if tag is not None:                 # a brought picture's strip, under its word
                strip = pygame.Surface(tag.size, pygame.SRCALPHA)
                strip.fill((0, 0, 0, 170))
                surface.blit(strip, tag)
        empty = iter(report.find(name, "widget"))
        for engine in ("magenta", "gatys"):
            mini = self._mini(turn, engine)
            if mini is None:
                pygame.draw.rect(surface, c.panel_light, next(empty).rect, border_radius=6)
            else:
                self._blit(surface, mini, next(pictures).rect)
        report.draw_text(surface, theme, name)

    def _blit(self, surface: pygame.Surface, picture: pygame.Surface, rect) -> None:
        """A picture at its laid-out rect (scaled once, if the layout made it smaller)."""
        if picture.get_size() != rect.size:
            key = (id(picture), rect.size)
            if key not in self._fitted:
                self._fitted[key] = pygame.transform.smoothscale(picture, rect.size)
            picture = self._fitted[key]
        surface.blit(picture, rect)

    def _score_text(self, turn: Turn) -> str:
        if not turn.scored:
            dots = "." * (1 + int(self.time * 2) % 3)
            return self.app.t("party.scoring") + dots
        if turn.score is None:
            return self.app.t("party.no_score")
        return f"{turn.score:.1f}"
