"""Museum kiosk mode's settings: the [kiosk] config section and its checks.

A kiosk runs unattended all day, so three things matter: a visitor who walks away must not
leave a half-painted round blocking the screen for the next one (game.idle), a visitor must
not be able to quit the game, and staff still must (game.admin_chord). game.kiosk_mode puts
these rules into the running App. This module must never import game.config, which imports
it for the [kiosk] section.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field, fields
from typing import Any

from game.admin_chord import DEFAULT_ADMIN_CHORD, parse_chord
from game.i18n import Msg
from game.limits import field_limits

NAME_MODES = ("keyboard", "onscreen", "anonymous")
ATTRACT_PROMPT = Msg("kiosk_rules.touch_to_play")
ROUND_ENDED_IDLE = Msg("kiosk_rules.round_ended")


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
    # A text file, one word per line, so staff can edit the list without the config (UTF-8
    # or UTF-16 with a byte-order mark; anything else is read as Windows-1252 with a warning).
    blocklist_file: str = ""
    # The leaderboard shows only today's paintings, so each day's visitors can win; older
    # rows stay in the file (nothing is deleted) and the staff can still read them.
    daily_reset: bool = True
    # How many of the day's paintings attract mode cycles through.
    gallery_size: int = field(default=24, metadata=field_limits(low=1, high=500))
    # Tourists: let players switch language from the title screen.
    language_button: bool = True
    # Where "Save the duel" also copies a visitor's replay and triptych: the mount point of a
    # USB stick the staff plug in. Empty (off) by default: a kiosk writes nowhere a visitor's
    # file could leave the building unless the staff decide so.
    usb_dir: str = ""


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
