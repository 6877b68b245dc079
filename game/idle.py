"""Idle time in a kiosk: when a walked-away visitor's round ends and attract mode starts.

The timers are pure - fed with the frame's dt, never reading a clock - so tests drive them
with a fake clock. pygame is imported only for its event constants.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

import pygame

from game.i18n import Msg

if TYPE_CHECKING:
    from game.kiosk import KioskSettings

# A mouse on a wobbly plinth sends tiny motion events; counting those as a visitor would
# keep an abandoned round alive forever.
MOTION_THRESHOLD_PX = 4

IdleState = Literal["ok", "warning", "expired"]
IdleContext = Literal["menu", "round", "screen"]
IdleAction = Literal["none", "warn", "attract", "end_round"]


def usable_dt(dt: Any) -> bool:
    """A frame time worth counting: NaN, infinity and a clock stepping back are not."""
    try:
        return math.isfinite(dt) and dt >= 0
    except TypeError:
        return False


def positive_seconds(value: Any) -> bool:
    return not isinstance(value, bool) and usable_dt(value) and value > 0


class IdleTimer:
    """Game seconds since the last input. Time not fed (a paused game) is not idle time."""

    def __init__(self) -> None:
        self._idle = 0.0

    @property
    def idle_seconds(self) -> float:
        return self._idle

    def feed(self, dt: float) -> None:
        if usable_dt(dt):
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
        if not positive_seconds(limit_s):
            raise ValueError(f"idle limit must be a positive number of seconds, not {limit_s!r}")
        if not usable_dt(warning_s):
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
