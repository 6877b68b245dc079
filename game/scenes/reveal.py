"""Reveal: the painting beside the two machines' slots and the score slot.

The machines' slots are filled by the NST service when it lands; until then they say
honestly that they are waiting for the models. The score slot (round.scoring) shows the
round score, the three comparisons behind it, the painting's three parts and what cost the
most, and one sentence on what the score means (game/scenes/reveal_score.py); with no
score (model missing or damaged, a machine failed, gave up) it says why, and the machines'
pictures stay on screen all the same.

In kiosk mode the finished painting is kept for the gallery when the player leaves the
reveal (or signs it on the name entry), and with kiosk.names = "anonymous" the sign
button saves the score straight away, with no name.
"""
from __future__ import annotations

import math

import pygame

from game.catalogue import shown
from game.i18n import Msg
from game.round import Round
from game.scene import Scene
from game.scenes.reveal_score import draw_score
from game.services import array_to_surface, fit_surface
from game.ui.widgets import Button, Menu

SLOT = (384, 330)
SLOT_X = (32, 448, 864)
SLOT_Y = 120            # the score block (reveal_score.py) sits under the captions


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
        self.painting = fit_surface(array_to_surface(round_.painting), SLOT) \
            if round_.painting is not None else None
        images = app.services.images
        self.thumbs = [images.surface(round_.content, (90, 60)),
                       images.surface(round_.style, (90, 60))]
        # Scaled machine pictures by engine, redone only when the slot's image changes.
        self._machine_surfaces: dict[str, tuple[int, pygame.Surface]] = {}

    def enter(self) -> None:
        self.app.services.sound.play("reveal")
        self.menu = Menu(vertical=False)
        sign = Msg("kiosk.save_score") if self.anonymous else Msg("reveal.sign")
        save = self.menu.add(Button(pygame.Rect(330, 630, 300, 60), sign,
                                    self.save, (pygame.K_RETURN, pygame.K_s), "Enter"))
        if self.round.gave_up or self.round.painting is None:
            save.enabled = False
            save.label = Msg("reveal.no_score_gave_up")
        self.menu.add(Button(pygame.Rect(650, 630, 200, 60), Msg("reveal.again"), self.again,
                             (pygame.K_r,), "R"))
        self.menu.add(Button(pygame.Rect(870, 630, 160, 60), Msg("reveal.title"), self.leave,
                             (pygame.K_ESCAPE,), "Esc"))
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

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        theme.blit_text(surface, self.app.t("reveal.heading"), (32, 22), "h1", c.accent)
        content, style = (shown(item, self.app.strings).title
                          for item in (self.round.content, self.round.style))
        theme.blit_text(surface, f"{content}  ×  {style}",
                        (300, 38), "body", c.text_dim)
        for i, thumb in enumerate(self.thumbs):
            surface.blit(thumb, thumb.get_rect(topright=(1248 - (1 - i) * 100, 20)))
        captions = [(Msg("reveal.your_painting"), Msg("reveal.by_hand"))]
        captions += [(slot.label, slot.detail) for slot in self.round.slots.values()]
        for i, (x, (title, detail)) in enumerate(zip(SLOT_X, captions)):
            appear = max(0.0, min(1.0, (self.time - 0.25 * i) * 2.5))   # slide in one by one
            rect = pygame.Rect(x, SLOT_Y + round((1 - appear) * 40), *SLOT)
            pygame.draw.rect(surface, c.panel, rect.inflate(12, 12), border_radius=10)
            if i == 0:
                self._draw_painting(surface, rect)
            else:
                self._draw_machine(surface, rect, list(self.round.slots.values())[i - 1])
            # A long label (a translated stand-in's name) steps down a size to fit its slot.
            role = "h2" if theme.fonts["h2"].size(self.app.strings(title))[0] <= SLOT[0] \
                else "body"
            theme.blit_text(surface, title, (rect.x, rect.bottom + 14), role)
            theme.blit_text(surface, detail, (rect.x, rect.bottom + 46), "small", c.text_dim)
        draw_score(surface, theme, self.round)
        self.menu.draw(surface, theme)
        if self.error is not None:
            theme.blit_text(surface, theme.wrap(self.error, "small", 1200)[0], (640, 716),
                            "small", c.urgent, "midbottom")

    def _draw_painting(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        if self.painting is None:
            self.app.theme.blit_text(surface, Msg("reveal.no_painting"), rect.center, "h2",
                                     self.app.theme.colors.text_dim, "center")
            return
        surface.blit(self.painting, self.painting.get_rect(center=rect.center))

    def _machine_surface(self, slot, size: tuple[int, int]) -> pygame.Surface:
        cached = self._machine_surfaces.get(slot.engine)
        if cached is None or cached[0] != id(slot.image):
            cached = (id(slot.image), fit_surface(array_to_surface(slot.image), size))
            self._machine_surfaces[slot.engine] = cached
        return cached[1]

    def _draw_caption(self, surface: pygame.Surface, image_rect: pygame.Rect,
                      text: str) -> None:
        """A dark strip along the picture's bottom edge with up to two lines of text."""
        theme = self.app.theme
        lines = theme.wrap(text, "small", image_rect.width - 16)[:2]
        strip = pygame.Surface((image_rect.width, 8 + 20 * len(lines)), pygame.SRCALPHA)
        strip.fill((0, 0, 0, 150))
        surface.blit(strip, (image_rect.x, image_rect.bottom - strip.get_height()))
        for k, line in enumerate(lines):
            theme.blit_text(surface, line, (image_rect.x + 8,
                                            image_rect.bottom - strip.get_height() + 4 + 20 * k),
                            "small", theme.colors.text)

    def _draw_machine(self, surface: pygame.Surface, rect: pygame.Rect, slot) -> None:
        theme = self.app.theme
        c = theme.colors
        if slot.image is not None:
            image = self._machine_surface(slot, rect.size)
            surface.blit(image, image.get_rect(center=rect.center))
            if slot.status == "running":        # Gatys keeps refining on screen
                badge = pygame.Rect(rect.x + 8, rect.bottom - 34, rect.width - 16, 26)
                pygame.draw.rect(surface, c.panel, badge, border_radius=6)
                fill = badge.inflate(-4, -4)
                fill.width = round(fill.width * min(1.0, slot.progress))
                pygame.draw.rect(surface, c.accent_dark, fill, border_radius=5)
                theme.blit_text(surface, Msg("reveal.refining", iteration=slot.iteration),
                                badge.center, "small", c.text, "center")
            elif slot.settings_text:            # the settings that made this picture
                self._draw_caption(surface, image.get_rect(center=rect.center),
                                   slot.settings_text)
            return
        pygame.draw.rect(surface, c.panel_light, rect, border_radius=8)
        if slot.status == "failed":
            for k, line in enumerate(theme.wrap(slot.detail, "small", rect.width - 40)[:5]):
                theme.blit_text(surface, line, (rect.centerx, rect.centery - 40 + 24 * k),
                                "small", c.urgent, "midtop")
            return
        for k in range(8):      # a quiet spinner: the machines are thinking
            angle = self.time * 3 + k * math.pi / 4
            shade = 90 + round(120 * ((k + self.time * 8) % 8) / 8)
            pos = (rect.centerx + 26 * math.cos(angle), rect.centery - 20 + 26 * math.sin(angle))
            pygame.draw.circle(surface, (shade, shade, shade), pos, 5)
        message = Msg("reveal.waiting") if slot.status == "waiting" else Msg("reveal.working")
        theme.blit_text(surface, message, (rect.centerx, rect.centery + 40), "body", c.text_dim,
                        "midtop")
