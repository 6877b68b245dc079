"""Pause overlay over the paint scene: resume, give up, quit to title, and where the round
allows it, a picture made elsewhere instead of the canvas. The clock stops."""
from __future__ import annotations

import pygame

from game.i18n import Msg
from game.scene import Scene
from game.ui.widgets import Button, Menu, column_rects, draw_panel


class PauseOverlay(Scene):
    name = "pause"
    is_overlay = True

    def __init__(self, app, paint_scene) -> None:
        super().__init__(app)
        self.paint = paint_scene

    def enter(self) -> None:
        items = [(Msg("pause.resume"), self.app.pop, (pygame.K_ESCAPE, pygame.K_r), "Esc"),
                 (Msg("pause.give_up"), self.give_up, (pygame.K_g,), "G"),
                 (Msg("pause.quit"), self.quit_to_title, (pygame.K_q,), "Q")]
        if self.paint.allow_upload:
            items.insert(1, (Msg("attempt.use_instead"), self.upload, (pygame.K_u,), "U"))
        rects = column_rects(640, 290, len(items), width=380, height=54)
        self.menu = Menu()
        for rect, (label, action, keys, hint) in zip(rects, items):
            self.menu.add(Button(rect, label, action, keys, hint))
        # The panel grows with the menu; the clock line sits under it.
        self.box = pygame.Rect(400, 180, 480, rects[-1].bottom + 30 - 180)

    def upload(self) -> None:
        from game.scenes.attempt import AttemptScene
        round_ = self.paint.round
        self.app.push(AttemptScene(self.app, round_.content, round_.style, self.use_picture))

    def use_picture(self, image) -> None:
        """The confirmed picture replaces the canvas: the round ends with it, as a painting
        would (a party's next turn, or the reveal)."""
        self.app.pop()
        self.paint.finish(uploaded=image)

    def give_up(self) -> None:
        self.app.pop()
        self.paint.give_up()

    def quit_to_title(self) -> None:
        from game.scenes.title import TitleScene
        self.paint.round.give_up()
        self.app.services.machines.abandon(self.paint.round)
        if self.paint.on_quit is not None:
            self.paint.on_quit()
        self.app.replace(TitleScene(self.app))

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        surface.blit(shade, (0, 0))
        draw_panel(surface, theme, self.box)
        theme.blit_text(surface, self.app.t("pause.heading"), (640, 232), "h1",
                        theme.colors.accent, "center")
        self.menu.draw(surface, theme)
        theme.blit_text(surface, self.app.t("pause.clock_stopped"),
                        (640, self.box.bottom + 30), "small", theme.colors.text_dim, "center")
