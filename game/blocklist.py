"""A museum's own list of words that player names may not contain.

No words ship with the game: each installation writes its own list in the [kiosk] config
section or in a text file, because what is unacceptable differs by country, language and
audience, and a list of slurs has no place in the source code.

Matching is meant to stop the obvious dodges a visitor tries at a public screen, not a
determined adversary. Both the list and the name are brought to the same plain form:

* casefold, so "RUDE" and "rude" are one word;
* NFKD and drop combining marks, so "rüde" and Romanian "șpam" become "rude" and "spam"
  (the comma below in "ș" and the cedilla in "ş" are both combining marks);
* undo leetspeak (0->o, 1->i, 3->e, 4->a, 5->s, 7->t, @->a, $->s, !->i);
* a run of one letter stands for at least as many of that letter in the word, so "ruuude"
  matches "rude" but "bo" does not match "boo".

The Scunthorpe problem: searching for a blocked word inside longer text also blocks innocent
names that happen to contain it ("Spamalot" contains "spam"). Refusing a harmless name is
a small annoyance - the player picks another - while a rude name stays on a public
leaderboard all day, so long words are matched anywhere, even across spaces and dots
("r.u d_e"). Short words (SHORT_WORD_MAX letters or fewer) hide inside far too many real
names for that, so they only match a whole word, or letters typed one by one with
separators between them ("b.o.o").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

from game.i18n import Msg
from game.text_files import TextFileError, read_small_text

SHORT_WORD_MAX = 3
NAME_BLOCKED = Msg("kiosk_rules.name_blocked")

# Characters that stand in for letters. Digits and symbols without an entry here are plain
# separators, like spaces.
LEET = MappingProxyType({
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
    "@": "a", "$": "s", "!": "i",
})
_LEET_TABLE = MappingProxyType(str.maketrans(dict(LEET)))
_LETTERS = re.compile(r"[^\W\d_]+")     # runs of letters; everything else separates


def _plain(text: str) -> str:
    """Casefolded, with accents and other combining marks removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _letter_runs(text: str) -> list[str]:
    """The runs of letters in text: "b.a_d x" -> ["b", "a", "d", "x"]."""
    return _LETTERS.findall(text)


def normalise_word(word: str) -> str:
    """A list entry as it is matched: plain letters only, leetspeak read as letters."""
    return "".join(_letter_runs(_plain(word).translate(_LEET_TABLE)))


def _pattern(word: str) -> re.Pattern[str]:
    """Each run of a letter in the word may be longer in the name: "boo" -> b{1,}o{2,}."""
    runs = [(match.group(1), len(match.group(0)))
            for match in re.finditer(r"(.)\1*", word)]
    return re.compile("".join(f"{re.escape(letter)}{{{count},}}" for letter, count in runs))


def _whole_words(runs: list[str]) -> list[str]:
    """The words in a name, plus letters spelled out one by one joined up ("b o o")."""
    words = list(runs)
    singles: list[str] = []
    for run in [*runs, ""]:     # the empty sentinel flushes a trailing spelled-out word
        if len(run) == 1:
            singles.append(run)
            continue
        if len(singles) > 1:
            words.append("".join(singles))
        singles = []
    return words


def _views(name: str) -> tuple[list[str], ...]:
    """The name's letter runs read two ways: leet as letters, and leet as separators.

    The second reading is why "Boo!" counts as the word "boo" and not only as "booi".
    """
    plain = _plain(name)
    return _letter_runs(plain.translate(_LEET_TABLE)), _letter_runs(plain)


class BlockList:
    """Words a player name may not contain, matched as described in the module docstring."""

    def __init__(self, words: Iterable[str]) -> None:
        normalised = {normalise_word(word) for word in words}
        normalised.discard("")     # an entry of only symbols would otherwise block everything
        self._short = tuple(_pattern(w) for w in sorted(normalised) if len(w) <= SHORT_WORD_MAX)
        self._long = tuple(_pattern(w) for w in sorted(normalised) if len(w) > SHORT_WORD_MAX)
        self._words = tuple(sorted(normalised))

    @classmethod
    def from_sources(cls, words: Iterable[str],
                     file_path: str | Path | None) -> tuple[BlockList, list[str]]:
        """The config's words plus a file's, and staff warnings; a bad file never crashes."""
        entries = list(words)
        warnings: list[str] = []
        if file_path:   # the config default "" means no file, like None
            file_words, warning = read_word_file(Path(file_path))
            entries += file_words
            warnings += [warning] if warning else []
        warnings += [f"blocklist: {entry!r} has no letters, so it blocks nothing; ignored"
                     for entry in entries if not normalise_word(entry)]
        return cls(entries), warnings

    @property
    def words(self) -> tuple[str, ...]:
        """The entries in the normalised form they are matched in."""
        return self._words

    def __len__(self) -> int:
        return len(self._words)

    def blocks(self, name: str) -> bool:
        return any(self._view_blocked(runs) for runs in _views(name))

    def check(self, name: str) -> Msg | None:
        """The message to show when the name is refused, or None when it is fine.

        The message never repeats the blocked word: the screen is public.
        """
        return NAME_BLOCKED if self.blocks(name) else None

    def _view_blocked(self, runs: list[str]) -> bool:
        joined = "".join(runs)
        if any(pattern.search(joined) for pattern in self._long):
            return True
        words = _whole_words(runs)
        return any(pattern.fullmatch(word) for pattern in self._short for word in words)


def parse_word_lines(text: str) -> list[str]:
    """One word per line; '#' starts a comment, blank lines are skipped."""
    entries = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [entry for entry in entries if entry]


def read_word_file(path: Path) -> tuple[list[str], str | None]:
    """The words in a block-list file and a staff warning, if any (see game.text_files).

    An unreadable file gives no words and says why; a file whose encoding had to be
    guessed gives its words and says so, because dropping them would let them through.
    """
    try:
        source = read_small_text(path)
    except TextFileError as exc:
        return [], (f"blocklist file {path}: could not read it ({exc}); "
                    "using only the words in the config")
    notes = source.staff_notes()
    return parse_word_lines(source.text), (f"blocklist file {notes[0]}" if notes else None)
