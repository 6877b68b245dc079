"""Player names: what the leaderboard will store, and the message shown for a name it won't."""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 16

NAME_EMPTY = f"Please type a name: 1 to {NAME_MAX} letters, digits or symbols."
NAME_TOO_LONG = f"Names can be at most {NAME_MAX} characters long."
NAME_BAD_CHARACTERS = (
    "Names can use letters, digits, spaces and punctuation, "
    "but not emoji, tabs or line breaks."
)


class NameRejected(ValueError):
    """A player name the leaderboard will not take; str(error) is shown to the player."""


def _allowed_in_name(char: str) -> bool:
    code = ord(char)
    # isprintable() already refuses control, format (zero-width joiners, bidi overrides),
    # private-use and unassigned characters, and every space except the plain one.
    if not char.isprintable():
        return False
    # Emoji live outside the BMP, in "other symbol" (So), as enclosing keycaps (Me) and via
    # variation selectors. They are refused because one visible emoji can be up to ~10 code
    # points (breaking the length limit) and the game's fonts draw them as empty boxes.
    if code > 0xFFFF or 0xFE00 <= code <= 0xFE0F:
        return False
    return unicodedata.category(char) not in ("So", "Me")


def validate_name(raw: str) -> str:
    """Return the name as it will be stored, or raise NameRejected with a player message.

    Trims the ends, collapses runs of inner spaces and normalises to NFC (so an accented
    letter typed as two code points still counts as one character).
    """
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise NameRejected(NAME_EMPTY)
    if not all(_allowed_in_name(char) for char in name):
        raise NameRejected(NAME_BAD_CHARACTERS)
    name = re.sub(" {2,}", " ", name)
    if len(name) > NAME_MAX:
        raise NameRejected(NAME_TOO_LONG)
    return name
