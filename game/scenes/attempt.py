"""Bring your own attempt: load a picture made elsewhere and confirm it before it is scored.

Drop a file anywhere on the window or press T to type its path. The picture is shown where
the canvas would be, fitted exactly as it will be scored (game.attempt), beside the pair it
answers; Enter uses it, Esc goes back. Setup and the paint scene's pause menu open this
screen; it pops itself before handing the picture on, so each caller goes on from its own
screen. A picture that cannot be read leaves one line naming the file, and any picture
already shown stays.
"""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable

import numpy as np
import pygame

from game.attempt import Attempt, AttemptError, load_attempt
from game.i18n import Msg, Text
from game.scene import Scene
from game.scenes.paint import CANVAS_BOX, canvas_size_for
from game.scenes.paint_layout import REF_BOX, REF_RECTS
from game.services import array_to_surface, fit_surface
from game.ui.layout import LayoutReport, Panel
from game.ui.widgets import Button, Menu

TOP = pygame.Rect(14, 8, 1040, 56)                 # the heading; Back sits right of it
WORDS = pygame.Rect(16, 76, 190, 628)              # what to do, the file, its note or error
BACK = pygame.Rect(1072, 14, 196, 44)
ANOTHER = pygame.Rect(1072, 500, 196, 70)
CONFIRM = pygame.Rect(1072, 600, 196, 100)


class AttemptScene(Scene):
    name = "attempt"

    def __init__(self, app, content, style, on_confirm: Callable[[np.ndarray], None],
                 path: str | None = None) -> None:
        super().__init__(app)
        self.on_confirm = on_confirm      # gets the fitted (h, w, 3) uint8 picture
        images = app.services.images
        self.canvas_size = canvas_size_for(images.array(content).shape)   # (w, h)
        self.canvas_rect = pygame.Rect((0, 0), self.canvas_size)
        self.canvas_rect.center = CANVAS_BOX.center
        self.refs = {kind: fit_surface(images.surface(item, (600, 450)), REF_BOX)
                     for kind, item in (("content", content), ("style", style))}
        self.attempt: Attempt | None = None
        self.picture: pygame.Surface | None = None
        self.error: Text = ""
        if path is not None:
            self.load(path)

    def enter(self) -> None:
        self.menu = Menu()
        self.confirm_button = Button(CONFIRM, Msg("attempt.confirm"), self.confirm,
                                     (pygame.K_RETURN, pygame.K_KP_ENTER), "Enter")
        self.another_button = Button(ANOTHER, Msg("attempt.type_path"), self.ask_path,
                                     (pygame.K_t,), "T")
        for button in (self.another_button, self.confirm_button,
                       Button(BACK, Msg("common.back"), self.app.pop, (pygame.K_ESCAPE,),
                              "Esc")):
            self.menu.add(button)
        self._refresh_buttons()

    # -- actions -------------------------------------------------------------------
    def load(self, path: str) -> str | None:
        """Show the picture at `path`; the error line for the screen, or None."""
        try:
            self.attempt = load_attempt(path, self.canvas_size)
        except AttemptError as exc:
            self.error = str(exc)
            return self.error
        self.picture = array_to_surface(self.attempt.image)
        self.error = ""
        if hasattr(self, "menu"):
            self._refresh_buttons()
        return None

    def _refresh_buttons(self) -> None:
        shown = self.attempt is not None
        self.confirm_button.enabled = shown
        self.another_button.label = Msg("attempt.another" if shown else "attempt.type_path")
        self.menu.focus = self.menu.buttons.index(
            self.confirm_button if shown else self.another_button)

    def ask_path(self) -> None:
        from game.scenes.prompt import TextPrompt

        def submit(text: str) -> str | None:
            if not text:
                return self.app.t("setup.type_a_path")
            return self.load(text)

        self.app.push(TextPrompt(self.app, Msg("attempt.prompt_title"),
                                 Msg("attempt.prompt_hint"), submit))

    def confirm(self) -> None:
        if self.attempt is None:
            return
        self.app.services.sound.play("click")
        self.app.pop()                    # the caller goes on from its own screen
        self.on_confirm(self.attempt.image)

    # -- scene ---------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.DROPFILE:
            self.load(event.file)
            return
        self.menu.handle_event(event)

    def layout(self) -> LayoutReport:
        theme = self.app.theme
        c = theme.colors
        root = Panel.screen(theme, "attempt")
        top = root.panel("top", TOP)
        top.text_in(top.rect, Msg("attempt.heading"), "h1", c.accent, valign="centre")
        words = root.panel("words", WORDS)
        words.text(Msg("attempt.intro"), "small", c.text_dim,
                   lines=words.most_lines(Msg("attempt.intro"), "small", 12), gap=14)
        if self.error:
            words.text(self.error, "small", c.urgent,
                       lines=max(1, words.most_lines(self.error, "small", 10)), gap=10)
        if self.attempt is not None:
            name = Msg("attempt.from_file", file=PurePath(self.attempt.source).name)
            words.text(name, "small", c.text, lines=3, gap=8)
            if self.attempt.note is not None:
                words.text(self.attempt.note, "small", c.accent, lines=3)
        canvas = root.panel("canvas", self.canvas_rect)
        if self.picture is None:
            canvas.text_in(canvas.rect, Msg("attempt.waiting"), "h2", c.text_dim,
                           align="centre", valign="centre")
        else:
            canvas.picture(self.picture.get_size(), self.canvas_rect)
        refs = root.panel("refs", pygame.Rect(1064, 66, 212, 424))
        for kind, label in (("content", Msg("paint.photo")), ("style", Msg("paint.style"))):
            box = REF_RECTS[kind]
            refs.picture(self.refs[kind].get_size(), box)
            refs.text_in(pygame.Rect(box.x, box.y - 22, box.width, 0), label, "small",
                         c.text_dim)
        for button in self.menu.buttons:
            root.panel(f"button{self.menu.buttons.index(button)}", button.rect) \
                .widget(button.rect)
        return root.report

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        report = self.layout()
        frame = self.canvas_rect.inflate(12, 12)
        pygame.draw.rect(surface, c.panel, frame, border_radius=6)
        pygame.draw.rect(surface, c.accent if self.picture else c.panel_light, frame, width=3,
                         border_radius=6)
        if self.picture is not None:
            surface.blit(self.picture, self.canvas_rect)
        for kind in ("content", "style"):
            rect = self.refs[kind].get_rect(center=REF_RECTS[kind].center)
            surface.blit(self.refs[kind], rect)
            pygame.draw.rect(surface, c.panel_light, rect.inflate(4, 4), 2)
        report.draw_text(surface, theme)
        self.menu.draw(surface, theme)
