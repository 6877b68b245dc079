"""A small overlay that asks for one line of text (an image path, for example)."""
from __future__ import annotations

from typing import Callable

import pygame

from game.i18n import Text
from game.scene import Scene
from game.ui.widgets import TextField, draw_panel


class TextPrompt(Scene):
    """`on_submit(text)` returns an error message to show, or None to close the prompt."""

    name = "prompt"
    is_overlay = True

    def __init__(self, app, title: Text, hint: Text, on_submit: Callable[[str], str | None],
                 max_chars: int = 400) -> None:
        super().__init__(app)
        self.title, self.hint, self.on_submit = title, hint, on_submit
        self.field = TextField(max_chars=max_chars)
        self.error = ""
        self.time = 0.0

    def enter(self) -> None:
        pygame.key.start_text_input()

    def exit(self) -> None:
        pygame.key.stop_text_input()

    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.submit()
        elif event.type == pygame.DROPFILE:
            self.field.text = event.file
        elif self.field.handle_event(event):
            self.error = ""

    def submit(self) -> None:
        error = self.on_submit(self.field.text.strip())
        if error:
            self.error = error
        else:
            self.app.pop()

    def update(self, dt: float) -> None:
        self.time += dt

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 160))
        surface.blit(shade, (0, 0))
        box = pygame.Rect(140, 230, 1000, 260)
        draw_panel(surface, theme, box)
        theme.blit_text(surface, self.title, (box.x + 30, box.y + 24), "h2", theme.colors.accent)
        theme.blit_text(surface, self.hint, (box.x + 30, box.y + 70), "small",
                        theme.colors.text_dim)
        self.field.draw(surface, theme, pygame.Rect(box.x + 30, box.y + 105, box.width - 60, 56),
                        caret_on=int(self.time * 2) % 2 == 0)
        if self.error:
            for i, line in enumerate(theme.wrap(self.error, "small", box.width - 60)[:2]):
                theme.blit_text(surface, line, (box.x + 30, box.y + 172 + i * 22), "small",
                                theme.colors.urgent)
        theme.blit_text(surface, self.app.t("prompt.controls"),
                        (box.right - 30, box.bottom - 18), "small", theme.colors.text_dim,
                        "bottomright")
