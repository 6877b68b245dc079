"""Player-facing text: one catalogue per language, switched while the game runs.

Every string a player reads lives in `game/locale/<language>/*.toml`, one file per area of
the game (title.toml, party.toml, ...), so two people adding screens never edit the same
file. Tables nest, and a key is the dotted path: `[title] play = "Play"` is "title.play".
Values are `str.format` templates: "{seconds} seconds on the clock".

Code that makes a message outside a scene (round rules, name checks) returns a `Msg`, a
key with its parameters, and the scene turns it into text when it draws, so a language
switch changes text already on screen. A plain `str` is data (a player's name, a painting's
title) and is shown as it is.
"""
from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
FALLBACK = "en"        # the language every other one is checked against
# The names each language goes by in its own words, for the settings screen.
LANGUAGE_NAMES = MappingProxyType({"en": "English", "ro": "Română"})
LANGUAGES = tuple(LANGUAGE_NAMES)


@dataclass(frozen=True)
class Msg:
    """A player-facing message not yet in words: a catalogue key and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", MappingProxyType(dict(params)))

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))


Text = str | Msg    # what widgets and scenes accept: data as it is, or a message to translate


class CatalogueError(ValueError):
    """A locale file that cannot be read; names the file and the problem."""


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, str], source: Path) -> None:
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, dotted + ".", out, source)
        elif isinstance(value, str):
            if dotted in out:
                raise CatalogueError(f"{source}: {dotted} is defined twice")
            out[dotted] = value
        else:
            raise CatalogueError(f"{source}: {dotted} should be text, not {value!r}")


def load_language(language: str, root: Path = LOCALE_DIR) -> dict[str, str]:
    """All of one language's strings, flattened to dotted keys."""
    folder = root / language
    if not folder.is_dir():
        raise CatalogueError(f"no strings for language {language!r} in {root}")
    strings: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
        _flatten(table, "", strings, path)
    return strings


def placeholders(template: str) -> set[str]:
    """The {names} a template fills in ("{score:.1f}" -> {"score"})."""
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(template) if name}


class Strings:
    """The current language's catalogue; `use()` switches it for everything drawn next."""

    def __init__(self, language: str = FALLBACK, root: Path = LOCALE_DIR) -> None:
        self._root = root
        self._fallback = load_language(FALLBACK, root)
        self._current: dict[str, str] = self._fallback
        self.language = FALLBACK
        self._reported: set[tuple[str, str]] = set()
        self.use(language)

    def use(self, language: str) -> None:
        """Switch language; an unknown one keeps the current language and logs why."""
        if language == self.language:
            return
        try:
            self._current = (self._fallback if language == FALLBACK
                             else load_language(language, self._root))
        except CatalogueError as exc:
            log.warning("%s; keeping %s", exc, self.language)
            return
        self.language = language

    def has(self, key: str) -> bool:
        return key in self._fallback

    def get(self, key: str, **params: Any) -> str:
        """The text for key in the current language, filled in with params.

        A key missing from this language falls back to English; one missing everywhere
        shows the key itself, so a gap is visible on screen and never a crash.
        """
        template = self._current.get(key)
        if template is None:
            template = self._fallback.get(key)
            self._report(key, "missing")
        if template is None:
            return key
        # A message may carry another ("{which} is not installed"): put it in words too.
        params = {name: self(value) if isinstance(value, Msg) else value
                  for name, value in params.items()}
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError) as exc:
            self._report(key, f"bad parameters ({exc})")
            return template

    def __call__(self, text: Text, **params: Any) -> str:
        """Resolve what a widget was given: a Msg or a key is translated, data is kept."""
        if isinstance(text, Msg):
            return self.get(text.key, **{**text.params, **params})
        return text

    def _report(self, key: str, problem: str) -> None:
        if (key, problem) not in self._reported:
            self._reported.add((key, problem))
            log.warning("string %s: %s in %s", key, problem, self.language)
