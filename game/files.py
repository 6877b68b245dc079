"""Files the game writes: one permission policy, and syncing that survives a power cut.

The policy (docs/files.md): everything the game writes - leaderboard, paintings, gallery,
party sheets, result cache, supervisor log - is private to the account that runs it, files
FILE_MODE and the folders it makes FOLDER_MODE. Why private: a museum kiosk keeps visitors'
names beside their paintings, which is personal data, and kiosk computers have other
accounts (staff, maintenance) that have no need to read them; the one account playing
needs nothing more. Modes are set exactly rather than left to the umask: a looser umask
would leak, and a stricter one could make files the game itself cannot rewrite. Folders
that already exist keep their mode: staff may share a data folder on purpose.

Writers use the helpers below instead of open()/mkdir()/mkstemp(), so the policy lives
here only. Standard library only: the supervisor uses it too.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, TextIO

log = logging.getLogger(__name__)

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_CREATE_FLAGS = (os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
                 | getattr(os, "O_CLOEXEC", 0))


def make_folder(folder: Path) -> Path:
    """Create folder and any missing parents as FOLDER_MODE; existing ones are left alone.

    (Path.mkdir(parents=True) would make the parents with the umask's default mode.)
    """
    folder = Path(folder)
    missing = []
    current = folder
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue                   # another process made it first: theirs to set
        try:
            os.chmod(path, FOLDER_MODE)    # mkdir's mode is masked by the umask
        except OSError as exc:             # e.g. FAT on a USB stick: modes mean nothing
            log.debug("could not set the mode of %s: %s", path, exc)
    return folder


def open_new_file(path: Path, *, exclusive: bool = True) -> BinaryIO:
    """Open path for writing bytes as a FILE_MODE file; exclusive: it must not exist yet."""
    flags = _CREATE_FLAGS | (os.O_EXCL if exclusive else os.O_TRUNC)
    return os.fdopen(_with_mode(os.open(path, flags, FILE_MODE)), "wb")


def new_temp_file(folder: Path, prefix: str, suffix: str) -> tuple[BinaryIO, Path]:
    """A new, uniquely named FILE_MODE file in folder, open for writing bytes."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    return os.fdopen(_with_mode(handle), "wb"), Path(name)


def open_for_append(path: Path) -> TextIO:
    """Open a UTF-8 log for appending; created as FILE_MODE if it is not there yet."""
    return os.fdopen(os.open(path, _CREATE_FLAGS | os.O_APPEND, FILE_MODE), "a",
                     encoding="utf-8")


def make_empty_file(path: Path) -> None:
    """Create path empty as FILE_MODE unless it exists (SQLite then opens it as a new db,
    and its -wal and -shm files copy its mode)."""
    try:
        os.close(_with_mode(os.open(path, _CREATE_FLAGS | os.O_EXCL, FILE_MODE)))
    except FileExistsError:
        pass


def set_file_mode(path: Path) -> None:
    """For files written by a library that takes only a name (pygame.image.save)."""
    os.chmod(path, FILE_MODE)


def _with_mode(fd: int) -> int:
    # os.open's mode is masked by the umask; fchmod makes it exact. A new file is ours, so
    # this only fails where modes mean nothing (FAT on a USB stick).
    try:
        os.fchmod(fd, FILE_MODE)
    except (AttributeError, OSError) as exc:   # AttributeError: Windows has no fchmod
        log.debug("could not set the mode of a new file: %s", exc)
    return fd


def fsync_folder(folder: Path) -> None:
    """Make a rename inside folder durable (POSIX); Windows cannot open folders this way."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
