"""Leaving kiosk mode: the staff's admin key chord, and the quit events visitors must not reach.

pygame is imported for its key constants and the key-name lookup in parse_chord.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pygame

from game.idle import positive_seconds, usable_dt

DEFAULT_ADMIN_CHORD = "ctrl+alt+shift+q"


# Every spelling staff might write, mapped to the one name used inside.
MODIFIER_ALIASES = MappingProxyType({
    "ctrl": "ctrl", "control": "ctrl", "alt": "alt", "option": "alt", "shift": "shift",
    "meta": "meta", "gui": "meta", "cmd": "meta", "command": "meta", "super": "meta",
    "win": "meta",
})
# Either side counts: some keyboards lack a right Ctrl, some staff are left-handed.
_MOD_BITS = MappingProxyType({
    "ctrl": pygame.KMOD_CTRL, "alt": pygame.KMOD_ALT,
    "shift": pygame.KMOD_SHIFT, "meta": pygame.KMOD_GUI,
})
_MOD_KEYS = MappingProxyType({
    "ctrl": frozenset({pygame.K_LCTRL, pygame.K_RCTRL}),
    "alt": frozenset({pygame.K_LALT, pygame.K_RALT}),
    "shift": frozenset({pygame.K_LSHIFT, pygame.K_RSHIFT}),
    "meta": frozenset({pygame.K_LGUI, pygame.K_RGUI}),
})
_ANY_MOD_KEY = frozenset().union(*_MOD_KEYS.values())


@dataclass(frozen=True)
class Chord:
    """Modifiers (names from MODIFIER_ALIASES' values) plus exactly one other key."""

    modifiers: frozenset[str]
    key: int
    text: str           # as written in the config, for staff messages


def _chord_error(text: Any, problem: str) -> ValueError:
    return ValueError(f"admin chord {text!r} {problem}; write modifiers (ctrl, alt, shift, "
                      f"meta) and one key joined by '+', like {DEFAULT_ADMIN_CHORD!r}")


def _key_code(text: str, name: str) -> int:
    with warnings.catch_warnings():
        # pygame warns that names may map differently before pygame.init(); that concerns
        # layout-specific names, not the plain ones ("q", "f12", "escape") staff write.
        warnings.simplefilter("ignore")
        try:
            code = pygame.key.key_code(name)
        except ValueError:
            raise _chord_error(text, f"has unknown key name {name!r}") from None
    if code in _ANY_MOD_KEY:
        raise _chord_error(text, f"uses modifier {name!r} as its key")
    return code


def parse_chord(text: str) -> Chord:
    """Read "ctrl+alt+shift+q"; raise ValueError with a message for staff on a bad chord."""
    if not isinstance(text, str) or not text.strip():
        raise _chord_error(text, "is empty")
    parts = [part.strip().lower() for part in text.split("+")]
    if not all(parts):
        raise _chord_error(text, "has an empty part between '+' signs")
    modifiers = frozenset(MODIFIER_ALIASES[p] for p in parts if p in MODIFIER_ALIASES)
    keys = [p for p in parts if p not in MODIFIER_ALIASES]
    if len(keys) != 1:
        raise _chord_error(text, f"needs exactly one non-modifier key, not {len(keys)}")
    if not modifiers:
        # A single held key is too easy for a visitor to hit by leaning on the keyboard.
        raise _chord_error(text, "needs at least one modifier")
    return Chord(modifiers, _key_code(text, keys[0]), text)


class AdminChord:
    """Staff leave kiosk mode by holding the chord's keys together for hold_s seconds.

    The hold stops a visitor brushing the right keys by chance. Held keys are tracked from
    KEYDOWN/KEYUP events (not pygame.key.get_pressed) so posted events drive it in tests.
    Exactly the chord must be held: an extra modifier or extra key does not count, so
    mashing the whole keyboard never gets out. Lock keys (Caps, Num) are ignored.
    """

    def __init__(self, chord: Chord | str, hold_s: float = 1.5) -> None:
        if not positive_seconds(hold_s):
            raise ValueError(f"hold time must be a positive number of seconds, not {hold_s!r}")
        self._chord = parse_chord(chord) if isinstance(chord, str) else chord
        self._hold_s = float(hold_s)
        self._down: set[int] = set()
        self._mod = 0
        self._held_for = 0.0
        self._triggered = False

    @property
    def chord(self) -> Chord:
        return self._chord

    @property
    def triggered(self) -> bool:
        return self._triggered

    @property
    def progress(self) -> float:
        """0..1 of the hold so far, for a staff-only progress ring."""
        return 1.0 if self._triggered else min(1.0, self._held_for / self._hold_s)

    def reset(self) -> None:
        self._down.clear()
        self._mod = 0
        self._held_for = 0.0
        self._triggered = False

    def handle_event(self, event: Any) -> None:
        if event.type == pygame.KEYDOWN:
            self._down.add(event.key)
        elif event.type == pygame.KEYUP:
            self._down.discard(event.key)
        elif event.type == pygame.WINDOWFOCUSLOST:
            # Keys released while another window has focus send their KEYUP there.
            self._down.clear()
        else:
            return
        self._mod = getattr(event, "mod", 0)
        if not self.chord_held:
            self._held_for = 0.0    # letting go restarts the hold, even between frames

    @property
    def chord_held(self) -> bool:
        other_keys = self._down - _ANY_MOD_KEY
        return (self._held_modifiers() == self._chord.modifiers
                and other_keys == {self._chord.key})

    def _held_modifiers(self) -> frozenset[str]:
        # event.mod catches a modifier pressed before the window had focus; the key codes
        # catch synthetic events posted without a mod.
        return frozenset(name for name, bits in _MOD_BITS.items()
                         if self._mod & bits or self._down & _MOD_KEYS[name])

    def update(self, dt: float) -> bool:
        """Advance the hold by dt; return whether the chord has triggered."""
        if self._triggered or not usable_dt(dt):
            return self._triggered
        if not self.chord_held:
            self._held_for = 0.0
            return False
        self._held_for += dt
        self._triggered = self._held_for >= self._hold_s
        return self._triggered


# Window-closing shortcuts a visitor could try. Alt+F4 usually reaches the window manager,
# which then sends QUIT, so QUIT and WINDOWCLOSE are swallowed as well.
_CLOSE_SHORTCUTS = (
    (pygame.K_F4, pygame.KMOD_ALT),
    (pygame.K_q, pygame.KMOD_CTRL | pygame.KMOD_GUI),
    (pygame.K_w, pygame.KMOD_CTRL | pygame.KMOD_GUI),
)


def blocks_quit_event(event: Any) -> bool:
    """Whether kiosk mode must swallow this event because it would close the game.

    Feed key events to AdminChord first: the default chord contains Ctrl+Q.
    """
    if event.type in (pygame.QUIT, pygame.WINDOWCLOSE):
        return True
    if event.type != pygame.KEYDOWN:
        return False
    mod = getattr(event, "mod", 0)
    return any(event.key == key and mod & bits for key, bits in _CLOSE_SHORTCUTS)
