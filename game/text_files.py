"""Read the small text files staff point the game at: the config, the name block-list.

A kiosk runs unattended, so a path in its settings must never stop it starting. Only a
regular file is read (after following symlinks): a FIFO would block start-up forever and a
link to /dev/zero would read until memory runs out. The file is opened non-blocking and
checked on the open descriptor, so it cannot be swapped for a pipe between check and read,
and at most MAX_TEXT_BYTES are read, so a file that grows meanwhile is refused too.

Staff edit these files in whatever editor the museum's computer has, so the text may be
UTF-8 (with or without the byte-order mark Notepad adds), UTF-16 with a byte-order mark
(Notepad's "Unicode"), or a legacy 8-bit encoding. The last is read as Windows-1252 -
Notepad's "ANSI" in Western Europe, a superset of Latin-1's letters - and comes with a note
for staff, because that is a guess: the words are kept rather than silently dropped.
"""
from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

# Settings and word lists are a few kilobytes; a megabyte is far beyond any real one and
# still nothing to hold in memory.
MAX_TEXT_BYTES = 1 << 20
GUESSED_ENCODING = "cp1252"
# The utf-16 codec reads the mark to pick the byte order and drops it, as utf-8-sig does.
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
                     (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                     (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
# O_NONBLOCK makes open() of a FIFO with no writer return at once instead of waiting for
# one; regular files ignore it. Windows has neither the flag nor FIFOs on disk.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0))


class TextFileError(Exception):
    """A text file that was not read; str(err) is the reason, fit for a staff warning."""

    def __init__(self, path: Path, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason
        # No file at all: callers with a sensible default (an absent config) stay quiet.
        self.missing = missing


@dataclass(frozen=True)
class SmallText:
    """A text file's contents and the encoding they were decoded with."""

    path: Path
    text: str
    encoding: str

    @property
    def encoding_guessed(self) -> bool:
        return self.encoding == GUESSED_ENCODING

    def staff_notes(self) -> list[str]:
        """One warning naming the file when its encoding was guessed, else none."""
        if not self.encoding_guessed:
            return []
        return [f"{self.path}: not UTF-8 or UTF-16 text, so it was read as Windows-1252 "
                "(Latin-1); if accented letters came out wrong, save it as UTF-8"]


def read_small_text(path: str | os.PathLike[str],
                    max_bytes: int = MAX_TEXT_BYTES) -> SmallText:
    """The decoded text of a small regular file; TextFileError says why not."""
    path = Path(path)
    data = _read_regular_file(path, max_bytes)
    text, encoding = _decode(path, data)
    return SmallText(path, text, encoding)


def _read_regular_file(path: Path, max_bytes: int) -> bytes:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise TextFileError(path, "the file does not exist", missing=True) from None
    # ValueError: a NUL byte in a path typed into a config file.
    except (OSError, ValueError) as exc:
        raise TextFileError(path, _os_reason(exc)) from None
    try:
        # Checked on what was opened, so the path cannot be swapped for a pipe meanwhile.
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise TextFileError(path, _irregular_reason(path, info.st_mode))
        if info.st_size > max_bytes:
            raise TextFileError(path, _too_big(info.st_size, max_bytes))
        data = _read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        raise TextFileError(path, _os_reason(exc)) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:      # it grew after the size check
        raise TextFileError(path, _too_big(len(data), max_bytes))
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    for mark, encoding, label in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise TextFileError(path, f"it is marked as {label} text but is not "
                                          f"valid {label}") from None
    if b"\0" in data:
        # UTF-16 without its mark, or not text at all; Windows-1252 would make junk of it.
        raise TextFileError(path, "it holds NUL bytes, so it is not plain text; "
                                  "save it as UTF-8 text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(GUESSED_ENCODING), GUESSED_ENCODING
    except UnicodeDecodeError:
        # The five bytes Windows-1252 leaves undefined: read them as Latin-1 controls.
        return data.decode("latin-1"), GUESSED_ENCODING


def _irregular_reason(path: Path, mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        kind = "a named pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "a special file"
    # A link to /dev/zero looks like a plain name in the config: say where it leads.
    target = f" ({os.path.realpath(path)})" if os.path.islink(path) else ""
    return f"it is {kind}{target}, not a regular file"


def _too_big(size: int, limit: int) -> str:
    return f"it is {_amount(size)}; at most {_amount(limit)} is read"


def _amount(size: int) -> str:
    return f"{size / (1 << 20):.3g} MiB" if size >= 1 << 20 else f"{size} bytes"


def _os_reason(exc: Exception) -> str:
    if isinstance(exc, PermissionError):
        return "permission to read it was denied"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
