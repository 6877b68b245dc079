"""The kiosk's on-screen keyboard, driven by real pygame mouse and touch events."""
from __future__ import annotations

import itertools
import tomllib

import pygame
import pytest

from game.i18n import LOCALE_DIR, Msg, Strings
from game.ui.osk import FLASH_SECONDS, OnScreenKeyboard
from game.ui.theme import SCREEN_SIZE, Theme
from game.ui.widgets import TextField

RECT = pygame.Rect(40, 410, 1200, 300)   # where the name-entry scene puts it


@pytest.fixture(scope="module", autouse=True)
def pygame_up():
    # No pygame.quit() afterwards: other test modules may rely on pygame staying up.
    pygame.init()


def click_event(pos, button=1, **extra):
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button, **extra)


def click(osk: OnScreenKeyboard, label: str):
    return osk.handle_event(click_event(osk.key_rect(label).center))


def type_keys(osk: OnScreenKeyboard, labels) -> list:
    return [click(osk, label) for label in labels]


def test_typing_ana_with_shift_backspace_space_and_done():
    field = TextField(max_chars=16)
    osk = OnScreenKeyboard(RECT, field=field)
    assert type_keys(osk, ["shift", "a", "n", "a"]) == [None, "text:A", "text:n", "text:a"]
    assert field.text == "Ana"
    assert not osk.shift                       # one-shot: only the first letter was capital
    assert click(osk, "backspace") == "backspace"
    assert field.text == "An"
    assert type_keys(osk, ["a", "space", "shift", "m"]) == ["text:a", "text: ", None, "text:M"]
    assert field.text == "Ana M"
    assert click(osk, "done") == "done"
    assert field.text == "Ana M"


def test_without_a_field_actions_are_only_returned():
    osk = OnScreenKeyboard(RECT)
    assert type_keys(osk, ["shift", "z", "backspace", "done"]) == [
        None, "text:Z", "backspace", "done"]


def test_shift_twice_cancels_and_labels_show_capitals_while_on():
    osk = OnScreenKeyboard(RECT)
    strings = Strings("en")
    a_key = next(key for key in osk.keys if key.name == "a")
    assert osk.label(a_key, strings) == "a"
    click(osk, "shift")
    assert osk.label(a_key, strings) == "A"
    click(osk, "shift")
    assert osk.label(a_key, strings) == "a"
    assert click(osk, "a") == "text:a"


def test_romanian_layout_types_stefan_with_comma_below_letters():
    field = TextField(max_chars=16)
    osk = OnScreenKeyboard(RECT, layout="ro", field=field)
    type_keys(osk, ["shift", "ș", "t", "e", "f", "a", "n"])
    assert field.text == "\u0218tefan"
    assert ord(field.text[0]) == 0x0218 and field.text[0] != "\u015e"   # not cedilla Ş
    type_keys(osk, ["space", "ț", "ă", "î", "â"])
    assert [hex(ord(ch)) for ch in field.text[-4:]] == ["0x21b", "0x103", "0xee", "0xe2"]
    with pytest.raises(KeyError):
        OnScreenKeyboard(RECT, layout="en").key_rect("ș")


def test_finger_down_uses_normalised_coordinates():
    field = TextField()
    osk = OnScreenKeyboard(RECT, field=field)
    for label in ("g", "space", "p"):
        x, y = osk.key_rect(label).center
        event = pygame.event.Event(pygame.FINGERDOWN, x=x / SCREEN_SIZE[0],
                                   y=y / SCREEN_SIZE[1], touch_id=1, finger_id=0,
                                   dx=0.0, dy=0.0, pressure=1.0)
        osk.handle_event(event)
    assert field.text == "g p"


def test_mouse_clicks_made_from_touches_do_not_type_twice():
    field = TextField()
    osk = OnScreenKeyboard(RECT, field=field)
    center = osk.key_rect("k").center
    assert osk.handle_event(click_event(center, touch=True)) is None
    assert field.text == ""
    assert osk.handle_event(click_event(center, touch=False)) == "text:k"


def test_clicks_off_the_keys_do_nothing():
    field = TextField()
    osk = OnScreenKeyboard(RECT, field=field)
    q, w = osk.key_rect("q"), osk.key_rect("w")
    gap = ((q.right + w.left) // 2, q.centery)
    assert q.right <= gap[0] < w.left
    misses = [click_event((RECT.centerx, RECT.top - 30)),     # above the keyboard
              click_event(gap),                               # between two keys
              click_event(q.center, button=3),                # right button on a key
              pygame.event.Event(pygame.MOUSEBUTTONUP, pos=q.center, button=1)]
    for event in misses:
        assert osk.handle_event(event) is None
    assert osk.key_at(gap) is None and osk.key_at((0, 0)) is None
    assert osk.key_at(q.center) == "q"
    assert field.text == "" and not osk._flash


def test_field_max_chars_is_respected():
    field = TextField(max_chars=3)
    osk = OnScreenKeyboard(RECT, field=field)
    results = type_keys(osk, ["a", "b", "c", "shift", "d"])
    assert field.text == "abc"
    assert results[-1] is None
    assert osk.shift                           # kept for a letter typed after a delete
    click(osk, "backspace")
    click(osk, "d")
    assert field.text == "abD"


def _pixel(surface: pygame.Surface, rect: pygame.Rect) -> tuple:
    # Left of centre, away from the label glyph and the rounded corners.
    return tuple(surface.get_at((rect.x + 8, rect.centery)))[:3]


def test_pressed_key_flashes_then_returns_to_idle():
    theme, strings = Theme(), Strings("en")
    osk = OnScreenKeyboard(RECT)
    surface = pygame.Surface(SCREEN_SIZE)
    rect = osk.key_rect("h")
    osk.draw(surface, theme, strings)
    idle = _pixel(surface, rect)

    click(osk, "h")
    osk.draw(surface, theme, strings)
    flashed = _pixel(surface, rect)
    assert flashed != idle
    assert _pixel(surface, osk.key_rect("j")) == idle      # only the hit key flashes

    osk.update(FLASH_SECONDS / 2)
    osk.draw(surface, theme, strings)
    assert _pixel(surface, rect) not in (idle, flashed)     # fading back
    osk.update(FLASH_SECONDS)
    osk.draw(surface, theme, strings)
    assert _pixel(surface, rect) == idle


@pytest.mark.parametrize("layouts", [("en",), ("ro",), ("en", "ro")])
def test_keys_are_finger_sized_inside_the_rect_and_never_overlap(layouts):
    osk = OnScreenKeyboard(RECT, layout=layouts[0], layouts=layouts)
    for _ in layouts:
        assert osk.keys
        for key in osk.keys:
            assert key.rect.height >= 56 and key.rect.width >= 70, key
            assert RECT.contains(key.rect), key
        for a, b in itertools.combinations(osk.keys, 2):
            assert not a.rect.colliderect(b.rect), (a, b)
        names = [key.name for key in osk.keys]
        assert len(names) == len(set(names))
        for name in ("shift", "space", "backspace", "done", "-", ".", "'", "0"):
            assert name in names
        if len(layouts) > 1:
            click(osk, "layout")


def test_layout_key_only_with_several_layouts_and_it_switches():
    assert "layout" not in [key.name for key in OnScreenKeyboard(RECT).keys]
    strings = Strings("en")
    osk = OnScreenKeyboard(RECT, layouts=("en", "ro"))
    layout_key = next(key for key in osk.keys if key.name == "layout")
    assert osk.label(layout_key, strings) == "Română"
    assert click(osk, "layout") is None
    assert osk.layout == "ro" and osk.key_at(osk.key_rect("ș").center) == "ș"
    click(osk, "layout")
    assert osk.layout == "en"
    with pytest.raises(ValueError):
        OnScreenKeyboard(RECT, layout="fr")


@pytest.mark.parametrize("language", ["en", "ro"])
def test_draw_works_in_both_languages_with_catalogue_labels(language):
    strings = Strings(language)
    osk = OnScreenKeyboard(RECT, layout="ro", layouts=("en", "ro"))
    for key in osk.keys:
        if key.special:
            label = osk.label(key, strings)
            assert label and not label.startswith("keyboard."), key.name
    surface = pygame.Surface(SCREEN_SIZE)
    osk.draw(surface, Theme(), strings)
    assert surface.get_at(osk.key_rect("space").center) != surface.get_at((0, 0))
    assert strings(Msg("keyboard.done")) == {"en": "Done", "ro": "Gata"}[language]


def _dotted_keys(table: dict, prefix: str = "") -> set[str]:
    keys = set()
    for name, value in table.items():
        if isinstance(value, dict):
            keys |= _dotted_keys(value, f"{prefix}{name}.")
        else:
            keys.add(f"{prefix}{name}")
    return keys


def test_keyboard_catalogues_have_identical_keys():
    en, ro = (tomllib.loads((LOCALE_DIR / lang / "keyboard.toml").read_text("utf-8"))
              for lang in ("en", "ro"))
    assert _dotted_keys(en) == _dotted_keys(ro)
    assert {"keyboard.space", "keyboard.backspace", "keyboard.shift", "keyboard.done",
            "keyboard.layout.en", "keyboard.layout.ro"} <= _dotted_keys(en)
