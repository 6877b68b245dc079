"""Per-user folders for Style Duel's settings and saved data."""

from __future__ import annotations

import os
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
