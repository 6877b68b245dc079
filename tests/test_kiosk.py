"""Kiosk mode: idle time-outs on a fake clock, the staff exit chord, settings and strings."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pygame
import pytest

from game import i18n
from game.i18n import Msg
from game.admin_chord import DEFAULT_ADMIN_CHORD, AdminChord, blocks_quit_event, parse_chord
from game.idle import IdlePolicy, IdleTimer, IdleWatch, idle_warning, is_input_event
from game.kiosk import KioskSettings, validate_kiosk

ROOT = Path(__file__).resolve().parent.parent
CHORD_MODS = pygame.KMOD_LCTRL | pygame.KMOD_LALT | pygame.KMOD_LSHIFT


def run(policy, seconds, step=0.5):
    """Feed the policy `seconds` of game time; return the states it reported."""
    return [policy.update(step) for _ in range(round(seconds / step))]


def key(kind, code, mod=0):
    return pygame.event.Event(kind, key=code, mod=mod)


def press(chord, *codes, mod=0):
    for code in codes:
        chord.handle_event(key(pygame.KEYDOWN, code, mod))


def release(chord, *codes, mod=0):
    for code in codes:
        chord.handle_event(key(pygame.KEYUP, code, mod))


# --- IdleTimer and IdlePolicy -------------------------------------------------------------

def test_idle_timer_counts_and_resets():
    timer = IdleTimer()
    for dt in (1.0, 2.5, -3.0, math.nan, math.inf, None):
        timer.feed(dt)
    assert timer.idle_seconds == 3.5
    assert timer.expired(3.5) and not timer.expired(4)
    timer.touch()
    assert timer.idle_seconds == 0 and not timer.expired(0.5)


def test_policy_ok_then_warning_then_expired_once():
    policy = IdlePolicy(40, 10)
    states = run(policy, 50)            # updates at 0.5, 1.0, ... 50.0 s
    assert set(states[:59]) == {"ok"}                   # up to 29.5 s
    assert states[59] == "warning"                      # 30 s: limit - warning
    assert set(states[59:79]) == {"warning"}            # 30 .. 39.5 s
    assert states[79] == "expired"                      # 40 s
    assert states.count("expired") == 1 and set(states[80:]) == {"ok"}
    assert policy.fired and policy.seconds_left == 0


def test_policy_touch_resets_and_rearms():
    policy = IdlePolicy(4, 1)
    assert run(policy, 3.5)[-1] == "warning"
    policy.touch()
    assert policy.seconds_left == 4 and not policy.fired
    assert run(policy, 2.5) == ["ok"] * 5
    assert run(policy, 1.5) == ["warning", "warning", "expired"]
    policy.touch()
    assert "expired" in run(policy, 4)                   # fires again after a touch


def test_policy_ignores_nan_and_negative_dt():
    policy = IdlePolicy(2, 1)
    policy.update(0.5)
    for dt in (math.nan, -10.0, math.inf, -math.inf):
        assert policy.update(dt) == "ok"
    assert policy.seconds_left == 1.5


def test_policy_without_warning_goes_straight_to_expired():
    policy = IdlePolicy(2)
    assert run(policy, 2) == ["ok", "ok", "ok", "expired"]


def test_policy_clamps_long_warning_and_rejects_bad_limits():
    assert IdlePolicy(5, 50).update(0.0) == "warning"
    for limit in (0, -1, math.nan, True):
        with pytest.raises(ValueError):
            IdlePolicy(limit)
    with pytest.raises(ValueError):
        IdlePolicy(5, -1)


# --- IdleWatch --------------------------------------------------------------------------

def test_watch_menu_goes_to_attract_after_attract_after_s():
    watch = IdleWatch(KioskSettings(attract_after_s=45))
    actions = [watch.update(1.0) for _ in range(46)]
    assert actions[43] == "none" and actions[44] == "attract"
    assert actions.count("attract") == 1 and "warn" not in actions


def test_watch_round_warns_then_ends_round_once():
    watch = IdleWatch(KioskSettings(round_idle_s=40, warning_s=10), "round")
    assert [watch.update(10.0) for _ in range(2)] == ["none"] * 2
    assert watch.update(9.5) == "none"
    assert watch.update(0.5) == "warn"          # 30 s: the last 10 s begin
    assert watch.update(2.5) == "warn"
    assert watch.warning_message() == Msg("kiosk_rules.still_there", seconds=8)   # 7.5 left
    assert watch.update(7.5) == "end_round"
    assert watch.warning_message() is None
    assert watch.update(30.0) == "none"


def test_watch_screen_goes_to_attract_after_screen_idle_s():
    watch = IdleWatch(KioskSettings(screen_idle_s=60), "screen")
    assert watch.update(59.5) == "none"
    assert watch.update(0.5) == "attract"


def test_watch_input_event_and_enter_restart_the_clock():
    watch = IdleWatch(KioskSettings(round_idle_s=40, warning_s=10), "round")
    watch.update(35.0)
    assert watch.warning_message() is not None
    tap = pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.5)
    assert watch.handle_event(tap)
    assert watch.seconds_left == 40 and watch.warning_message() is None
    assert not watch.handle_event(key(pygame.KEYUP, pygame.K_a))
    watch.update(20.0)
    watch.enter("screen")
    assert watch.context == "screen" and watch.seconds_left == 60
    with pytest.raises(ValueError):
        watch.enter("lobby")


def test_idle_warning_rounds_up():
    assert idle_warning(7.01).params["seconds"] == 8
    assert idle_warning(0.0).params["seconds"] == 1


@pytest.mark.parametrize("event, counts", [
    (key(pygame.KEYDOWN, pygame.K_a), True),
    (key(pygame.KEYUP, pygame.K_a), False),
    (pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(1, 1), button=1), True),
    (pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(1, 1), button=1), False),
    (pygame.event.Event(pygame.MOUSEMOTION, rel=(1, -2), buttons=(0, 0, 0)), False),
    (pygame.event.Event(pygame.MOUSEMOTION, rel=(0, -9), buttons=(0, 0, 0)), True),
    (pygame.event.Event(pygame.MOUSEMOTION, rel=(1, 0), buttons=(1, 0, 0)), True),
    (pygame.event.Event(pygame.FINGERDOWN, x=0.1, y=0.1), True),
    (pygame.event.Event(pygame.FINGERMOTION, x=0.1, y=0.1), True),
    (pygame.event.Event(pygame.TEXTINPUT, text="a"), True),
    (pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1), True),
    (pygame.event.Event(pygame.WINDOWFOCUSGAINED), False),
])
def test_is_input_event(event, counts):
    assert is_input_event(event) is counts


# --- parse_chord ------------------------------------------------------------------------

def test_parse_default_chord():
    chord = parse_chord(DEFAULT_ADMIN_CHORD)
    assert chord.modifiers == {"ctrl", "alt", "shift"} and chord.key == pygame.K_q


def test_parse_chord_aliases_case_and_spaces():
    chord = parse_chord(" Cmd + Control + F12 ")
    assert chord.modifiers == {"meta", "ctrl"} and chord.key == pygame.K_F12


@pytest.mark.parametrize("text, complaint", [
    ("", "empty"),
    ("ctrl++q", "empty part"),
    ("ctrl+alt", "exactly one"),
    ("ctrl+q+w", "exactly one"),
    ("q", "at least one modifier"),
    ("ctrl+alt+zz", "'zz'"),
    ("ctrl+left ctrl", "modifier 'left ctrl'"),
    (None, "empty"),
])
def test_parse_chord_errors_explain(text, complaint):
    with pytest.raises(ValueError, match=re.escape(complaint)) as error:
        parse_chord(text)
    assert DEFAULT_ADMIN_CHORD in str(error.value)     # shows staff a working example


# --- AdminChord -------------------------------------------------------------------------

def test_chord_held_for_hold_time_triggers():
    chord = AdminChord(DEFAULT_ADMIN_CHORD, hold_s=1.5)
    press(chord, pygame.K_LCTRL, pygame.K_LALT, pygame.K_LSHIFT, pygame.K_q)
    assert not chord.update(1.0) and chord.progress == pytest.approx(2 / 3)
    assert chord.update(0.5) and chord.triggered


def test_chord_from_event_mod_alone_triggers():
    # A modifier pressed before the window had focus shows up only in event.mod.
    chord = AdminChord(DEFAULT_ADMIN_CHORD)
    press(chord, pygame.K_q, mod=CHORD_MODS | pygame.KMOD_NUM)    # Num Lock does not matter
    chord.update(1.5)
    assert chord.triggered


def test_chord_released_early_does_not_trigger_and_restarts():
    chord = AdminChord(DEFAULT_ADMIN_CHORD, hold_s=1.5)
    press(chord, pygame.K_q, mod=CHORD_MODS)
    chord.update(1.0)
    release(chord, pygame.K_q, mod=CHORD_MODS)
    assert not chord.update(1.0)
    press(chord, pygame.K_q, mod=CHORD_MODS)
    assert not chord.update(1.0)                 # the hold starts again from zero
    assert chord.update(0.5)


def test_chord_released_between_frames_restarts_hold():
    chord = AdminChord(DEFAULT_ADMIN_CHORD, hold_s=1.5)
    press(chord, pygame.K_q, mod=CHORD_MODS)
    chord.update(1.0)
    release(chord, pygame.K_q, mod=CHORD_MODS)
    press(chord, pygame.K_q, mod=CHORD_MODS)
    assert not chord.update(1.0)


def test_partial_chord_does_not_trigger():
    chord = AdminChord(DEFAULT_ADMIN_CHORD)
    press(chord, pygame.K_LCTRL, pygame.K_LALT, pygame.K_q)
    chord.update(10.0)
    assert not chord.triggered
    release(chord, pygame.K_q)
    press(chord, pygame.K_LSHIFT)                 # all modifiers but no key
    chord.update(10.0)
    assert not chord.triggered


@pytest.mark.parametrize("codes", [
    (pygame.K_LCTRL, pygame.K_LALT, pygame.K_LSHIFT, pygame.K_LGUI, pygame.K_q),  # extra mod
    (pygame.K_LCTRL, pygame.K_LALT, pygame.K_LSHIFT, pygame.K_w),                 # wrong key
    (pygame.K_LCTRL, pygame.K_LALT, pygame.K_LSHIFT, pygame.K_q, pygame.K_w),     # extra key
    (pygame.K_LCTRL, pygame.K_LGUI, pygame.K_LSHIFT, pygame.K_q),                 # meta for alt
])
def test_wrong_keys_do_not_trigger(codes):
    chord = AdminChord(DEFAULT_ADMIN_CHORD)
    press(chord, *codes)
    chord.update(5.0)
    assert not chord.triggered


@pytest.mark.parametrize("mod", [
    0, pygame.KMOD_RCTRL | pygame.KMOD_RALT | pygame.KMOD_RSHIFT,
])
def test_right_side_modifiers_count(mod):
    chord = AdminChord(DEFAULT_ADMIN_CHORD)
    press(chord, pygame.K_RCTRL, pygame.K_RALT, pygame.K_RSHIFT, pygame.K_q, mod=mod)
    chord.update(1.5)
    assert chord.triggered


def test_chord_ignores_bad_dt_and_focus_loss_clears_keys():
    chord = AdminChord("meta+f12", hold_s=1.0)
    press(chord, pygame.K_RGUI, pygame.K_F12)
    for dt in (math.nan, -5.0, math.inf):
        chord.update(dt)
    assert chord.progress == 0
    chord.handle_event(pygame.event.Event(pygame.WINDOWFOCUSLOST))
    chord.update(2.0)
    assert not chord.triggered


def test_admin_chord_rejects_bad_hold_and_chord():
    with pytest.raises(ValueError):
        AdminChord(DEFAULT_ADMIN_CHORD, hold_s=0)
    with pytest.raises(ValueError):
        AdminChord("ctrl+nosuchkey")


# --- blocks_quit_event ------------------------------------------------------------------

@pytest.mark.parametrize("event, blocked", [
    (pygame.event.Event(pygame.QUIT), True),
    (pygame.event.Event(pygame.WINDOWCLOSE), True),
    (key(pygame.KEYDOWN, pygame.K_F4, pygame.KMOD_LALT), True),
    (key(pygame.KEYDOWN, pygame.K_F4, pygame.KMOD_RALT), True),
    (key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_LCTRL), True),
    (key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_LGUI), True),      # Cmd+Q
    (key(pygame.KEYDOWN, pygame.K_w, pygame.KMOD_RCTRL), True),
    (key(pygame.KEYDOWN, pygame.K_F4), False),
    (key(pygame.KEYDOWN, pygame.K_q), False),
    (key(pygame.KEYDOWN, pygame.K_q, pygame.KMOD_SHIFT), False),
    (key(pygame.KEYUP, pygame.K_F4, pygame.KMOD_LALT), False),
    (pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(0, 0), button=1), False),
])
def test_blocks_quit_event(event, blocked):
    assert blocks_quit_event(event) is blocked


# --- settings ---------------------------------------------------------------------------

def test_default_settings_are_valid_and_documented_values():
    settings = KioskSettings()
    assert validate_kiosk(settings) == []
    assert (settings.enabled, settings.admin_chord, settings.names) == (
        False, "ctrl+alt+shift+q", "onscreen")
    assert (settings.attract_after_s, settings.round_idle_s, settings.warning_s,
            settings.screen_idle_s, settings.gallery_size) == (45, 40, 10, 60, 24)
    assert settings.blocklist == [] and settings.blocklist is not KioskSettings().blocklist


def test_bad_chord_falls_back_to_default():
    settings = KioskSettings(admin_chord="ctrl+banana")
    warnings = validate_kiosk(settings)
    assert settings.admin_chord == DEFAULT_ADMIN_CHORD
    assert len(warnings) == 1 and "kiosk.admin_chord" in warnings[0] and "banana" in warnings[0]


def test_warning_not_shorter_than_round_idle_is_fixed():
    settings = KioskSettings(round_idle_s=12, warning_s=12)
    warnings = validate_kiosk(settings)
    assert settings.warning_s == 6 and len(warnings) == 1 and "kiosk.warning_s" in warnings[0]
    IdleWatch(settings, "round")     # usable afterwards


@pytest.mark.parametrize("name, bad, default", [
    ("round_idle_s", 0.0, 40), ("attract_after_s", math.nan, 45), ("screen_idle_s", "1m", 60),
    ("gallery_size", 0, 24), ("names", "telepathy", "onscreen"), ("warning_s", -1.0, 10),
])
def test_out_of_range_values_fall_back(name, bad, default):
    settings = KioskSettings(**{name: bad})
    warnings = validate_kiosk(settings)
    assert getattr(settings, name) == default
    assert len(warnings) == 1 and f"kiosk.{name}" in warnings[0]


# --- strings ----------------------------------------------------------------------------

def kiosk_strings(language):
    return {key: text for key, text in i18n.load_language(language).items()
            if key.startswith("kiosk_rules.")}


def test_locales_have_the_same_keys_and_placeholders():
    english, romanian = kiosk_strings("en"), kiosk_strings("ro")
    assert english and english.keys() == romanian.keys()
    for key_name, text in english.items():
        assert i18n.placeholders(text) == i18n.placeholders(romanian[key_name]), key_name
        assert text != romanian[key_name], f"{key_name} is not translated"


def test_romanian_uses_comma_below_not_cedilla():
    text = "".join(kiosk_strings("ro").values())
    assert not set("şţŞŢ") & set(text)
    assert set("ăâîșț") & set(text)


def test_every_message_key_in_the_code_exists():
    used = set()
    for path in (ROOT / "game" / "kiosk.py", ROOT / "game" / "blocklist.py"):
        used |= set(re.findall(r'Msg\("(kiosk_rules\.[a-z_]+)"', path.read_text("utf-8")))
    assert used and used <= kiosk_strings("en").keys()


@pytest.mark.parametrize("language", ["en", "ro"])
def test_warning_renders_with_seconds(language):
    strings = i18n.Strings(language)
    text = strings(idle_warning(7.5))
    assert "8" in text and "{" not in text
