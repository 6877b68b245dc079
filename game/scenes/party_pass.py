"""Between turns of a party: "pass to NAME", with the pair they will paint.

The screen is new each time, so the previous player's painting is out of sight before the
next player takes the mouse. In host mode the host picks the round's pair first (the setup
screen, reused). After the last turn of a round the party's round reveal follows.
Its text is laid out by its fonts (game/ui/layout.py): titles and names are cut with '…',
the turn order shares its row among the painters, and the pictures shrink when a large
text size needs their room.
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
from game.ui.layout import LayoutReport, Panel, line_height
from game.ui.widgets import Button, Menu, draw_panel

PAIR_BOX = (420, 280)
FRAME = 8                                     # the panel around each picture
READY = pygame.Rect(470, 620, 340, 68)
ORDER = pygame.Rect(40, 568, 1200, 44)        # this round's painters, over the Ready button
LEAVE = pygame.Rect(830, 622, 410, 88)        # the Esc hint, right of the Ready button
ORDER_GAP = 24


def share_row(widths: list[int], room: int) -> list[int]:
    """Each name's width in a row of `room` pixels: all whole when they fit, else the narrow
    ones whole and the wide ones an equal share of what the narrow ones leave."""
    shares, left, count = list(widths), room, len(widths)
    order = sorted(range(len(widths)), key=widths.__getitem__)
    for n, i in enumerate(order):
        fair = left // count
        if widths[i] > fair:
            for j in order[n:]:
                shares[j] = fair
            break
        left, count = left - widths[i], count - 1
    return shares


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
        self.session = session          # before Setup draws its first pair: style_kind reads it
        super().__init__(app)
        self.round_index = round_index
        self.leave_armed = False       # Esc twice ends the party; once could be a slip

    def round_seconds(self) -> int:
        return self.session.settings.seconds

    def style_kind(self) -> str:
        """The lobby's round type, not the solo Settings' one."""
        return self.session.settings.style_kind

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
        self._scaled: dict[tuple, pygame.Surface] = {}

    def enter(self) -> None:
        self.menu = Menu(vertical=False)
        self.menu.add(Button(pygame.Rect(READY), Msg("party.ready"),
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
        turn, session = self.turn, self.session

        def painted(scene) -> None:
            if scene.round.origin == "painted":
                session.keep_stroke_log(turn, scene.history.log)
            turn_done(self.app, session)

        self.app.replace_top(PaintScene(
            self.app, round_, on_done=painted,
            on_quit=self.session.abandon, allow_upload=self.session.settings.allow_uploads))

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            if self.leave_armed:
                self.session.abandon()
                self.app.pop()
            self.leave_armed = True
            return
        self.menu.handle_event(event)

    # -- layout and drawing -----------------------------------------------------------
    def layout(self) -> LayoutReport:
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "party_pass")
        top = root.panel("top", pygame.Rect(40, 12, 1200, 150))
        top.text(Msg("party.round_of", number=self.session.party.round_index + 1,
                     total=self.session.settings.rounds), "body", c.text_dim, align="centre",
                 gap=4)
        top.text(Msg("party.pass_to", name=self.player.name), "h1", self.player.colour,
                 align="centre")
        top.close()
        middle = root.panel("pair", pygame.Rect(40, top.rect.bottom + 8, 1200,
                                                ORDER.y - 8 - top.rect.bottom - 8))
        hint = Msg("party.ready_hint", name=self.player.name,
                   seconds=self.session.settings.seconds)
        error = (Msg("party.pair_unreadable", reason=self.error[:120])
                 if self.error is not None else None)
        under = line_height(theme, "small") + line_height(theme, "h2") + 6
        texts = middle.measure(hint, "body", lines=2) + 8 + (
            middle.measure(error, "small", lines=2) + 4 if error else 0)
        # The picture's frame above and below it, and the gap to the caption.
        column_h = 3 * FRAME + under
        picture_h = min(PAIR_BOX[1], middle.remaining - column_h - texts - 8)
        for i, (item, picture) in enumerate(self.pictures):
            column = middle.panel(str(i), pygame.Rect(
                400 + i * 480 - PAIR_BOX[0] // 2 - FRAME, middle.y, PAIR_BOX[0] + 2 * FRAME,
                picture_h + column_h), padding=FRAME)
            cell = column.widget(column.take(picture_h, gap=FRAME + 6))
            # Never larger than it was loaded: smaller only when the text needs the room.
            size = picture.get_size()
            fitted = pygame.Rect(0, 0, min(size[0], cell.width), min(size[1], cell.height))
            fitted.center = cell.center
            column.picture(size, fitted)
            caption = Msg("setup.paint_this") if i == 0 else Msg("setup.in_style_of")
            column.text(caption, "small", c.text_dim)
            column.text(shown(item, self.app.strings).title, "h2")
        middle.take(picture_h + column_h, gap=8)
        middle.text(hint, "body", c.text, lines=2, align="centre", gap=4)
        if error is not None:
            middle.text(error, "small", c.urgent, lines=2, align="centre")
        self._layout_order(root.panel("order", ORDER))
        root.widget(READY)
        leave = Msg("party.leave_again") if self.leave_armed else Msg("party.leave_hint")
        root.panel("leave", LEAVE).text_in(LEAVE, leave, "small", c.urgent if self.leave_armed
                                           else c.text_dim, lines=2, align="right",
                                           valign="bottom")
        return root.report

    def _layout_order(self, row: Panel) -> None:
        """This round's painters in order, sharing the row (a long name is cut to its share);
        done ones dimmed, the one passed to in their colour, a size up and cut last."""
        theme = self.app.theme
        turns = self.session.party.round_turns(self.turn.round_index)
        players = [self.session.player(turn.player_index) for turn in turns]
        roles = ["body" if turn is self.turn else "small" for turn in turns]
        widths = [theme.size(p.name, role)[0] for p, role in zip(players, roles)]
        room = row.rect.width - ORDER_GAP * (len(turns) - 1)
        # The one passed to first (up to a third of the row), the others share the rest.
        current = next(i for i, turn in enumerate(turns) if turn is self.turn)
        mine = min(widths[current], room // 3)
        shares = share_row(widths[:current] + widths[current + 1:], room - mine)
        shares.insert(current, mine)
        x = row.rect.centerx - (sum(shares) + ORDER_GAP * (len(turns) - 1)) // 2
        for turn, player, role, share in zip(turns, players, roles, shares):
            done = turn.painting_ref is not None
            colour = player.colour if turn is self.turn else (
                theme.colors.disabled if done else theme.colors.text_dim)
            row.text_in(pygame.Rect(x, row.rect.y, share, row.rect.height), player.name,
                        role, colour, valign="bottom")
            x += share + ORDER_GAP

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        report = self.layout()
        frames = report.find("party_pass.pair.0", "widget") + report.find(
            "party_pass.pair.1", "widget")
        pictures = report.find("party_pass.pair.0", "picture") + report.find(
            "party_pass.pair.1", "picture")
        for frame, picture, (_, image) in zip(frames, pictures, self.pictures):
            draw_panel(surface, theme, frame.rect.inflate(2 * FRAME, 2 * FRAME))
            if image.get_size() != picture.rect.size:     # scaled once per size
                key = (id(image), picture.rect.size)
                if key not in self._scaled:
                    self._scaled[key] = pygame.transform.smoothscale(image, picture.rect.size)
                image = self._scaled[key]
            surface.blit(image, picture.rect)
        report.draw_text(surface, theme)
        self.menu.draw(surface, theme)
