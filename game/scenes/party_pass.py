"""Between turns of a party: "pass to NAME", with the pair they will paint.

The screen is new each time, so the previous player's painting is out of sight before the
next player takes the mouse. In host mode the host picks the round's pair first (the setup
screen, reused). After the last turn of a round the party's round reveal follows.
"""
from __future__ import annotations

import pygame

from game.catalogue import shown
from game.i18n import Msg
from game.image_loader import ImageLoadError
from game.party import Turn
from game.party_session import PartySession
from game.scene import Scene
from game.scenes.setup import SetupScene
from game.ui.widgets import Button, Menu

PAIR_BOX = (420, 280)


def begin_round(app, session: PartySession, round_index: int) -> None:
    """Start round_index: the host's pick if it has no pair yet, else its first pass.

    The party moves into the round only once the round has its pair (the rules refuse to
    enter a host round without one).
    """
    party = session.party
    if party.needs_pair(round_index):
        app.replace_top(HostPickScene(app, session, round_index))
        return
    if party.round_index < round_index:
        party.advance()
    session.start_round_jobs(round_index)
    app.replace_top(PassScene(app, session))


def turn_done(app, session: PartySession) -> None:
    """A painting is in: the next player, or the round's reveal after the last one."""
    from game.scenes.party_reveal import PartyRevealScene
    party = session.party
    round_index = party.round_index
    last_of_round = party.is_last_turn_of_round
    if last_of_round:
        app.replace_top(PartyRevealScene(app, session, round_index))
        return
    party.advance()
    app.replace_top(PassScene(app, session))


class HostPickScene(SetupScene):
    """The setup screen, for the host choosing the pair everyone paints this round."""

    name = "party_host_pick"
    heading = Msg("party.host_pick")

    def __init__(self, app, session: PartySession, round_index: int) -> None:
        super().__init__(app)
        self.session = session
        self.round_index = round_index
        self.leave_armed = False       # Esc twice ends the party; once could be a slip

    def round_seconds(self) -> int:
        return self.session.settings.seconds

    def start(self) -> None:
        images = self.app.services.images
        try:
            images.array(self.content), images.array(self.style)
        except ImageLoadError as exc:
            self.message = str(exc)         # the host picks another pair
            return
        self.session.party.set_round_pair(self.round_index, self.content.id, self.style.id)
        self.app.services.sound.play("click")
        begin_round(self.app, self.session, self.round_index)

    def back(self) -> None:
        """Esc twice: back to the lobby, players kept; the party's jobs stop."""
        if self.leave_armed:
            self.session.abandon()
            self.app.pop()
            return
        self.leave_armed = True
        self.message = Msg("party.leave_again")


class PassScene(Scene):
    name = "party_pass"

    def __init__(self, app, session: PartySession) -> None:
        super().__init__(app)
        self.session = session
        self.turn: Turn = session.party.current_turn
        self.player = session.player(self.turn.player_index)
        content, style = session.items(self.turn)
        images = app.services.images
        self.pictures = ((content, images.surface(content, PAIR_BOX)),
                         (style, images.surface(style, PAIR_BOX)))
        self.leave_armed = False       # Esc twice ends the party; once could be a slip
        self.error: str | None = None  # the pair could not be read: Ready again skips

    def enter(self) -> None:
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(470, 620, 340, 68), Msg("party.ready"),
                             self.ready, (pygame.K_RETURN, pygame.K_SPACE), "Enter"))
        self.app.services.sound.play("reveal")

    def ready(self) -> None:
        from game.scenes.paint import PaintScene
        content, style = self.session.items(self.turn)
        try:
            self.app.services.images.array(content), self.app.services.images.array(style)
        except ImageLoadError as exc:
            if self.error is None:
                self.error = str(exc)       # say why; Ready again skips the turn
                return
            round_ = self.session.round_for(self.turn)
            round_.give_up()                # no painting, no score: counts 0, flagged
            turn_done(self.app, self.session)
            return
        round_ = self.session.round_for(self.turn)
        self.app.services.sound.play("click")
        self.app.replace_top(PaintScene(
            self.app, round_, on_done=lambda _: turn_done(self.app, self.session),
            on_quit=self.session.abandon))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            if self.leave_armed:
                self.session.abandon()
                self.app.pop()
            self.leave_armed = True
            return
        self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        party = self.session.party
        theme.blit_text(surface, Msg("party.round_of", number=party.round_index + 1,
                                     total=self.session.settings.rounds),
                        (640, 26), "body", c.text_dim, "midtop")
        theme.blit_text(surface, Msg("party.pass_to", name=self.player.name), (640, 64),
                        "h1", self.player.colour, "midtop")
        for i, (item, picture) in enumerate(self.pictures):
            box = pygame.Rect(0, 0, *PAIR_BOX)
            box.center = (400 + i * 480, 300)
            pygame.draw.rect(surface, c.panel, box.inflate(16, 16), border_radius=10)
            surface.blit(picture, picture.get_rect(center=box.center))
            caption = Msg("setup.paint_this") if i == 0 else Msg("setup.in_style_of")
            theme.blit_text(surface, caption, (box.x, box.bottom + 14), "small", c.text_dim)
            title = shown(item, self.app.strings).title
            theme.blit_text(surface, title[:40], (box.x, box.bottom + 36), "h2")
        self._draw_order(surface)
        theme.blit_text(surface, Msg("party.ready_hint", name=self.player.name,
                                     seconds=self.session.settings.seconds),
                        (640, 580), "body", c.text, "midbottom")
        if self.error is not None:
            theme.blit_text(surface, Msg("party.pair_unreadable", reason=self.error[:120]),
                            (640, 600), "small", c.urgent, "midbottom")
        hint = Msg("party.leave_again") if self.leave_armed else Msg("party.leave_hint")
        theme.blit_text(surface, hint, (1268, 700), "small",
                        c.urgent if self.leave_armed else c.text_dim, "bottomright")
        self.menu.draw(surface, theme)

    def _draw_order(self, surface: pygame.Surface) -> None:
        """This round's painters in order; done ones dimmed, the next one bright."""
        theme = self.app.theme
        turns = self.session.party.round_turns(self.turn.round_index)
        x = 40
        for turn in turns:
            player = self.session.player(turn.player_index)
            current = turn is self.turn
            done = turn.painting_ref is not None
            colour = player.colour if current else (
                theme.colors.disabled if done else theme.colors.text_dim)
            rect = theme.blit_text(surface, player.name, (x, 700), "body" if current else
                                   "small", colour, "bottomleft")
            x = rect.right + 24
