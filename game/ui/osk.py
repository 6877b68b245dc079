"""An on-screen keyboard for the museum kiosk, which has a touch screen and no keyboard.

Design choice: `handle_event` returns an *action* ("text:<chars>", "backspace", "done" or
None) and, when the keyboard was given a `TextField`, also applies the edit to it (keeping
to the field's max_chars). A scene can therefore bind a field and only watch for "done",
while the demo bot and tests can read the actions without any field.

Shift is one-shot: it capitalises the next letter typed, then turns itself off, because
names rarely need more than their first capital.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import pygame

from game.i18n import Msg, Text
from game.ui.theme import SCREEN_SIZE, Theme
from game.ui.widgets import TextField

FLASH_SECONDS = 0.15   # long enough to see under a finger, short enough not to lag typing
GAP = 6                # px between keys: a fat finger on a gap hits nothing rather than two

SPECIAL_KEYS = ("shift", "space", "backspace", "done", "layout")
# Widths in key units; the long keys are the ones people hit blind on a phone-like layout.
KEY_UNITS = MappingProxyType({"shift": 2.0, "space": 3.0, "backspace": 2.0, "done": 2.0,
                              "layout": 1.5})

# Rows of key names: one character, or a SPECIAL_KEYS name. "layout" is dropped when the
# keyboard has only one layout. The Romanian letters sit where a Romanian standard keyboard
# has them (ă î â right of P, ș ț right of L) so local visitors find them by habit; ș and ț
# are the comma-below letters U+0219/U+021B, which is the correct spelling (not cedilla).
_DIGITS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "-", "'", "backspace")
LAYOUTS = MappingProxyType({
    "en": (
        _DIGITS,
        ("q", "w", "e", "r", "t", "y", "u", "i", "o", "p"),
        ("a", "s", "d", "f", "g", "h", "j", "k", "l", "done"),
        ("shift", "z", "x", "c", "v", "b", "n", "m", ".", "space", "layout"),
    ),
    "ro": (
        _DIGITS,
        ("q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "ă", "î", "â"),
        ("a", "s", "d", "f", "g", "h", "j", "k", "l", "ș", "ț", "done"),
        ("shift", "z", "x", "c", "v", "b", "n", "m", ".", "space", "layout"),
    ),
})


@dataclass(frozen=True)
class Key:
    name: str            # the character it types (lower case) or a SPECIAL_KEYS name
    rect: pygame.Rect

    @property
    def special(self) -> bool:
        return self.name in SPECIAL_KEYS


def _row_names(layout: str, multi: bool) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(n for n in row if multi or n != "layout") for row in LAYOUTS[layout])


def _units(name: str) -> float:
    return KEY_UNITS.get(name, 1.0)


def _mix(a: tuple, b: tuple, t: float) -> tuple:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


@dataclass
class OnScreenKeyboard:
    """Keys laid out inside `rect`; see the module docstring for what handle_event does.

    `layouts` lists the layouts the switch key cycles through; with one layout (the
    default: just `layout`) there is no switch key.
    """

    rect: pygame.Rect
    layout: str = "en"
    layouts: tuple[str, ...] = ()
    field: TextField | None = None
    screen_size: tuple[int, int] = SCREEN_SIZE   # what FINGERDOWN's 0..1 x, y scale to
    shift: bool = False
    keys: list[Key] = dataclasses.field(init=False, default_factory=list)
    _flash: dict[str, float] = dataclasses.field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.rect = pygame.Rect(self.rect)
        if not self.layouts:
            self.layouts = (self.layout,)
        self.layouts = tuple(self.layouts)
        unknown = [name for name in (self.layout, *self.layouts) if name not in LAYOUTS]
        if unknown:
            raise ValueError(f"unknown keyboard layout {unknown[0]!r}; have {tuple(LAYOUTS)}")
        if self.layout not in self.layouts:
            self.layouts = (self.layout, *self.layouts)
        self.set_layout(self.layout)

    # ------------------------------------------------------------------ layout

    def set_layout(self, layout: str) -> None:
        if layout not in self.layouts:
            raise ValueError(f"layout {layout!r} is not one of {self.layouts}")
        self.layout = layout
        self.keys = self._build()
        self._flash.clear()

    def next_layout(self) -> str:
        return self.layouts[(self.layouts.index(self.layout) + 1) % len(self.layouts)]

    def _build(self) -> list[Key]:
        multi = len(self.layouts) > 1
        rows = _row_names(self.layout, multi)
        # One key size for every layout the keyboard may switch to, so keys do not jump
        # around or change size under the player's finger when the layout changes.
        widest = max(sum(_units(n) for n in row)
                     for name in self.layouts for row in _row_names(name, multi))
        pitch = (self.rect.width + GAP) / widest
        height = (self.rect.height - GAP * (len(rows) - 1)) // len(rows)
        keys = []
        for r, row in enumerate(rows):
            row_width = sum(_units(n) for n in row) * pitch - GAP
            left = self.rect.x + (self.rect.width - row_width) / 2
            y = self.rect.y + r * (height + GAP)
            along = 0.0
            for name in row:
                x0 = round(left + along * pitch)
                along += _units(name)
                x1 = round(left + along * pitch - GAP)
                keys.append(Key(name, pygame.Rect(x0, y, x1 - x0, height)))
        return keys

    # ------------------------------------------------------------------ queries

    def key_at(self, pos: tuple[int, int]) -> str | None:
        """The name of the key under a logical-screen position, or None (gap or outside)."""
        for key in self.keys:
            if key.rect.collidepoint(pos):
                return key.name
        return None

    def key_rect(self, label: str) -> pygame.Rect:
        """Where a key is: by its character (either case) or special name ("space", ...)."""
        for wanted in (label, label.lower()):
            for key in self.keys:
                if key.name == wanted:
                    return key.rect.copy()
        raise KeyError(f"no key {label!r} on the {self.layout!r} layout")

    def char_for(self, name: str) -> str:
        """What a character key types now (capital while shift is on)."""
        upper = name.upper()
        # A capital that is more than one character (none on these layouts) stays small.
        return upper if self.shift and len(upper) == 1 else name

    # ------------------------------------------------------------------ events

    def handle_event(self, event: pygame.event.Event) -> str | None:
        """Press the key under a click or touch; returns the action (see module docstring).

        None means: no key there, shift or layout switch (keyboard state only), or a
        character that did not fit in the bound field.
        """
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            # SDL also turns every touch into a mouse click; those are skipped because the
            # FINGERDOWN for the same touch already typed the key (else each key types twice).
            if getattr(event, "touch", False):
                return None
            pos = event.pos
        elif event.type == pygame.FINGERDOWN:
            width, height = self.screen_size
            pos = (int(event.x * width), int(event.y * height))
        else:
            return None
        name = self.key_at(pos)
        return None if name is None else self.press(name)

    def press(self, name: str) -> str | None:
        """Press a key by name, as a click on it would."""
        if all(key.name != name for key in self.keys):
            raise KeyError(f"no key {name!r} on the {self.layout!r} layout")
        if name == "layout":
            self.set_layout(self.next_layout())   # clears flashes, so flash after it
        self._flash[name] = FLASH_SECONDS
        if name == "shift":
            self.shift = not self.shift
        if name in ("shift", "layout"):
            return None
        if name in ("backspace", "done"):
            if name == "backspace" and self.field is not None:
                self.field.text = self.field.text[:-1]
            return name
        chars = " " if name == "space" else self.char_for(name)
        if self.field is not None:
            if len(self.field.text) + len(chars) > self.field.max_chars:
                return None       # full: shift stays on for when a letter is deleted
            self.field.text += chars
        self.shift = False
        return f"text:{chars}"

    def update(self, dt: float) -> None:
        for name in list(self._flash):
            self._flash[name] -= dt
            if self._flash[name] <= 0:
                del self._flash[name]

    # ------------------------------------------------------------------ drawing

    def label(self, key: Key, strings: Callable[[Text], str]) -> str:
        if key.name == "layout":
            return strings(Msg(f"keyboard.layout.{self.next_layout()}"))
        if key.special:
            return strings(Msg(f"keyboard.{key.name}"))
        return self.char_for(key.name)

    def key_colors(self, key: Key, theme: Theme) -> tuple[tuple, tuple]:
        """(fill, edge) for a key now: flashing keys fade from accent back to idle."""
        c = theme.colors
        if key.name == "shift" and self.shift:
            fill, edge = c.accent_dark, c.accent
        elif key.special:
            fill, edge = c.panel, c.panel_light
        else:
            fill, edge = c.panel_light, c.panel_light
        left = self._flash.get(key.name, 0.0)
        if left > 0:
            fill = _mix(fill, c.accent, min(1.0, left / FLASH_SECONDS))
        return fill, edge

    def draw(self, surface: pygame.Surface, theme: Theme,
             strings: Callable[[Text], str]) -> None:
        """`strings` turns a Msg into words (a game.i18n.Strings works)."""
        c = theme.colors
        pygame.draw.rect(surface, c.background, self.rect.inflate(GAP * 2, GAP * 2),
                         border_radius=12)
        for key in self.keys:
            fill, edge = self.key_colors(key, theme)
            pygame.draw.rect(surface, fill, key.rect, border_radius=8)
            pygame.draw.rect(surface, edge, key.rect, width=2, border_radius=8)
            text = self.label(key, strings)
            # Letters big for reading at arm's length; words shrink if a translation is long.
            role = "h2" if len(text) == 1 else "body"
            if theme.fonts[role].size(text)[0] > key.rect.width - 10:
                role = "small"
            theme.blit_text(surface, text, key.rect.center, role, c.text, "center")
