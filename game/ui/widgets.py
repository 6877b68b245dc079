"""Buttons, sliders and a keyboard-navigable menu: every button also has a key."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import pygame

from game.file_names import display_text
from game.i18n import Text
from game.ui.theme import Theme


@dataclass
class Button:
    rect: pygame.Rect
    label: Text                     # a Msg is put into words each time the button is drawn
    action: Callable[[], None]
    keys: tuple[int, ...] = ()      # pygame key codes that press this button
    key_hint: str = ""              # shown on the button, e.g. "Enter"
    enabled: bool = True
    note: Text = ""                 # shown under a disabled button (why it is disabled)
    selected: bool = False          # a toggle's on state (tool buttons)

    def draw(self, surface: pygame.Surface, theme: Theme, focused: bool = False) -> None:
        c = theme.colors
        if not self.enabled:
            fill, edge, ink = c.panel, c.disabled, c.disabled
        elif self.selected:
            fill, edge, ink = c.accent_dark, c.accent, c.text
        elif focused:
            fill, edge, ink = c.panel_light, c.accent, c.text
        else:
            fill, edge, ink = c.panel, c.panel_light, c.text
        pygame.draw.rect(surface, fill, self.rect, border_radius=8)
        pygame.draw.rect(surface, edge, self.rect, width=2, border_radius=8)
        role = "body" if self.rect.height >= 40 else "small"
        if self.key_hint:
            hint = theme.text(self.key_hint, "small", c.accent if self.enabled else c.disabled)
            label = theme.text(self.label, role, ink)
            gap = 10
            total = label.get_width() + gap + hint.get_width()
            x = self.rect.centerx - total // 2
            surface.blit(label, label.get_rect(midleft=(x, self.rect.centery)))
            surface.blit(hint, hint.get_rect(midleft=(x + label.get_width() + gap,
                                                      self.rect.centery + 1)))
        else:
            theme.blit_text(surface, self.label, self.rect.center, role, ink, "center")
        if self.note and not self.enabled:
            theme.blit_text(surface, self.note, (self.rect.centerx, self.rect.bottom + 4),
                            "small", c.text_dim, "midtop")

    def press(self) -> bool:
        if self.enabled:
            self.action()
            return True
        return False


@dataclass
class Menu:
    """A group of buttons with a focus that arrows/Tab move and Enter/Space press."""

    buttons: list[Button] = field(default_factory=list)
    focus: int = 0
    vertical: bool = True

    def add(self, button: Button) -> Button:
        self.buttons.append(button)
        return button

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Returns True when the event was used."""
        if event.type == pygame.KEYDOWN:
            for button in self.buttons:
                if event.key in button.keys:
                    return button.press() or True
            back, forward = ((pygame.K_UP, pygame.K_DOWN) if self.vertical
                             else (pygame.K_LEFT, pygame.K_RIGHT))
            if event.key in (forward, pygame.K_TAB):
                self._move(+1)
                return True
            if event.key == back:
                self._move(-1)
                return True
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.buttons:
                return self.buttons[self.focus].press() or True
        elif event.type == pygame.MOUSEMOTION:
            for i, button in enumerate(self.buttons):
                if button.enabled and button.rect.collidepoint(event.pos):
                    self.focus = i
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for button in self.buttons:
                if button.rect.collidepoint(event.pos):
                    return button.press() or True
        return False

    def _move(self, step: int) -> None:
        enabled = [i for i, b in enumerate(self.buttons) if b.enabled]
        if not enabled:
            return
        if self.focus not in enabled:
            self.focus = enabled[0]
            return
        self.focus = enabled[(enabled.index(self.focus) + step) % len(enabled)]

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        for i, button in enumerate(self.buttons):
            button.draw(surface, theme, focused=(i == self.focus))


def column_rects(center_x: int, top: int, count: int, width: int = 360, height: int = 56,
                 gap: int = 14) -> list[pygame.Rect]:
    """Evenly spaced rects for a vertical menu."""
    return [pygame.Rect(center_x - width // 2, top + i * (height + gap), width, height)
            for i in range(count)]


def draw_panel(surface: pygame.Surface, theme: Theme, rect: pygame.Rect,
               alpha: int = 255) -> None:
    if alpha >= 255:
        pygame.draw.rect(surface, theme.colors.panel, rect, border_radius=12)
        return
    layer = pygame.Surface(rect.size, pygame.SRCALPHA)
    pygame.draw.rect(layer, (*theme.colors.panel, alpha), layer.get_rect(), border_radius=12)
    surface.blit(layer, rect)



def typeable(text: str) -> str:
    """What a text field keeps of typed or pasted text: no control characters (a pasted tab
    or line break, NUL) and no lone surrogates, which no font can draw."""
    return "".join(ch for ch in text
                   if unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn"))


@dataclass
class TextField:
    """One line of typed text (pygame TEXTINPUT events, so any keyboard layout works)."""

    max_chars: int = 64
    text: str = ""

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.TEXTINPUT:
            room = self.max_chars - len(self.text)
            if room > 0:
                self.text += typeable(event.text)[:room]
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_BACKSPACE:
            self.text = self.text[:-1]
            return True
        return False

    def draw(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect,
             caret_on: bool = True) -> None:
        c = theme.colors
        pygame.draw.rect(surface, c.panel_light, rect, border_radius=8)
        pygame.draw.rect(surface, c.accent, rect, width=2, border_radius=8)
        # A dropped file's path may not be UTF-8: shown safely, submitted as it is.
        shown = display_text(self.text)
        font = theme.fonts["h2"]
        while shown and font.size(shown)[0] > rect.width - 30:
            shown = shown[1:]          # keep the end (where the caret is) visible
        label = theme.text(shown, "h2") if shown else None
        x = rect.x + 14
        if label is not None:
            surface.blit(label, label.get_rect(midleft=(x, rect.centery)))
            x += label.get_width()
        if caret_on:
            pygame.draw.line(surface, c.accent, (x + 3, rect.y + 10), (x + 3, rect.bottom - 10), 2)
