"""Localisation: both catalogues complete, no words hard-coded in screens, live switching."""
from __future__ import annotations

import ast
from pathlib import Path

import pygame
import pytest
from scene_kit import app, drawn_text, english_left, keydown, pump  # noqa: F401

from game.i18n import LANGUAGES, LOCALE_DIR, Msg, Strings, load_language, placeholders

ROOT = Path(__file__).resolve().parent.parent
SCREEN_CODE = sorted((ROOT / "game" / "scenes").glob("*.py")) + \
    sorted((ROOT / "game" / "ui").glob("*.py"))
# Calls whose text argument a player reads: (function name, index of the text argument).
TEXT_CALLS = {"blit_text": 1, "text": 0, "wrap": 0, "Button": 1}


def test_every_language_has_every_key_with_the_same_placeholders():
    english = load_language("en")
    for language in LANGUAGES:
        strings = load_language(language)
        assert set(strings) == set(english), language
        for key, template in english.items():
            assert placeholders(strings[key]) == placeholders(template), (language, key)


def test_romanian_uses_comma_below_letters():
    text = "".join(path.read_text(encoding="utf-8")
                   for path in sorted((LOCALE_DIR / "ro").glob("*.toml")))
    assert not set("şţŞŢ") & set(text)
    assert {"ș", "ț", "ă", "î", "â"} <= set(text)


def _literal_words(node: ast.AST) -> str:
    """The letters a player would read in a literal (f-string parts included)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "".join(ch for ch in node.value if ch.isalpha())
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_words(part) for part in node.values
                       if isinstance(part, ast.Constant))
    return ""


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


@pytest.mark.parametrize("path", SCREEN_CODE, ids=lambda p: p.name)
def test_screens_draw_no_hard_coded_words(path):
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and _call_name(node) in TEXT_CALLS:
            index = TEXT_CALLS[_call_name(node)]
            if len(node.args) > index and _literal_words(node.args[index]):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_every_key_the_code_names_exists():
    english = load_language("en")
    missing = []
    for path in sorted((ROOT / "game").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _call_name(node) in ("Msg", "t", "get") \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and "." in node.args[0].value \
                    and " " not in node.args[0].value:
                key = node.args[0].value
                if _call_name(node) != "get" or key.split(".")[0] in _tables(english):
                    if key not in english:
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {key}")
    assert missing == []


def _tables(strings: dict[str, str]) -> set[str]:
    return {key.split(".")[0] for key in strings}


def test_unknown_language_and_missing_keys_never_crash():
    strings = Strings("en")
    strings.use("xx")
    assert strings.language == "en"
    assert strings.get("no.such_key") == "no.such_key"
    assert strings.get("party.pass_to") == "Pass to {name}"       # missing parameter
    strings.use("ro")
    assert strings(Msg("party.pass_to", name="Ana")) == "Dă mouse-ul lui Ana"
    assert strings("Mona Lisa") == "Mona Lisa"                     # data stays as it is


def test_settings_switch_the_language_without_a_restart(app):
    from game.scenes.title import TitleScene
    app.stack.push(TitleScene(app))
    assert "Play" in drawn_text(app)
    pump(app, [keydown(pygame.K_s), keydown(pygame.K_DOWN),        # settings: language row
               keydown(pygame.K_DOWN)])
    pump(app, [keydown(pygame.K_RIGHT)])
    assert app.strings.language == "ro" and app.config.display.language == "ro"
    assert "Setări" in drawn_text(app)
    pump(app, [keydown(pygame.K_ESCAPE)])
    words = drawn_text(app)
    assert "Joacă" in words and "Play" not in words


def test_solo_screens_show_no_english_in_romanian(app):
    from game.round import Round
    from game.scenes.leaderboard import LeaderboardScene
    from game.scenes.name_entry import NameEntryScene
    from game.scenes.paint import PaintScene
    from game.scenes.pause import PauseOverlay
    from game.scenes.reveal import RevealScene
    from game.scenes.settings import SettingsScene
    from game.scenes.setup import SetupScene
    from game.scenes.title import TitleScene
    app.set_language("ro")
    catalogue = app.services.catalogue
    round_ = Round(catalogue.content[0], catalogue.styles[0], 30)
    app.stack.push(TitleScene(app))
    screens = {"title": None, "settings": SettingsScene(app), "setup": SetupScene(app),
               "leaderboard": LeaderboardScene(app)}
    for name, scene in screens.items():
        if scene is not None:
            app.stack.push(scene)
        assert english_left(drawn_text(app)) == [], name
        if scene is not None:
            app.stack.pop()
    paint = PaintScene(app, round_)
    app.stack.push(paint)
    assert english_left(drawn_text(app)) == []
    app.stack.push(PauseOverlay(app, paint))
    assert english_left(drawn_text(app)) == []
    app.stack.pop()
    round_.finish(paint.canvas.rgb8())
    app.stack.push(RevealScene(app, round_))
    assert english_left(drawn_text(app)) == []
    app.stack.push(NameEntryScene(app, round_))
    assert english_left(drawn_text(app)) == []
