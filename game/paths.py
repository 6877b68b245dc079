"""Per-user folders for Style Duel's settings and saved data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "style-duel"
# One variable moves everything, so tests and kiosk images never touch a real user profile.
HOME_ENV = "STYLE_DUEL_HOME"


def _home_override() -> Path | None:
    raw = os.environ.get(HOME_ENV, "").strip()
    # Absolute now, so a later chdir cannot silently move the save folder.
    return Path(raw).expanduser().absolute() if raw else None


def user_config_dir() -> Path:
    """Where config.toml lives; not created here, writers create it when they save."""
    home = _home_override()
    if home is not None:
        return home / "config"
    # appauthor=False: otherwise Windows nests the app name twice (style-duel/style-duel).
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    """Where the leaderboard and saved paintings live; not created here."""
    home = _home_override()
    if home is not None:
        return home / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    return user_config_dir() / "config.toml"


# -- the demo's throw-away folder ---------------------------------------------------------
DEMO_MARK = ".style-duel-demo"      # in a folder `main.py demo` made, so it may reuse it


class DemoFolderError(Exception):
    """A folder the demo must not write into; the message says why, in one line."""


def demo_home(keep: Path | None = None) -> Path:
    """A folder for the demo's settings, data and model cache (used as STYLE_DUEL_HOME).

    A fresh temporary folder, or `keep` when the caller wants to look at it afterwards:
    then it must be new, empty, or made by an earlier demo (it holds DEMO_MARK), so a
    demo never writes into a real installation by a slip of the command line.
    """
    if keep is None:
        home = Path(tempfile.mkdtemp(prefix="style-duel-demo-"))
    else:
        home = keep.expanduser().absolute()
        if home.exists() and not home.is_dir():
            raise DemoFolderError("it is not a folder")
        if home.is_dir() and any(home.iterdir()) and not (home / DEMO_MARK).is_file():
            raise DemoFolderError("the folder holds files no demo made; name a new or "
                                  "empty folder")
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / DEMO_MARK).write_text("A throw-away folder made by `main.py demo`.\n",
                                  encoding="utf-8")
    return home
