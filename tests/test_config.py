"""Settings: defaults, the TOML file, warnings for bad values, --set overrides and paths."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import platformdirs
import pytest

from bounded import needs_dev_zero, needs_fifo, run_bounded
from game import config as cfg
from game import paths
from game.config import (
    GameConfig,
    add_cli_options,
    apply_overrides,
    config_from_cli,
    leaderboard_path,
    load_config,
    resolved_data_dir,
    save_config,
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own STYLE_DUEL_HOME, so none can touch a real user profile."""
    root = tmp_path / "home"
    monkeypatch.setenv(paths.HOME_ENV, str(root))
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults_without_warnings(tmp_path: Path) -> None:
    config, warnings = load_config(tmp_path / "nope.toml")
    assert warnings == []
    assert config == GameConfig()
    assert config.round.seconds == 90
    assert config.display.fullscreen is False
    assert config.display.text_size == "medium"
    assert config.display.language == "en"
    assert config.sound.volume == 0.8
    assert config.sound.muted is False
    assert config.paths.data_dir == "" and config.paths.leaderboard_file == ""
    assert config.paths.content_dirs == [] and config.paths.style_dirs == []


def test_default_lists_are_not_shared() -> None:
    first, second = GameConfig(), GameConfig()
    first.paths.content_dirs.append("x")
    assert second.paths.content_dirs == []


def test_style_duel_home_moves_both_folders(home: Path) -> None:
    assert paths.user_config_dir() == home / "config"
    assert paths.user_data_dir() == home / "data"
    assert paths.default_config_path() == home / "config" / "config.toml"
    assert resolved_data_dir(GameConfig()) == home / "data"
    assert leaderboard_path(GameConfig()) == home / "data" / "leaderboard.sqlite3"


def test_without_style_duel_home_platformdirs_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HOME_ENV)
    assert paths.user_config_dir() == Path(
        platformdirs.user_config_dir("style-duel", appauthor=False)
    )
    assert paths.user_data_dir() == Path(platformdirs.user_data_dir("style-duel", appauthor=False))


def test_load_without_path_reads_the_per_user_file(home: Path) -> None:
    write(home / "config" / "config.toml", "[round]\nseconds = 45\n")
    config, warnings = load_config()
    assert warnings == []
    assert config.round.seconds == 45


def test_a_full_config_round_trips(tmp_path: Path) -> None:
    config = GameConfig()
    config.round.seconds = 120
    config.round.style_kind = "artist"
    config.kiosk.usb_dir = "/media/usb stick"
    config.display.fullscreen = True
    config.display.text_size = "large"
    config.sound.volume = 0.35
    config.sound.muted = True
    config.paths.data_dir = str(tmp_path / "data dir")
    config.paths.leaderboard_file = "scores.sqlite3"
    config.paths.content_dirs = ["/photos/a", "C:\\photos\\b"]
    config.paths.style_dirs = ['with "quotes", commas']
    target = tmp_path / "deep" / "er" / "config.toml"

    assert save_config(config, target) == target

    loaded, warnings = load_config(target)
    assert warnings == []
    assert loaded == config
    assert target.read_text(encoding="utf-8").startswith("#")
    assert [p.name for p in target.parent.iterdir()] == ["config.toml"]  # no temp files left


def test_save_without_path_writes_the_per_user_file(home: Path) -> None:
    save_config(GameConfig())
    assert (home / "config" / "config.toml").is_file()


def test_failed_save_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = write(tmp_path / "config.toml", "[round]\nseconds = 60\n")

    def refuse(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    changed = GameConfig()
    changed.round.seconds = 300
    with pytest.raises(OSError, match="disk full"):
        save_config(changed, target)
    assert target.read_text(encoding="utf-8") == "[round]\nseconds = 60\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


@pytest.mark.parametrize(
    ("toml", "warning", "section", "setting", "default"),
    [
        ("[round]\nseconds = 5",
         "config.toml: round.seconds = 5 is out of range 30–600; using 90",
         "round", "seconds", 90),
        ('[round]\nseconds = "fast"',
         'config.toml: round.seconds = "fast" should be a whole number; using 90',
         "round", "seconds", 90),
        ("[round]\nseconds = 90.5",
         "config.toml: round.seconds = 90.5 should be a whole number; using 90",
         "round", "seconds", 90),
        ('[round]\nstyle_kind = "van gogh"',
         'config.toml: round.style_kind = "van gogh" is not one of single, artist, mixed; '
         'using "single"',
         "round", "style_kind", "single"),
        ('[kiosk]\nusb_dir = 1',
         'config.toml: kiosk.usb_dir = 1 should be text in quotes; using ""',
         "kiosk", "usb_dir", ""),
        ("[round]\nseconds = true",
         "config.toml: round.seconds = true should be a whole number; using 90",
         "round", "seconds", 90),
        ('[display]\nfullscreen = "yes"',
         'config.toml: display.fullscreen = "yes" should be true or false; using false',
         "display", "fullscreen", False),
        ('[display]\ntext_size = "huge"',
         'config.toml: display.text_size = "huge" is not one of small, medium, large; '
         'using "medium"',
         "display", "text_size", "medium"),
        ('[display]\nlanguage = "fr"',
         'config.toml: display.language = "fr" is not one of en, ro; using "en"',
         "display", "language", "en"),
        ("[sound]\nvolume = 1.5",
         "config.toml: sound.volume = 1.5 is out of range 0–1; using 0.8",
         "sound", "volume", 0.8),
        ("[sound]\nvolume = nan",
         "config.toml: sound.volume = nan should be a finite number; using 0.8",
         "sound", "volume", 0.8),
        ('[paths]\ncontent_dirs = "art"',
         'config.toml: paths.content_dirs = "art" should be a list of text, like ["a", "b"]; '
         "using []",
         "paths", "content_dirs", []),
        ("[paths]\nstyle_dirs = [1, 2]",
         'config.toml: paths.style_dirs = [1, 2] should be a list of text, like ["a", "b"]; '
         "using []",
         "paths", "style_dirs", []),
        ("[paths]\ndata_dir = 5",
         'config.toml: paths.data_dir = 5 should be text in quotes; using ""',
         "paths", "data_dir", ""),
    ],
)
def test_bad_value_warns_by_name_and_uses_the_default(
    tmp_path: Path, toml: str, warning: str, section: str, setting: str, default: object
) -> None:
    # A good setting in the same file must still be applied.
    good = "muted = true\n" if section == "sound" else "[sound]\nmuted = true\n"
    path = write(tmp_path / "config.toml", f"{toml}\n{good}")
    config, warnings = load_config(path)
    assert warnings == [warning]
    assert getattr(getattr(config, section), setting) == default
    assert config.sound.muted is True


def test_whole_number_volume_is_accepted_as_a_float(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path / "config.toml", "[sound]\nvolume = 1\n"))
    assert warnings == []
    assert config.sound.volume == 1.0 and isinstance(config.sound.volume, float)


def test_unknown_keys_and_sections_warn(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        "[round]\nseconds = 60\nspeed = 3\n\n[video]\nvsync = true\n",
    )
    config, warnings = load_config(path)
    assert warnings == [
        "config.toml: unknown setting round.speed; ignored",
        "config.toml: unknown section [video]; ignored",
    ]
    assert config.round.seconds == 60


def test_section_that_is_not_a_table_warns(tmp_path: Path) -> None:
    config, warnings = load_config(write(tmp_path / "config.toml", "round = 5\n"))
    assert warnings == ["config.toml: round should be a table like [round]; using defaults for it"]
    assert config.round.seconds == 90


@pytest.mark.parametrize(
    "content",
    [b"[round\nseconds = = 1\n", b"\xff\xfe\x00garbage", b"[round]\nseconds = 60\nseconds = 70\n"],
    ids=["syntax", "not-utf8", "duplicate-key"],
)
def test_broken_file_warns_once_and_uses_all_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    config, warnings = load_config(path)
    assert config == GameConfig()
    assert len(warnings) == 1
    assert str(path) in warnings[0]
    assert warnings[0].endswith("using all defaults")


def test_unreadable_path_warns(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be
    config, warnings = load_config(folder)
    assert config == GameConfig()
    assert len(warnings) == 1 and "could not read settings" in warnings[0]


def test_overrides_are_typed_by_the_field() -> None:
    config = GameConfig()
    warnings = apply_overrides(
        config,
        [
            "round.seconds=60",
            "sound.volume = 0.25",
            "display.fullscreen=yes",
            "sound.muted=OFF",
            "display.text_size=large",
            "paths.data_dir=/srv/duel",
            "paths.content_dirs=a, b ,",
            'paths.style_dirs=["x,y", "z"]',
        ],
    )
    assert warnings == []
    assert config.round.seconds == 60 and isinstance(config.round.seconds, int)
    assert config.sound.volume == 0.25
    assert config.display.fullscreen is True
    assert config.sound.muted is False
    assert config.display.text_size == "large"
    assert config.paths.data_dir == "/srv/duel"
    assert config.paths.content_dirs == ["a", "b"]
    assert config.paths.style_dirs == ["x,y", "z"]


def test_empty_list_override_clears_the_list() -> None:
    config = GameConfig()
    config.paths.content_dirs = ["old"]
    assert apply_overrides(config, ["paths.content_dirs="]) == []
    assert config.paths.content_dirs == []


def test_later_override_wins() -> None:
    config = GameConfig()
    apply_overrides(config, ["round.seconds=60", "round.seconds=75"])
    assert config.round.seconds == 75


@pytest.mark.parametrize(
    ("pair", "warning"),
    [
        ("round.seconds=fast",
         '--set: round.seconds = "fast" should be a whole number; keeping 120'),
        ("round.seconds=5", "--set: round.seconds = 5 is out of range 30–600; keeping 120"),
        ("sound.volume=loud", '--set: sound.volume = "loud" should be a number; keeping 0.8'),
        ("sound.volume=inf", "--set: sound.volume = inf should be a finite number; keeping 0.8"),
        ("sound.muted=maybe", '--set: sound.muted = "maybe" should be true or false; '
         "keeping false"),
        ("display.text_size=tiny",
         '--set: display.text_size = "tiny" is not one of small, medium, large; '
         'keeping "medium"'),
        ("paths.style_dirs=[1, 2]",
         '--set: paths.style_dirs = [1, 2] should be a list of text, like ["a", "b"]; '
         "keeping []"),
        ("round.speed=3", "--set: unknown setting round.speed; ignored"),
        ("video.vsync=1", "--set: unknown setting video.vsync; ignored"),
        ("seconds=60", "--set: 'seconds=60' should look like section.setting=value"),
        ("round.seconds", "--set: 'round.seconds' should look like section.setting=value"),
    ],
)
def test_bad_override_warns_and_keeps_the_current_value(pair: str, warning: str) -> None:
    config = GameConfig()
    config.round.seconds = 120  # as if read from the file: a bad override must keep it
    assert apply_overrides(config, [pair]) == [warning]
    expected = GameConfig()
    expected.round.seconds = 120
    assert config == expected


def test_cli_options_load_the_named_file_then_apply_overrides(tmp_path: Path) -> None:
    path = write(tmp_path / "kiosk.toml", "[round]\nseconds = 200\n[sound]\nmuted = true\n")
    parser = argparse.ArgumentParser()
    add_cli_options(parser)
    args = parser.parse_args(["--config", str(path), "--set", "round.seconds=45",
                              "--set", "round.seconds=0"])
    config, warnings = config_from_cli(args)
    assert config.round.seconds == 45
    assert config.sound.muted is True
    assert warnings == ["--set: round.seconds = 0 is out of range 30–600; keeping 45"]


def test_data_dir_and_leaderboard_file_settings(tmp_path: Path) -> None:
    config = GameConfig()
    config.paths.data_dir = str(tmp_path / "saves")
    assert resolved_data_dir(config) == tmp_path / "saves"
    assert leaderboard_path(config) == tmp_path / "saves" / cfg.LEADERBOARD_FILENAME
    config.paths.leaderboard_file = "fair.sqlite3"
    assert leaderboard_path(config) == tmp_path / "saves" / "fair.sqlite3"
    config.paths.leaderboard_file = str(tmp_path / "elsewhere" / "x.sqlite3")
    assert leaderboard_path(config) == tmp_path / "elsewhere" / "x.sqlite3"
    config.paths.data_dir = "~/duel"
    assert resolved_data_dir(config) == Path.home() / "duel"


# ---------------------------------------------------------------- hostile or odd files


def _cli_args(path: Path) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_cli_options(parser)
    return parser.parse_args(["--config", str(path)])


def _assert_defaults_with_one_warning(result: tuple[GameConfig, list[str]], path: Path) -> str:
    config, warnings = result
    assert config == GameConfig()
    assert len(warnings) == 1 and str(path) in warnings[0]
    assert warnings[0].endswith("using all defaults")
    return warnings[0]


@needs_fifo
def test_a_fifo_as_config_warns_instead_of_hanging_start_up(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)     # nobody ever writes: opening it for reading would block forever
    warning = _assert_defaults_with_one_warning(run_bounded(config_from_cli, _cli_args(fifo)),
                                                fifo)
    assert "not a regular file" in warning


@needs_dev_zero
def test_a_symlink_to_dev_zero_warns_instead_of_eating_memory(tmp_path: Path) -> None:
    link = tmp_path / "config.toml"
    link.symlink_to("/dev/zero")
    warning = _assert_defaults_with_one_warning(run_bounded(load_config, link), link)
    assert "not a regular file" in warning


def test_an_oversized_config_is_refused_by_size_not_read(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[round]\nseconds = 60\n" + "# padding\n" * 200_000)
    warning = _assert_defaults_with_one_warning(load_config(path), path)
    assert "MiB" in warning


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_utf16_config_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    # Windows Notepad's "Unicode" choice saves like this.
    path = tmp_path / "config.toml"
    path.write_bytes("\ufeff[round]\nseconds = 60\n".encode(codec))
    config, warnings = load_config(path)
    assert config.round.seconds == 60 and warnings == []


def test_a_latin1_config_is_read_with_a_warning_for_staff(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[kiosk]\nblocklist = ["r\u00fbde", "\u0153uvre"]\n'.encode("cp1252"))
    config, warnings = load_config(path)
    assert config.kiosk.blocklist == ["r\u00fbde", "\u0153uvre"]
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "Windows-1252" in warnings[0]
