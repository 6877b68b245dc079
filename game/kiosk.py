"""Museum kiosk mode: idle time-outs, the staff exit chord and the settings behind them.

A kiosk runs unattended all day, so three things matter: a visitor who walks away must not
leave a half-painted round blocking the screen for the next one, a visitor must not be able
to quit the game, and staff still must. The timers are pure - fed with the frame's dt,
never reading a clock - so tests drive them with a fake clock. pygame is imported only for
its event and key constants (and the key-name lookup in parse_chord).

game/config.py does not import this module yet; when it wires KioskSettings in as the
[kiosk] section, the field metadata below ("range", "choices") is already in its format.
This module must therefore never import game.config (that would be a circular import).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Literal

import pygame

from game.i18n import Msg
from game.limits import field_limits

DEFAULT_ADMIN_CHORD = "ctrl+alt+shift+q"
NAME_MODES = ("keyboard", "onscreen", "anonymous")
# A mouse on a wobbly plinth sends tiny motion events; counting those as a visitor would
# keep an abandoned round alive forever.
MOTION_THRESHOLD_PX = 4

ATTRACT_PROMPT = Msg("kiosk_rules.touch_to_play")
ROUND_ENDED_IDLE = Msg("kiosk_rules.round_ended")

IdleState = Literal["ok", "warning", "expired"]
IdleContext = Literal["menu", "round", "screen"]
IdleAction = Literal["none", "warn", "attract", "end_round"]


# --- idle time ------------------------------------------------------------------------

def _usable_dt(dt: Any) -> bool:
    """A frame time worth counting: NaN, infinity and a clock stepping back are not."""
    try:
        return math.isfinite(dt) and dt >= 0
    except TypeError:
        return False


def _positive_seconds(value: Any) -> bool:
    return not isinstance(value, bool) and _usable_dt(value) and value > 0


class IdleTimer:
    """Game seconds since the last input. Time not fed (a paused game) is not idle time."""

    def __init__(self) -> None:
        self._idle = 0.0

    @property
    def idle_seconds(self) -> float:
        return self._idle

    def feed(self, dt: float) -> None:
        if _usable_dt(dt):
            self._idle += dt

    def touch(self) -> None:
        self._idle = 0.0

    def expired(self, limit: float) -> bool:
        return self._idle >= limit


class IdlePolicy:
    """One idle limit with an optional warning before it; reports "expired" only once.

    update() says "warning" for the last warning_s seconds before limit_s, then "expired"
    on the one call that crosses the limit, then "ok" again until touch(): the scene acts
    on expiry once (ends the round, shows attract mode) instead of on every frame after.
    """

    def __init__(self, limit_s: float, warning_s: float = 0.0) -> None:
        if not _positive_seconds(limit_s):
            raise ValueError(f"idle limit must be a positive number of seconds, not {limit_s!r}")
        if not _usable_dt(warning_s):
            raise ValueError(f"idle warning must be 0 or more seconds, not {warning_s!r}")
        self._limit = float(limit_s)
        # A warning as long as the limit just warns from the first second; clamp rather
        # than fail, validate_kiosk has already told staff about it.
        self._warning = min(float(warning_s), self._limit)
        self._timer = IdleTimer()
        self._fired = False

    @property
    def limit_s(self) -> float:
        return self._limit

    @property
    def warning_s(self) -> float:
        return self._warning

    @property
    def seconds_left(self) -> float:
        return max(0.0, self._limit - self._timer.idle_seconds)

    @property
    def fired(self) -> bool:
        """True from the "expired" update until the next touch()."""
        return self._fired

    def touch(self) -> None:
        self._timer.touch()
        self._fired = False

    def update(self, dt: float) -> IdleState:
        self._timer.feed(dt)
        if self._fired:
            return "ok"
        if self._timer.expired(self._limit):
            self._fired = True
            return "expired"
        if self._timer.expired(self._limit - self._warning) and self._warning > 0:
            return "warning"
        return "ok"


def idle_warning(seconds_left: float) -> Msg:
    """The mid-round countdown; rounded up so it reads 1 s, never 0 s, before the end."""
    return Msg("kiosk_rules.still_there", seconds=max(1, math.ceil(seconds_left)))


def _policy_for(settings: KioskSettings, context: IdleContext) -> IdlePolicy:
    if context == "menu":
        return IdlePolicy(settings.attract_after_s)
    if context == "round":
        return IdlePolicy(settings.round_idle_s, settings.warning_s)
    if context == "screen":
        return IdlePolicy(settings.screen_idle_s)
    raise ValueError(f"unknown idle context {context!r}; expected menu, round or screen")


class IdleWatch:
    """The idle rule for the screen showing now, and what the scene should do about it.

    * "menu" (title, menus): after attract_after_s idle -> "attract".
    * "round" (painting): "warn" for the last warning_s of round_idle_s, then "end_round"
      once; the game discards the painting and shows attract mode.
    * "screen" (reveal, name entry): after screen_idle_s idle -> "attract".

    Build it from settings that went through validate_kiosk, so every limit is usable.
    """

    def __init__(self, settings: KioskSettings, context: IdleContext = "menu") -> None:
        self._settings = settings
        self._context: IdleContext = context
        self._policy = _policy_for(settings, context)
        self._state: IdleState = "ok"

    @property
    def context(self) -> IdleContext:
        return self._context

    @property
    def seconds_left(self) -> float:
        return self._policy.seconds_left

    def enter(self, context: IdleContext) -> None:
        """A new screen: its own limit, counted from now."""
        self._policy = _policy_for(self._settings, context)
        self._context = context
        self._state = "ok"

    def touch(self) -> None:
        self._policy.touch()
        self._state = "ok"

    def handle_event(self, event: Any) -> bool:
        """Reset the clock if the event is a visitor's input; say whether it was."""
        if is_input_event(event):
            self.touch()
            return True
        return False

    def update(self, dt: float) -> IdleAction:
        self._state = self._policy.update(dt)
        if self._state == "warning":
            return "warn"
        if self._state == "expired":
            return "end_round" if self._context == "round" else "attract"
        return "none"

    def warning_message(self) -> Msg | None:
        """The countdown to draw while the last update said "warn", else None."""
        return idle_warning(self.seconds_left) if self._state == "warning" else None


_ALWAYS_INPUT = frozenset({
    pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEWHEEL,
    pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.TEXTINPUT,
})


def is_input_event(event: Any) -> bool:
    """Whether an event means a visitor is there (and the idle clock should restart).

    Releases (KEYUP, MOUSEBUTTONUP) are not counted: their press already was.
    """
    if event.type in _ALWAYS_INPUT:
        return True
    return event.type == pygame.MOUSEMOTION and _deliberate_motion(event)


def _deliberate_motion(event: Any) -> bool:
    if any(getattr(event, "buttons", ())):
        return True
    dx, dy = getattr(event, "rel", (0, 0))
    return max(abs(dx), abs(dy)) > MOTION_THRESHOLD_PX


# --- leaving kiosk mode ----------------------------------------------------------------

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
        if not _positive_seconds(hold_s):
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
        if self._triggered or not _usable_dt(dt):
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


# --- settings ---------------------------------------------------------------------------


@dataclass
class KioskSettings:
    """The [kiosk] config section: an unattended installation in a museum."""

    # Off by default: on a home computer locking the exit and timing out rounds would be odd.
    enabled: bool = False
    # Three modifiers and a letter are rarely pressed together by accident; see AdminChord.
    admin_chord: str = DEFAULT_ADMIN_CHORD
    # Idle title/menu screens switch to attract mode so passers-by see paintings move.
    attract_after_s: float = field(default=45.0, metadata=field_limits(low=5, high=3600))
    # Long enough to step back and look at a painting, short enough that a walked-away
    # round does not block the next visitor for long.
    round_idle_s: float = field(default=40.0, metadata=field_limits(low=10, high=600))
    # The last part of round_idle_s shows "Still there?" so a thinking painter can stay.
    warning_s: float = field(default=10.0, metadata=field_limits(low=0, high=120))
    # Reveal and name entry: time to read the score and type a name.
    screen_idle_s: float = field(default=60.0, metadata=field_limits(low=5, high=3600))
    # How players name themselves: a real keyboard, the on-screen one (touch screens,
    # no keyboard to steal), or no names at all (nothing to moderate).
    names: str = field(default="onscreen", metadata=field_limits(choices=NAME_MODES))
    # Words the museum refuses in names, on top of blocklist_file; see game.blocklist.
    blocklist: list[str] = field(default_factory=list)
    # A UTF-8 text file, one word per line, so staff can edit the list without the config.
    blocklist_file: str = ""
    # The leaderboard shows only today's paintings, so each day's visitors can win; older
    # rows stay in the file (nothing is deleted) and the staff can still read them.
    daily_reset: bool = True
    # How many of the day's paintings attract mode cycles through.
    gallery_size: int = field(default=24, metadata=field_limits(low=1, high=500))
    # Tourists: let players switch language from the title screen.
    language_button: bool = True


def _show(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else repr(value)


def _limit_problem(value: Any, meta: Any) -> str | None:
    """Why a value breaks its field's limits, or None if it does not."""
    if "range" in meta:
        low, high = meta["range"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "should be a number"
        if not math.isfinite(value) or not low <= value <= high:
            return f"is out of range {low:g}–{high:g}"
    if "choices" in meta and value not in meta["choices"]:
        return "is not one of " + ", ".join(meta["choices"])
    return None


def _check_limits(settings: KioskSettings) -> list[str]:
    problems = []
    for spec in fields(settings):
        value = getattr(settings, spec.name)
        reason = _limit_problem(value, spec.metadata)
        if reason is not None:
            setattr(settings, spec.name, spec.default)
            problems.append(f"kiosk.{spec.name} = {_show(value)} {reason}; "
                            f"using {_show(spec.default)}")
    return problems


def _check_chord(settings: KioskSettings) -> list[str]:
    try:
        parse_chord(settings.admin_chord)
    except ValueError as exc:
        settings.admin_chord = DEFAULT_ADMIN_CHORD
        return [f"kiosk.admin_chord: {exc}; using {DEFAULT_ADMIN_CHORD!r}"]
    return []


def _check_warning(settings: KioskSettings) -> list[str]:
    if settings.warning_s < settings.round_idle_s:
        return []
    default = next(spec.default for spec in fields(settings) if spec.name == "warning_s")
    fixed = min(default, settings.round_idle_s / 2)
    problem = (f"kiosk.warning_s = {_show(settings.warning_s)} is not shorter than "
               f"kiosk.round_idle_s = {_show(settings.round_idle_s)}, so painters would be "
               f"warned from their first idle second; using {_show(fixed)}")
    settings.warning_s = fixed
    return [problem]


def validate_kiosk(settings: KioskSettings) -> list[str]:
    """Repair bad kiosk settings in place; return one warning for staff per repair.

    As in game.config, a bad value never stops the installation: it falls back to its
    default (or, for warning_s, to a value that fits round_idle_s) and the warning names
    the setting, the bad value and the value used instead.
    """
    return _check_limits(settings) + _check_chord(settings) + _check_warning(settings)
