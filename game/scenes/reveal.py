"""Reveal: the painting beside the two machines' slots and the score slot.

The machines' slots are filled by the NST service when it lands; until then they say
honestly that they are waiting for the models. The score slot (round.scoring) shows the
round score, the three comparisons behind it, the painting's three parts and what cost the
most, and one sentence on what the score means (game/scenes/reveal_score.py); with no
score (model missing or damaged, a machine failed, gave up) it says why, and the machines'
pictures stay on screen all the same. Where each of these goes, measured in the current
language and text size, is game/scenes/reveal_layout.py's: this scene draws its report.

In kiosk mode the finished painting is kept for the gallery when the player leaves the
reveal (or signs it on the name entry), and with kiosk.names = "anonymous" the sign
button saves the score straight away, with no name.
"""
from __future__ import annotations

import math

import pygame

from game.catalogue import shown
from game.i18n import Msg
from game.round import Round, worded
from game.scene import Scene
from game.scenes.reveal_layout import RevealView, reveal_layout
from game.services import array_to_surface
from game.ui.layout import LayoutReport
from game.ui.widgets import Button, Menu


class RevealScene(Scene):
    name = "reveal"

    def __init__(self, app, round_: Round, stroke_log=None) -> None:
        super().__init__(app)
        self.round = round_
        self.stroke_log = stroke_log
        self.error: Msg | None = None
        kiosk = app.config.kiosk
        self.anonymous = kiosk.enabled and kiosk.names == "anonymous"
        self.time = 0.0
        self.painting = array_to_surface(round_.painting) \
            if round_.painting is not None else None
        images = app.services.images
        self.thumbs = [images.surface(round_.content, (90, 60)),
                       images.surface(round_.style, (90, 60))]
        # Pictures scaled to their laid-out size, by slot: redone only when the slot's image
        # or its size changes (a language or text size change resizes the panels).
        self._scaled: dict[str, tuple[tuple, pygame.Surface]] = {}
        self._sources: dict[str, tuple[int, pygame.Surface]] = {}   # engine -> its image
        self._cover: pygame.Surface | None = None     # fades a slot panel in

    def enter(self) -> None:
        self.app.services.sound.play("reveal")
        self.menu = Menu(vertical=False)
        sign = Msg("kiosk.save_score") if self.anonymous else \
            worded("reveal.sign", self.round.origin)
        save = self.menu.add(Button(pygame.Rect(330, 630, 300, 60), sign,
                                    self.save, (pygame.K_RETURN, pygame.K_s), "Enter"))
        if self.round.gave_up or self.round.painting is None:
            save.enabled = False
            save.label = Msg("reveal.no_score_gave_up")
        self.menu.add(Button(pygame.Rect(650, 630, 200, 60), Msg("reveal.again"), self.again,
                             (pygame.K_r,), "R"))
        self.menu.add(Button(pygame.Rect(870, 630, 160, 60), Msg("reveal.title"), self.leave,
                             (pygame.K_ESCAPE,), "Esc"))
        replay = self.menu.add(Button(pygame.Rect(1050, 630, 210, 60), Msg("replay.button"),
                                      self.replay, (pygame.K_d,), "D"))
        replay.enabled = not self.round.gave_up and self.round.painting is not None
        self.menu.focus = 0 if save.enabled else 1

    def save(self) -> None:
        from game.scenes.name_entry import NameEntryScene
        if self.anonymous:
            self.save_anonymous()
            return
        self.app.replace_top(NameEntryScene(self.app, self.round, self.stroke_log))

    def save_anonymous(self) -> None:
        from game.kiosk_mode import ANONYMOUS_NAME
        from game.scenes.leaderboard import LeaderboardScene
        from game.scenes.name_entry import store_score
        result = store_score(self.app, self.round, ANONYMOUS_NAME)
        if isinstance(result, Msg):
            self.error = result
            return
        self._keep()
        self.app.replace_top(LeaderboardScene(self.app, highlight=result.id))

    def replay(self) -> None:
        """The duel replayed over this reveal; Esc there comes back here."""
        from game.scenes.replay import ReplayScene
        self.app.push(ReplayScene(self.app, self.round, self.stroke_log, self.kiosk_leave))

    def again(self) -> None:
        from game.scenes.setup import SetupScene
        self.kiosk_leave()
        self.app.replace_top(SetupScene(self.app))

    def leave(self) -> None:
        self.kiosk_leave()
        self.app.pop()

    def kiosk_leave(self) -> None:
        """The player moves on (a button, or the kiosk's idle time-out)."""
        if self._keep():
            # Kept in the gallery: scored with what the machines have finished.
            self.app.services.machines.release(self.round)
        else:
            self.app.services.machines.abandon(self.round)   # nobody waits for it

    def _keep(self) -> bool:
        kiosk = getattr(self.app.services, "kiosk", None)   # None outside kiosk mode
        return kiosk is not None and kiosk.keep(self.round, self.stroke_log)

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def update(self, dt: float) -> None:
        self.time += dt

    def view(self) -> RevealView:
        """Everything this frame shows, measured in the current language and text size."""
        pair = tuple(shown(item, self.app.strings).title     # in the player's language
                     for item in (self.round.content, self.round.style))
        size = self.painting.get_size() if self.painting is not None else None
        return reveal_layout(self.app.theme, self.round, pair,
                             [thumb.get_size() for thumb in self.thumbs], size, self.error)

    def layout(self) -> LayoutReport:
        return self.view().report

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        view = self.view()
        report = view.report
        report.draw_text(surface, theme, "reveal.header")
        for thumb, rect in zip(self.thumbs, view.thumbs):
            surface.blit(thumb, thumb.get_rect(center=rect.center))
        names = ("painting", "magenta", "gatys")
        slots = [None, *self.round.slots.values()]
        for i, (name, slot, laid) in enumerate(zip(names, slots, view.slots)):
            pygame.draw.rect(surface, c.panel, laid.panel, border_radius=10)
            if slot is None:
                self._blit_picture(surface, name, self.painting, laid.picture)
            else:
                self._draw_machine(surface, laid, slot)
            report.draw_text(surface, theme, f"reveal.body.{name}")
            # Fading in one by one, not sliding: a slid panel ran into the score (issue 11).
            appear = max(0.0, min(1.0, (self.time - 0.25 * i) * 2.5))
            self._fade(surface, laid.panel, round(255 * (1 - appear)))
        report.draw_text(surface, theme, "reveal.body.score")
        self.menu.draw(surface, theme)
        report.draw_text(surface, theme, "reveal.footer")

    def _fade(self, surface: pygame.Surface, rect: pygame.Rect, cover: int) -> None:
        """The background over `rect`, `cover` of 255 opaque (a panel not in yet)."""
        if cover >= 255:
            surface.fill(self.app.theme.colors.background, rect)    # an opaque blit is slow
        elif cover > 0:
            if self._cover is None or self._cover.get_size() != rect.size:
                self._cover = pygame.Surface(rect.size)
                self._cover.fill(self.app.theme.colors.background)
            self._cover.set_alpha(cover)
            surface.blit(self._cover, rect)

    def _blit_picture(self, surface: pygame.Surface, name: str, source, rect) -> None:
        """`source` scaled to its laid-out rect (cached while both stay the same)."""
        if source is None or rect is None:
            return
        key = (id(source), rect.size)
        cached = self._scaled.get(name)
        if cached is None or cached[0] != key:
            cached = (key, pygame.transform.smoothscale(source, rect.size))
            self._scaled[name] = cached
        surface.blit(cached[1], rect)

    def _source(self, slot) -> pygame.Surface:
        """The slot's picture as a surface, converted once per image."""
        cached = self._sources.get(slot.engine)
        if cached is None or cached[0] != id(slot.image):
            cached = (id(slot.image), array_to_surface(slot.image))
            self._sources[slot.engine] = cached
        return cached[1]

    def _draw_machine(self, surface: pygame.Surface, laid, slot) -> None:
        c = self.app.theme.colors
        if slot.image is not None:
            self._blit_picture(surface, slot.engine, self._source(slot), laid.picture)
            if laid.badge is not None:
                badge = laid.badge
                pygame.draw.rect(surface, c.panel, badge, border_radius=6)
                fill = badge.inflate(-4, -4)
                fill.width = round(fill.width * min(1.0, slot.progress))
                pygame.draw.rect(surface, c.accent_dark, fill, border_radius=5)
            elif laid.strip is not None:
                strip = pygame.Surface(laid.strip.size, pygame.SRCALPHA)
                strip.fill((0, 0, 0, 150))
                surface.blit(strip, laid.strip)
            return
        pygame.draw.rect(surface, c.panel_light, laid.cell, border_radius=8)
        if laid.spinner is None:
            return
        x, y = laid.spinner
        for k in range(8):      # a quiet spinner: the machines are thinking
            angle = self.time * 3 + k * math.pi / 4
            shade = 90 + round(120 * ((k + self.time * 8) % 8) / 8)
            pygame.draw.circle(surface, (shade, shade, shade),
                               (x + 26 * math.cos(angle), y + 26 * math.sin(angle)), 5)
