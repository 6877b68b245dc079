"""File names of any bytes, shown and stored safely.

On Linux a file name is bytes. Python lists one that is not UTF-8 (a Latin-1 "café.png"
copied from an old USB stick is b"caf\\xe9.png") as a str with a surrogate escape,
"caf\\udce9.png". That str opens the file again, so the real path is kept exactly as
Python gave it and only ever handed back to the OS. SQLite, UTF-8 JSON and pygame's fonts
all refuse it, though, so anything derived from a file name that is shown or stored goes
through one of these first:

- display_text / display_name: lossy and printable, for titles and messages people read;
- escaped_text: lossless and UTF-8-safe, for ids that must stay unique and stable.
"""
from __future__ import annotations

import os
import unicodedata

REPLACEMENT = "\ufffd"   # the usual "a character was lost here" mark
# Surrogates cannot be encoded; control characters (NUL, newline, escape) break fonts and
# one-line layouts, and a file name has no business drawing them.
_UNSHOWABLE = frozenset({"Cs", "Cc"})
# Surrogate escapes stand for the raw bytes 0x80-0xFF (PEP 383).
_ESCAPED_BYTES = range(0xDC80, 0xDD00)
_SURROGATES = range(0xD800, 0xE000)


def display_text(text: str) -> str:
    """text with surrogates and control characters replaced by U+FFFD; the rest kept."""
    if text.isprintable():
        return text      # the common case, and cheap: isprintable() is False for both kinds
    return "".join(REPLACEMENT if unicodedata.category(char) in _UNSHOWABLE else char
                   for char in text)


def display_name(path: str | bytes | os.PathLike) -> str:
    """The last part of a path (str, bytes or Path), fit to show: 'caf\\ufffd.png'."""
    return display_text(os.fsdecode(os.path.basename(os.fspath(path))))


def escaped_text(text: str) -> str:
    """text with each surrogate written as a backslash escape: 'caf\\\\xe9.png'.

    Unlike display_text this loses nothing, so two names that differ only in bytes that
    are not UTF-8 stay different; the result always encodes as UTF-8.
    """
    if not any(ord(char) in _SURROGATES for char in text):
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"     # the byte the file name really had
    if code in _SURROGATES:
        return f"\\u{code:04x}"              # a lone surrogate (e.g. from a Windows name)
    return char
