"""Buttons, sliders and a keyboard-navigable menu: every button also has a key."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import pygame

from game.file_names import display_text
from game.i18n import Text
from game.ui.theme import ELLIPSIS, Theme


PAD = 8          # between a button's edge and its text
HINT_GAP = 8     # between a label and its key hint beside it


def measure(theme: Theme, text: str, role: str) -> tuple[int, int]:
    """A line's size as drawn: a rendered line can be a pixel or two taller than the font
    measures it, and lines placed by the measure alone then touch."""
    return theme.text(text, role).get_size()


@dataclass
class Placed:
    """One line of a button's text, fitted: what it says, its font role and where it goes."""

    text: str
    role: str
    rect: pygame.Rect
    hint: bool = False              # the key hint (drawn in the accent colour)


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
    # The last fit, by what it depends on: the label is fitted again only when its words,
    # the button's size or the text size change, not every frame.
    _fitted: tuple = field(default=(), init=False, repr=False, compare=False)

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
        hint_ink = c.accent if self.enabled else c.disabled
        for line in self.fit(theme):
            surface.blit(theme.text(line.text, line.role, hint_ink if line.hint else ink),
                         line.rect)
        if self.note and not self.enabled:
            theme.blit_text(surface, self.note, (self.rect.centerx, self.rect.bottom + 4),
                            "small", c.text_dim, "midtop")

    def fit(self, theme: Theme) -> list[Placed]:
        """The label and key hint placed inside the button, never outside it: side by side
        if they fit, else the hint under the label, else both a size down, else the label
        cut with '…' (a Romanian label or the large text size is wider than the button)."""
        label = theme.strings(self.label)
        key = (label, self.key_hint, tuple(self.rect), theme.text_size)
        if self._fitted and self._fitted[0] == key:
            return self._fitted[1]
        placed = self._fit(theme, label)
        self._fitted = (key, placed)
        return placed

    def _fit(self, theme: Theme, label: str) -> list[Placed]:
        room = self.rect.inflate(-2 * PAD, -4)
        roles = ("body", "small") if self.rect.height >= 40 else ("small",)
        hint = self.key_hint
        hint_size = measure(theme, hint, "small") if hint else (0, 0)
        for role in roles:
            size = measure(theme, label, role)
            if not hint:
                if size[0] <= room.width and size[1] <= room.height:
                    return self._row(theme, [(label, role, False)])
                continue
            if (size[0] + HINT_GAP + hint_size[0] <= room.width
                    and max(size[1], hint_size[1]) <= room.height):
                return self._row(theme, [(label, role, False), (hint, "small", True)])
            if (max(size[0], hint_size[0]) <= room.width
                    and size[1] + hint_size[1] <= room.height):
                return self._column(theme, [(label, role, False), (hint, "small", True)])
        role = roles[-1]
        height = measure(theme, label, role)[1]
        if hint and height + hint_size[1] <= room.height and hint_size[0] <= room.width:
            return self._column(theme, [(theme.ellipsise(label, role, room.width), role, False),
                                        (hint, "small", True)])
        left = room.width - HINT_GAP - hint_size[0]
        if hint and left >= measure(theme, "W" + ELLIPSIS, role)[0]:
            return self._row(theme, [(theme.ellipsise(label, role, left), role, False),
                                     (hint, "small", True)])
        # No room for the key hint: the key still works, and the label says what it does.
        return self._row(theme, [(theme.ellipsise(label, role, room.width), role, False)])

    def _row(self, theme: Theme, parts: list[tuple[str, str, bool]]) -> list[Placed]:
        """Side by side, centred in the button (the hint one pixel low: it reads level)."""
        sizes = [measure(theme, text, role) for text, role, _ in parts]
        x = self.rect.centerx - (sum(w for w, _ in sizes) + HINT_GAP * (len(parts) - 1)) // 2
        placed = []
        for (text, role, is_hint), (w, h) in zip(parts, sizes):
            rect = pygame.Rect(x, 0, w, h)
            rect.centery = self.rect.centery + (1 if is_hint else 0)
            rect.clamp_ip(self.rect)
            placed.append(Placed(text, role, rect, is_hint))
            x += w + HINT_GAP
        return placed

    def _column(self, theme: Theme, parts: list[tuple[str, str, bool]]) -> list[Placed]:
        """One under the other, centred in the button."""
        sizes = [measure(theme, text, role) for text, role, _ in parts]
        y = self.rect.centery - sum(h for _, h in sizes) // 2
        placed = []
        for (text, role, is_hint), (w, h) in zip(parts, sizes):
            rect = pygame.Rect(0, y, w, h)
            rect.centerx = self.rect.centerx
            placed.append(Placed(text, role, rect, is_hint))
            y += h
        return placed

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
