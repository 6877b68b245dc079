"""Game settings: one TOML file read into dataclasses, checked against a table of limits.

A bad setting never stops the game: it is replaced by its default and reported as a
warning that names the setting, the bad value and the value used instead, so whoever runs
the machine can fix the file without reading code.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import tomli_w

from game import paths
from game.files import make_folder
from game.i18n import LANGUAGES
from game.kiosk import KioskSettings, validate_kiosk
from game.limits import field_limits
from game.round import MAX_SECONDS, MIN_SECONDS
from game.text_files import TextFileError, read_small_text

TEXT_SIZES = ("small", "medium", "large")
# What a round's style is: one famous painting, an artist's several paintings together
# (both machines blend them), or a fair coin between the two for each round.
STYLE_KINDS = ("single", "artist", "mixed")
LEADERBOARD_FILENAME = "leaderboard.sqlite3"


@dataclass
class RoundSettings:
    # 90 s is enough to block in shapes yet keeps a queue of players moving; the range
    # matches what game.round.Round accepts.
    seconds: int = field(default=90, metadata=field_limits(low=MIN_SECONDS, high=MAX_SECONDS))
    # One painting by default: the round a first-time player understands at a glance.
    style_kind: str = field(default="single", metadata=field_limits(choices=STYLE_KINDS))


@dataclass
class DisplaySettings:
    # Windowed by default so a first run on a laptop does not grab the whole screen.
    fullscreen: bool = False
    # Larger text for kiosks viewed from a distance or players who need it.
    text_size: str = field(default="medium", metadata=field_limits(choices=TEXT_SIZES))
    # The player-facing language; each one has a folder of strings in game/locale/.
    language: str = field(default="en", metadata=field_limits(choices=LANGUAGES))


@dataclass
class SoundSettings:
    # Below full volume so the first sound on unknown speakers is not a shock.
    volume: float = field(default=0.8, metadata=field_limits(low=0.0, high=1.0))
    muted: bool = False


@dataclass
class PathSettings:
    # Empty means the per-user data folder (or $STYLE_DUEL_HOME/data).
    data_dir: str = ""
    # Empty means <data_dir>/leaderboard.sqlite3; a relative path is taken inside data_dir.
    leaderboard_file: str = ""
    # Extra folders of photos and paintings; empty lists mean the bundled art only.
    content_dirs: list[str] = field(default_factory=list)
    style_dirs: list[str] = field(default_factory=list)


@dataclass
class FarmSettings:
    # A render farm's address (docs/farm.md), e.g. "http://render-1:8710"; empty: this
    # computer paints everything, as without a farm.
    url: str = ""
    # The file holding the farm's bearer token (one line); a farm without it refuses us.
    token_file: str = ""
    # Start the local workers at launch too (TensorFlow loaded, a fallback ready at once)
    # rather than on the first job the farm cannot paint.
    warm_fallback: bool = False
    # One HTTP call's limit; the farm counts as down after it, for retry_after_s.
    timeout_s: float = field(default=10.0, metadata=field_limits(low=1.0, high=120.0))
    retry_after_s: float = field(default=60.0, metadata=field_limits(low=5.0, high=3600.0))


@dataclass
class GameConfig:
    round: RoundSettings = field(default_factory=RoundSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    paths: PathSettings = field(default_factory=PathSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    farm: FarmSettings = field(default_factory=FarmSettings)


class _Invalid(ValueError):
    """A value that cannot be used; its message is the player/staff-facing reason."""


def _show(value: Any) -> str:
    """Render a value the way it would be written in the TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _check_type(value: Any, kind: Any) -> Any:
    """Return value as `kind` (int where float is wanted is fine), or raise _Invalid."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise _Invalid("should be true or false")
    if kind is int:
        # bool is an int subclass in Python; `seconds = true` is still a mistake.
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _Invalid("should be a whole number")
    if kind is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise _Invalid("should be a finite number")
            return float(value)
        raise _Invalid("should be a number")
    if kind is str:
        if isinstance(value, str):
            return value
        raise _Invalid("should be text in quotes")
    if get_origin(kind) is list:
        (item_kind,) = get_args(kind)
        if isinstance(value, list) and all(isinstance(item, item_kind) for item in value):
            return list(value)
        raise _Invalid('should be a list of text, like ["a", "b"]')
    raise TypeError(f"no validator for settings of type {kind!r}")


def _check_limits(value: Any, meta: Any) -> None:
    if "range" in meta:
        low, high = meta["range"]
        if not low <= value <= high:
            raise _Invalid(f"is out of range {low:g}–{high:g}")
    if "choices" in meta and value not in meta["choices"]:
        raise _Invalid("is not one of " + ", ".join(meta["choices"]))


def _validated(value: Any, spec: dataclasses.Field[Any], kind: Any) -> Any:
    checked = _check_type(value, kind)
    _check_limits(checked, spec.metadata)
    return checked


def _problem(source: str, key: str, value: Any, reason: str, fallback: str) -> str:
    return f"{source}: {key} = {_show(value)} {reason}; {fallback}"


def _section_fields(section: Any) -> dict[str, tuple[dataclasses.Field[Any], Any]]:
    hints = get_type_hints(type(section))
    return {spec.name: (spec, hints[spec.name]) for spec in dataclasses.fields(section)}


def _read_section(name: str, table: Any, section: Any, source: str) -> list[str]:
    warnings: list[str] = []
    if not isinstance(table, dict):
        return [f"{source}: {name} should be a table like [{name}]; using defaults for it"]
    specs = _section_fields(section)
    for key, value in table.items():
        if key not in specs:
            warnings.append(f"{source}: unknown setting {name}.{key}; ignored")
            continue
        spec, kind = specs[key]
        try:
            setattr(section, key, _validated(value, spec, kind))
        except _Invalid as err:
            default = getattr(section, key)
            warnings.append(
                _problem(source, f"{name}.{key}", value, str(err), f"using {_show(default)}")
            )
    return warnings


def _from_table(data: dict[str, Any], source: str) -> tuple[GameConfig, list[str]]:
    config = GameConfig()
    warnings: list[str] = []
    sections = {spec.name for spec in dataclasses.fields(config)}
    for name, table in data.items():
        if name not in sections:
            warnings.append(f"{source}: unknown section [{name}]; ignored")
            continue
        warnings += _read_section(name, table, getattr(config, name), source)
    return config, warnings


def _checked(config: GameConfig, warnings: list[str]) -> tuple[GameConfig, list[str]]:
    """Checks that span settings (the admin chord parses, warning < idle limit)."""
    return config, warnings + validate_kiosk(config.kiosk)


def load_config(path: Path | None = None) -> tuple[GameConfig, list[str]]:
    """Read settings from `path` (default: the per-user config.toml).

    Never raises for a bad file: a missing file gives the defaults silently; an unreadable
    or malformed one gives the defaults plus one warning; bad values fall back one by one.
    """
    path = paths.default_config_path() if path is None else Path(path)
    try:
        source = read_small_text(path)     # refuses FIFOs, devices and huge files
        data = tomllib.loads(source.text)
    except (TextFileError, tomllib.TOMLDecodeError) as err:
        if getattr(err, "missing", False):
            return GameConfig(), []
        return GameConfig(), [f"{path}: could not read settings ({err}); using all defaults"]
    config, warnings = _checked(*_from_table(data, path.name))
    return config, source.staff_notes() + warnings


def _parse_override(text: str, kind: Any) -> Any:
    """Turn the text after '=' into the field's type; raise _Invalid if it does not fit."""
    text = text.strip()
    try:
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
    except ValueError:
        reason = "should be a whole number" if kind is int else "should be a number"
        raise _Invalid(reason) from None
    if kind is bool:
        lowered = text.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise _Invalid("should be true or false")
    if get_origin(kind) is list:
        if text.startswith("["):
            # TOML array syntax lets a path that contains a comma be given exactly.
            try:
                return tomllib.loads(f"value = {text}")["value"]
            except tomllib.TOMLDecodeError:
                raise _Invalid('should be a list of text, like ["a", "b"]') from None
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def apply_overrides(config: GameConfig, pairs: list[str]) -> list[str]:
    """Apply "section.setting=value" strings (from --set) in place; return warnings.

    A bad override leaves the setting as it was (the file's value or the default).
    """
    warnings: list[str] = []
    source = "--set"
    sections = {spec.name for spec in dataclasses.fields(config)}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        section_name, dot, setting = key.strip().partition(".")
        if not sep or not dot:
            warnings.append(f"{source}: {pair!r} should look like section.setting=value")
            continue
        section = getattr(config, section_name) if section_name in sections else None
        specs = _section_fields(section) if section is not None else {}
        if setting not in specs:
            warnings.append(f"{source}: unknown setting {section_name}.{setting}; ignored")
            continue
        spec, kind = specs[setting]
        current = getattr(section, setting)
        shown: Any = raw.strip()  # what the warning echoes if the text does not even parse
        try:
            shown = _parse_override(raw, kind)
            value = _validated(shown, spec, kind)
        except _Invalid as err:
            warnings.append(
                _problem(source, key.strip(), shown, str(err), f"keeping {_show(current)}")
            )
            continue
        setattr(section, setting, value)
    return warnings


def save_config(config: GameConfig, path: Path | None = None) -> Path:
    """Write settings atomically, so a crash mid-save never leaves half a config file."""
    path = paths.default_config_path() if path is None else Path(path)
    make_folder(path.parent)           # the one file policy (docs/files.md): private
    body = tomli_w.dumps(dataclasses.asdict(config))
    text = "# Style Duel settings. Delete a line to go back to its default.\n\n" + body
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def resolved_data_dir(config: GameConfig) -> Path:
    if config.paths.data_dir:
        return Path(config.paths.data_dir).expanduser()
    return paths.user_data_dir()


def leaderboard_path(config: GameConfig) -> Path:
    data_dir = resolved_data_dir(config)
    if not config.paths.leaderboard_file:
        return data_dir / LEADERBOARD_FILENAME
    # An absolute path wins the join; a bare file name lands in the data folder.
    return data_dir / Path(config.paths.leaderboard_file).expanduser()


def add_cli_options(parser: argparse.ArgumentParser) -> None:
    """The --config and --set options, shared by every entry point that loads settings."""
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help="settings file to use instead of the per-user config.toml")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="SECTION.SETTING=VALUE",
                        help="override one setting for this run, e.g. round.seconds=60")


def config_from_cli(args: argparse.Namespace) -> tuple[GameConfig, list[str]]:
    config, warnings = load_config(args.config)
    warnings += apply_overrides(config, args.overrides)
    warnings += validate_kiosk(config.kiosk)
    return config, warnings
