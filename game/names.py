"""Player names: what the leaderboard will store, and the message shown for a name it won't."""

from __future__ import annotations

import re
import unicodedata

from game.i18n import Msg

NAME_MAX = 16

NAME_EMPTY = Msg("names.empty", max=NAME_MAX)
NAME_TOO_LONG = Msg("names.too_long", max=NAME_MAX)
NAME_BAD_CHARACTERS = Msg("names.bad_characters")


class NameRejected(ValueError):
    """A player name the leaderboard will not take; `.message` is shown to the player."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.key)
        self.message = message


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
