"""The art catalogue: bundled content photos and style paintings, plus user folders.

Bundled art is listed in art/catalogue.toml with licence and source; a listed file
that is missing or unreadable stops start-up with CatalogueError, because shipping a
broken catalogue is a packaging bug. Pictures from a player's or museum's folders are
untrusted: an unreadable one is skipped with a warning, never a crash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from game.file_names import display_name, display_text, escaped_text
from game.i18n import Strings
from game.image_formats import unplayable_reason
from game.image_loader import DEFAULT_MAX_PIXELS, ImageLoadError, load_rgb, probe_image
from game.skipped_files import SkippedFile, skipped_warnings

CATALOGUE_FILE = "catalogue.toml"
KINDS = ("content", "style")
MUSEUM_ARTIST = "Museum collection"
PLAYER_ARTIST = "Your collection"
# Collections, in the order the picker shows them. Bundled styles are either famous
# public-domain paintings or the project's own painted styles; bundled content is photos;
# user pictures are the museum's (collection folders) or the player's (dropped, --content).
MASTERPIECES, STUDIO, PHOTOS, MUSEUM, PLAYER = (
    "masterpieces", "studio", "photos", "museum", "player")
COLLECTIONS = (MASTERPIECES, STUDIO, PHOTOS, MUSEUM, PLAYER)
_BUNDLED_COLLECTIONS = {"style": (MASTERPIECES, STUDIO), "content": (PHOTOS,)}
_DEFAULT_COLLECTION = {"style": STUDIO, "content": PHOTOS}
# Where a random round's painting comes from: the title and attract screens promise a
# famous painting, and a museum's own style folder is its famous paintings. Studio styles
# stay in the picker and on --style; they are drawn only when neither collection has any.
ROUND_STYLE_COLLECTIONS = (MASTERPIECES, MUSEUM)

_REQUIRED_FIELDS = ("id", "file", "title", "artist", "year", "licence", "source")
_USER_ID_PREFIX = "user:"
# The ids of artists (game.artists.ArtistStyle): made by the catalogue, never listed in it.
ARTIST_ID_PREFIX = "artist:"
# Staff who sort pictures into sub-folders must learn that only the top level is shown.
_FOLDER_INSIDE = "it is a folder, and folders inside a collection folder are not searched"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArtItem:
    id: str
    kind: str  # "content" | "style"
    path: Path
    title: str
    artist: str
    year: str  # free text ("1889", "c. 1500", "n.d."); empty for user pictures
    licence: str
    source: str
    user: bool = False  # from a user/museum folder or dropped by the player
    collection: str = ""  # one of COLLECTIONS; "" only for items made by hand in tests

    def group(self) -> str:
        """The picker's group: the collection, or for a hand-made item its user/bundled kind."""
        if self.collection:
            return self.collection
        if self.user:
            return MUSEUM
        return _DEFAULT_COLLECTION[self.kind]


class CatalogueError(Exception):
    """The bundled catalogue is broken; the message names the file and catalogue."""


@dataclass
class Catalogue:
    content: list[ArtItem]
    styles: list[ArtItem]
    warnings: list[str] = field(default_factory=list)  # skipped user files etc.

    def items(self, kind: str) -> list[ArtItem]:
        _check_kind(kind)
        return self.content if kind == "content" else self.styles

    def item(self, item_id: str) -> ArtItem:
        """The item with this id; 'artist:<slug>' is one of artists()."""
        candidates = self.artists() if item_id.startswith(ARTIST_ID_PREFIX) else ()
        for candidate in (*self.content, *self.styles, *candidates):
            if candidate.id == item_id:
                return candidate
        raise KeyError(f"no art item with id {item_id!r}")

    def artists(self) -> list[ArtItem]:
        """Every artist with two or more famous paintings, as one style each (game.artists).
        Made anew on each call: cheap, and right after the player adds a picture."""
        from game.artists import group_by_artist   # it builds on this module's ArtItem
        return list(group_by_artist(self.styles))

    def random_pair(self, rng: random.Random,
                    kind: str = "single") -> tuple[ArtItem, ArtItem]:
        """A (content, style) pair; the same rng state always gives the same pair.

        kind is the round type (config.STYLE_KINDS): "single" draws a famous painting
        (round_styles), "artist" an artist's paintings together (a painting when no artist
        has two), "mixed" tosses a fair coin between the two. Setup, party and kiosk rounds
        and the demo all draw here.
        """
        content = _choose(self.content, None, rng, "content")
        if kind == "mixed":
            kind = "artist" if rng.random() < 0.5 else "single"
        artists = self.artists() if kind == "artist" else []
        style = _choose(artists or self.round_styles(), None, rng, "style")
        return content, style

    def round_styles(self) -> list[ArtItem]:
        """The paintings a random round draws from: ROUND_STYLE_COLLECTIONS, else all."""
        preferred = [item for item in self.styles
                     if item.group() in ROUND_STYLE_COLLECTIONS]
        return preferred or list(self.styles)

    def shuffle_content(self, current: ArtItem | None, rng: random.Random) -> ArtItem:
        """Another content item, different from current whenever there is a choice."""
        return _choose(self.content, current, rng, "content")

    def shuffle_style(self, current: ArtItem | None, rng: random.Random) -> ArtItem:
        """Another painting for a round (round_styles), different from current if it can be.

        A studio style picked in the picker is shuffled to a famous painting: a shuffle is a
        random pick like the round's first. An artist is shuffled to another artist.
        """
        artists = self.artists() if _is_artist(current) else []
        return _choose(artists or self.round_styles(), current, rng, "style")

    def collection(self, name: str) -> list[ArtItem]:
        """The items of one collection (MASTERPIECES, STUDIO, ...), in catalogue order."""
        if name not in COLLECTIONS:
            raise ValueError(f"collection must be one of {COLLECTIONS}, got {name!r}")
        return [item for item in (*self.content, *self.styles) if item.group() == name]


@dataclass(frozen=True)
class Shown:
    """An item's title, artist and year as the player reads them in the current language."""

    title: str
    artist: str
    year: str


def shown(item: ArtItem, strings: Strings) -> Shown:
    """Title, artist and year in the player's language, where a translation is usual.

    A bundled item's title is game/locale/<language>/catalogue.toml's art.<id>.title (the
    English file repeats art/catalogue.toml's title); an artist is translated when the
    locale lists its English text under art.artists (a studio or a company, not a painter's
    name); a year's "c. 1831" and "n.d." take the language's own forms. Anything without a
    translation, and a user picture's title (made from its file name), is shown as the
    catalogue has it.
    """
    artist_key = f"art.artists.{item.artist}"
    artist = strings.get(artist_key) if strings.has(artist_key) else item.artist
    if _is_artist(item):
        # 'Vincent van Gogh (5 paintings)' in the player's language; the year is a span.
        count = len(item.members)  # type: ignore[attr-defined]
        return Shown(strings.get("artists.title", artist=artist, count=count), artist,
                     item.year)
    if item.user:
        return Shown(item.title, artist, item.year)
    title_key = f"art.{item.id}.title"
    title = strings.get(title_key) if strings.has(title_key) else item.title
    return Shown(title, artist, shown_year(item.year, strings))


def stored_title(catalogue: Catalogue, item_id: str, stored: str, strings: Strings) -> str:
    """A saved painting's photo or painting title, in the language the player reads now.

    The leaderboard and the gallery keep the title in the language of the moment it was
    saved; where they also kept the id of a bundled picture, that picture's title is shown
    through the catalogue instead. A player's or museum's own picture, an id the catalogue
    no longer lists, and an entry saved without an id keep the title as stored.
    """
    try:
        item = catalogue.item(item_id)
    except KeyError:
        return stored
    return stored if item.user else shown(item, strings).title


def shown_year(year: str, strings: Strings) -> str:
    """'n.d.' and 'c. 1831' in the player's language; any other year as it is."""
    if year == "n.d.":
        return strings.get("art.no_date")
    if year.startswith("c. "):
        return strings.get("art.circa", year=year[3:])
    return year


def default_art_dir() -> Path:
    """The art/ folder that sits next to the game package."""
    return Path(__file__).resolve().parent.parent / "art"


def load_catalogue(
    art_dir: Path,
    user_content_dirs: Iterable[str | os.PathLike[str]] = (),
    user_style_dirs: Iterable[str | os.PathLike[str]] = (),
    check_images: bool = True,
    collection_artist: str = MUSEUM_ARTIST,
) -> Catalogue:
    """Read art_dir/catalogue.toml and add every picture in the user folders.

    check_images=True makes every bundled file prove it exists and has a readable
    image header (CatalogueError otherwise) and makes every user file pass a cheap
    header check (skipped with a warning otherwise). False skips all file checks,
    for tools that only need the metadata.
    """
    art_dir = Path(art_dir)
    toml_path = art_dir / CATALOGUE_FILE
    tables = _read_toml(toml_path)
    content = _parse_entries(tables, "content", art_dir, toml_path)
    styles = _parse_entries(tables, "style", art_dir, toml_path)
    _require_unique_ids([*content, *styles], toml_path)
    if check_images:
        for item in (*content, *styles):
            _require_image(item, toml_path)

    catalogue = Catalogue(content=content, styles=styles)
    for kind, folders in (("content", user_content_dirs), ("style", user_style_dirs)):
        for folder in _unique_folders(folders):
            items, problems = _scan_user_folder(folder, kind, collection_artist, check_images)
            catalogue.items(kind).extend(items)
            for problem in problems:
                _warn(catalogue, problem)
    return catalogue


def add_user_image(
    catalogue: Catalogue, path: str | os.PathLike[str], kind: str
) -> ArtItem:
    """Add a picture the player dropped on the window or named on the command line.

    The whole image is decoded once to prove it is usable (ImageLoadError if not,
    with the catalogue left unchanged). Adding the same file twice returns the item
    already there instead of a duplicate.
    """
    _check_kind(kind)
    load_rgb(path)
    file_path = _absolute(Path(path))
    item = _user_item(file_path, kind, PLAYER_ARTIST, "Not redistributed (your own file)",
                      PLAYER)
    items = catalogue.items(kind)
    for existing in items:
        if existing.id == item.id:
            return existing
    items.append(item)
    return item


def pretty_title(filename: str) -> str:
    """'starry_night-over.the.rhone.jpg' -> 'Starry Night Over The Rhone'."""
    stem = Path(filename).stem
    words = re.sub(r"[_\-.]+", " ", stem).split()
    if not words:
        return stem or "Untitled"
    if stem.islower():
        # Capitalise only the first letter: str.title() would give "Van Gogh'S".
        words = [word[:1].upper() + word[1:] for word in words]
    # Otherwise keep the owner's capitals ("IMG 0042", "McCoy Portrait").
    return " ".join(words)


# ------------------------------------------------------------------ bundled entries


def _read_toml(toml_path: Path) -> dict[str, object]:
    try:
        with open(toml_path, "rb") as handle:
            tables = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise CatalogueError(f"The art catalogue {toml_path} is missing.") from exc
    except OSError as exc:
        raise CatalogueError(f"The art catalogue {toml_path} can't be read: {exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"The art catalogue {toml_path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(tables) - set(KINDS))
    if unknown:
        # Most likely a typo such as [[styles]], which would silently drop entries.
        raise CatalogueError(
            f"The art catalogue {toml_path} has unknown section(s) {unknown}; "
            f"expected only [[content]] and [[style]]."
        )
    return tables


def _parse_entries(
    tables: dict[str, object], kind: str, art_dir: Path, toml_path: Path
) -> list[ArtItem]:
    entries = tables.get(kind, [])
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"The art catalogue {toml_path} has no [[{kind}]] entries.")
    return [
        _parse_entry(entry, kind, number, art_dir, toml_path)
        for number, entry in enumerate(entries, start=1)
    ]


def _parse_entry(
    entry: object, kind: str, number: int, art_dir: Path, toml_path: Path
) -> ArtItem:
    where = f"[[{kind}]] entry #{number} in {toml_path}"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where} is not a table.")
    values: dict[str, str] = {}
    collection = entry.get("collection", _DEFAULT_COLLECTION[kind])
    if collection not in _BUNDLED_COLLECTIONS[kind]:
        raise CatalogueError(
            f"{where}: collection {collection!r} is not one of {_BUNDLED_COLLECTIONS[kind]}."
        )
    for name in _REQUIRED_FIELDS:
        value = entry.get(name)
        if name == "year" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # year = 1889 is a natural thing for staff to write
        if not isinstance(value, str) or not value.strip():
            raise CatalogueError(f"{where} needs a non-empty text field '{name}'.")
        values[name] = value.strip()
    for reserved in (_USER_ID_PREFIX, ARTIST_ID_PREFIX):
        if values["id"].startswith(reserved):
            raise CatalogueError(f"{where}: ids starting with '{reserved}' are reserved.")
    relative = PurePosixPath(values["file"])
    # Keep the catalogue self-contained so the art folder can be moved as a whole.
    if relative.is_absolute() or ".." in relative.parts:
        raise CatalogueError(
            f"{where}: file '{values['file']}' must be a path inside {art_dir}."
        )
    return ArtItem(
        id=values["id"],
        kind=kind,
        path=art_dir / relative,
        title=values["title"],
        artist=values["artist"],
        year=values["year"],
        licence=values["licence"],
        source=values["source"],
        collection=collection,
    )


def _require_unique_ids(items: Sequence[ArtItem], toml_path: Path) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise CatalogueError(f"The art catalogue {toml_path} lists id '{item.id}' twice.")
        seen.add(item.id)


def _require_image(item: ArtItem, toml_path: Path) -> None:
    if not item.path.is_file():
        raise CatalogueError(
            f"Missing art file {item.path} ({item.kind} '{item.id}', "
            f"listed in {toml_path})."
        )
    try:
        probe_image(item.path, max_pixels=DEFAULT_MAX_PIXELS)
    except ImageLoadError as exc:
        raise CatalogueError(
            f"Unreadable art file {item.path} ({item.kind} '{item.id}', listed in "
            f"{toml_path}): {exc.reason}."
        ) from exc


# ------------------------------------------------------------------ user folders


def _unique_folders(folders: Iterable[str | os.PathLike[str]]) -> list[Path]:
    # The same folder named twice in a config must not produce duplicate ids.
    unique: dict[Path, None] = {}
    for folder in folders:
        unique.setdefault(_absolute(Path(folder)), None)
    return list(unique)


def _scan_user_folder(
    folder: Path, kind: str, artist: str, check_images: bool
) -> tuple[list[ArtItem], list[str]]:
    try:
        names = sorted(os.listdir(folder), key=lambda name: (name.casefold(), name))
    except FileNotFoundError:
        return [], [f"Collection folder {folder} ({kind}) was not found; skipped."]
    except NotADirectoryError:
        return [], [f"Collection folder {folder} ({kind}) is not a folder; skipped."]
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return [], [f"Collection folder {folder} ({kind}) can't be read ({reason}); skipped."]

    items: list[ArtItem] = []
    skipped: list[SkippedFile] = []
    for name in names:
        # Dot files include macOS "._photo.jpg" resource forks left on USB sticks:
        # they are not pictures, and warning about each would drown real problems.
        if name.startswith("."):
            continue
        path = folder / name
        reason = _FOLDER_INSIDE if path.is_dir() else unplayable_reason(name)
        if reason is None and check_images:
            try:
                probe_image(path)
            except ImageLoadError as exc:
                reason = exc.reason
        if reason is not None:
            skipped.append(SkippedFile(path, reason))
            continue
        items.append(_user_item(path, kind, artist, "Not redistributed (collection file)",
                                PLAYER if artist == PLAYER_ARTIST else MUSEUM))
    return items, skipped_warnings(folder, kind, skipped)


def _user_item(path: Path, kind: str, artist: str, licence: str, collection: str) -> ArtItem:
    # path stays as the OS gave it, so the file opens again even when its name is not
    # UTF-8; everything shown or stored is made from it safely (game/file_names.py).
    return ArtItem(
        id=_user_id(path, kind),
        kind=kind,
        path=path,
        title=pretty_title(display_name(path)),
        artist=artist,
        year="",
        licence=licence,
        source=display_text(str(path)),
        user=True,
        collection=collection,
    )


def _user_id(path: Path, kind: str) -> str:
    """'user:<kind>:<folder hash>:<file name>': stable across runs, unique per file.

    The kind is part of the id because one folder may serve as both content and
    style source, and item() must still find exactly one item. A name that is not UTF-8
    appears backslash-escaped, so the id can be stored; such an escape could spell a real
    name with a backslash in it, so then the whole path is hashed, keeping the two apart.
    """
    name = escaped_text(path.name)
    hashed = path.parent if name == path.name else escaped_text(str(path))
    digest = hashlib.sha1(str(hashed).encode("utf-8", "surrogateescape"))
    return f"{_USER_ID_PREFIX}{kind}:{digest.hexdigest()[:10]}:{name}"


def _absolute(path: Path) -> Path:
    try:
        return path.resolve()
    # resolve() can fail on odd mounts or symlink loops; absolute() never touches disk.
    except (OSError, RuntimeError):
        return path.absolute()


# ------------------------------------------------------------------ helpers


def _choose(
    items: Sequence[ArtItem], current: ArtItem | None, rng: random.Random, kind: str
) -> ArtItem:
    if not items:
        raise CatalogueError(f"There are no {kind} pictures to choose from.")
    others = [item for item in items if current is None or item.id != current.id]
    return rng.choice(others or list(items))


def _is_artist(item: object) -> bool:
    # By the id, not isinstance: game.artists imports this module.
    return isinstance(item, ArtItem) and item.id.startswith(ARTIST_ID_PREFIX)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


def _warn(catalogue: Catalogue, message: str) -> None:
    message = display_text(message)   # it names files, and the title screen shows it
    _log.warning("%s", message)
    catalogue.warnings.append(message)
