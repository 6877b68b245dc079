"""A party round's reveal: every painting beside the machines' pictures of its pair, each
player's score as it lands, and the running scoreboard.
"""
from __future__ import annotations

import pygame

from game.i18n import Msg
from game.party import Standing, Turn
from game.party_session import PartySession
from game.scene import Scene
from game.services import array_to_surface, fit_surface
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


def draw_scoreboard(surface: pygame.Surface, theme, session: PartySession,
                    rect: pygame.Rect, heading: Msg) -> None:
    c = theme.colors
    draw_panel(surface, theme, rect)
    theme.blit_text(surface, heading, (rect.x + 16, rect.y + 12), "body", c.accent)
    for i, standing in enumerate(session.party.standings()):
        y = rect.y + 56 + i * 56
        theme.blit_text(surface, rank_text(standing), (rect.x + 44, y), "h2", c.text_dim,
                        "topright")
        theme.blit_text(surface, standing.name, (rect.x + 58, y), "h2", standing.colour)
        theme.blit_text(surface, f"{standing.total:.1f}", (rect.right - 16, y), "h2",
                        c.text, "topright")


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

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt
        self.session.collect_scores()

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, Msg("party.round_reveal", number=self.round_index + 1,
                                     total=self.session.settings.rounds),
                        (GRID.x, 22), "h1", c.accent)
        for turn, card in zip(self.turns, self.cards):
            self._draw_card(surface, turn, card)
        draw_scoreboard(surface, theme, self.session, BOARD,
                        Msg("party.after_round", number=self.round_index + 1))
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

    def _draw_card(self, surface: pygame.Surface, turn: Turn, rect: pygame.Rect) -> None:
        theme = self.app.theme
        c = theme.colors
        player = self.session.player(turn.player_index)
        draw_panel(surface, theme, rect)
        pygame.draw.rect(surface, player.colour, rect, 2, border_radius=12)
        box = pygame.Rect(rect.x + 4, rect.y + 6, *self.painting_box)
        picture = self.paintings[id(turn)]
        if picture is not None:
            surface.blit(picture, picture.get_rect(center=box.center))
        else:
            theme.blit_text(surface, Msg("reveal.no_painting"), box.center, "small",
                            c.text_dim, "center")
        mini_w, mini_h = self.mini_box
        for k, engine in enumerate(("magenta", "gatys")):
            mini_box = pygame.Rect(rect.x + 4 + k * (mini_w + 8), box.bottom + 6, *self.mini_box)
            mini = self._mini(turn, engine)
            if mini is None:
                pygame.draw.rect(surface, c.panel_light, mini_box, border_radius=6)
            else:
                mini_box = surface.blit(mini, mini.get_rect(center=mini_box.center))
            label = theme.text(Msg(f"party.{engine}_short"), "small", c.text)
            tag = label.get_rect(bottomleft=(mini_box.x + 4, mini_box.bottom - 2))
            pygame.draw.rect(surface, (0, 0, 0), tag.inflate(6, 2))
            surface.blit(label, tag)
        y = box.bottom + mini_h + 12
        theme.blit_text(surface, player.name, (rect.x + 10, y), "body", player.colour)
        theme.blit_text(surface, self._score_text(turn), (rect.right - 10, y), "body",
                        c.accent, "topright")

    def _score_text(self, turn: Turn) -> str:
        if not turn.scored:
            dots = "." * (1 + int(self.time * 2) % 3)
            return self.app.t("party.scoring") + dots
        if turn.score is None:
            return self.app.t("party.no_score")
        return f"{turn.score:.1f}"
