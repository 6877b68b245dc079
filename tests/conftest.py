"""Test set-up: headless SDL before pygame is imported anywhere, and a private user home."""
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Every test gets its own config and data folders: nothing touches the real user's."""
    home = tmp_path / "home"
    monkeypatch.setenv("STYLE_DUEL_HOME", str(home))
    return home
