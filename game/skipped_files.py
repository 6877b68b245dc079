"""Staff warnings for the files a collection folder scan leaves out: every one named.

A museum that drops a folder of mixed files on the kiosk must learn which ones will never
be shown, and why. The title screen lists only the last few notices, though, so a folder
with many skipped files gets one line that counts them and names the first few; the log
then holds a line for each file with its reason.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from game.file_names import display_name, display_text

# The title screen shows the last three notices: more lines from one folder would push the
# other folders' (and the config's) warnings off it.
MAX_LINES_PER_FOLDER = 3
NAMES_IN_SUMMARY = 3

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str         # one line, as the image loader words it: "it is ..."

    def line(self) -> str:
        # display_text: a name that is not UTF-8 must not break a log line or the title.
        return display_text(f"Skipped {self.path}: {self.reason}.")


def skipped_warnings(folder: Path, kind: str, skipped: list[SkippedFile]) -> list[str]:
    """One line per skipped file, or, past MAX_LINES_PER_FOLDER, one line for them all."""
    if len(skipped) <= MAX_LINES_PER_FOLDER:
        return [entry.line() for entry in skipped]
    for entry in skipped:
        log.warning("%s", entry.line())
    names = ", ".join(display_name(entry.path) for entry in skipped[:NAMES_IN_SUMMARY])
    more = len(skipped) - NAMES_IN_SUMMARY
    return [f"Skipped {len(skipped)} files in collection folder {folder} ({kind}): {names} "
            f"and {more} more; the log names each one with its reason."]
