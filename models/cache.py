"""The model cache: a per-user folder of model files plus a JSON manifest of what is there.

Where: `$STYLE_DUEL_MODELS` when set (any folder, also a read-only one on a kiosk), else
`$STYLE_DUEL_HOME/models` when STYLE_DUEL_HOME is set (tests, demo), else
platformdirs' user cache folder for "style-duel", subfolder `models`.

The manifest remembers, per file, its size, mtime and checksums, so `status()` re-hashes a
file only when it changed. Reading (status, find) never writes: a read-only folder without
a manifest works, it is only slower because every file is hashed on each new ModelCache.
Files are installed by writing a temporary file in the same folder and `os.replace`-ing it
into place, so a crash or a bad download never leaves a half file under a real name.
No TensorFlow here: the game imports this module.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models import catalogue, vgg_h5
from models.catalogue import ModelEntry, ModelFile

MODELS_ENV = "STYLE_DUEL_MODELS"
HOME_ENV = "STYLE_DUEL_HOME"
APP_NAME = "style-duel"
MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
# Temporary names start with this; status ignores them and the next install cleans nothing
# it did not create (a crash may leave one behind: harmless, and named so it is obvious).
PARTIAL_PREFIX = ".partial-"
CHUNK_BYTES = 1 << 20
# mkstemp/mkdtemp make private (0600/0700) files; a shared kiosk cache must be readable
# by the account that runs the game, so installed files get the usual modes.
FILE_MODE = 0o644
DIR_MODE = 0o755

# How a file was accepted (the manifest's "check" field).
CHECK_SHA256 = "sha256"        # matched the catalogue's sha256
CHECK_MD5 = "md5"              # matched the catalogue's md5 (Keras weights)
CHECK_LAYOUT = "layout"        # a VGG-19 weights file recognised by its layers and shapes
CHECK_SIGNATURE = "signature"  # a SavedModel that loaded and answered its signature
CHECKSUMS = (CHECK_SHA256, CHECK_MD5)
# Manifest flag of a layout-checked file whose weights were also found sane at install;
# records written before that check existed lack it, so their weights are checked on read.
WEIGHTS_CHECKED = "weights_checked"


def default_models_dir() -> Path:
    """The cache folder for this user (see the module docstring); not created here."""
    explicit = os.environ.get(MODELS_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser().absolute()
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        return Path(home).expanduser().absolute() / "models"
    import platformdirs

    # appauthor=False: otherwise Windows nests the app name twice.
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "models"


def file_digests(path: Path, md5: bool = False) -> dict[str, str]:
    """{"sha256": hex} (and "md5" when asked) of a file, read in 1 MiB chunks."""
    hashers = {"sha256": hashlib.sha256()}
    if md5:
        hashers["md5"] = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            for hasher in hashers.values():
                hasher.update(chunk)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def tree_digest(folder: Path) -> str:
    """sha256 over the sorted relative paths and sha256s of every file under `folder`."""
    lines = [f"{p.relative_to(folder).as_posix()}\0{file_digests(p)['sha256']}\n"
             for p in sorted(folder.rglob("*")) if p.is_file()]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _tree_stat(folder: Path) -> tuple[int, int]:
    """(total bytes, newest mtime_ns) of the files under `folder`: the cheap change test."""
    stats = [p.stat() for p in folder.rglob("*") if p.is_file()]
    return sum(s.st_size for s in stats), max((s.st_mtime_ns for s in stats), default=0)


@dataclass(frozen=True)
class FileStatus:
    model_file: ModelFile
    path: Path
    present: bool
    verified: bool
    detail: str       # how it was verified, or why not
    check: str = ""   # how it was verified (CHECK_*), "" when it is not


@dataclass(frozen=True)
class EntryStatus:
    entry: ModelEntry
    files: tuple[FileStatus, ...]
    where: Path       # the cache folder the files were looked for in

    @property
    def installed(self) -> bool:
        return all(f.present for f in self.files)

    @property
    def verified(self) -> bool:
        return all(f.verified for f in self.files)


def model_file_for(name: str) -> ModelFile | None:
    """Catalogue file by name, including VGG-19 cuts that only `vgg19_file` describes."""
    found = catalogue.file_by_name(name)
    prefix = "vgg19-blocks1-"
    if found is None and name.startswith(prefix) and name[len(prefix):].isdigit():
        found = catalogue.vgg19_file(int(name[len(prefix):]))
    return found


class ModelCache:
    """One cache folder. Cheap to create; reads the manifest on each call (it is small)."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else default_models_dir()
        # Digests of files the manifest does not vouch for, per (path, size, mtime): keeps a
        # read-only kiosk folder from being re-hashed on every status call of this object.
        self._digest_memo: dict[tuple[str, int, int], dict[str, str]] = {}
        # The same for the weights check of layout-only files recorded before it existed.
        self._weights_memo: dict[tuple[str, int, int], str] = {}

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    def path_for(self, model_file: ModelFile) -> Path:
        return self.root / model_file.filename

    # -- reading -------------------------------------------------------------------------

    def read_manifest(self) -> dict:
        """The manifest's file records by ModelFile name; {} when missing or unreadable."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get("files") if isinstance(data, dict) else None
        return files if isinstance(files, dict) else {}

    def check(self, model_file: ModelFile, manifest: dict | None = None) -> FileStatus:
        """Is the file there, and do its size and checksum match (see module docstring)?"""
        manifest = self.read_manifest() if manifest is None else manifest
        record = manifest.get(model_file.name) or {}
        path = self.path_for(model_file)
        if model_file.source == catalogue.SOURCE_HUB:
            return self._check_folder(model_file, path, record)
        if not path.is_file():
            return FileStatus(model_file, path, False, False, "not installed")
        stat = path.stat()
        digests = self._digests(path, stat, record, md5=model_file.md5 is not None)
        check, detail = _verdict(model_file, stat.st_size, digests, record)
        if check == CHECK_LAYOUT and not record.get(WEIGHTS_CHECKED):
            key = (str(path), stat.st_size, stat.st_mtime_ns)
            if key not in self._weights_memo:
                self._weights_memo[key] = vgg_h5.weights_problem(path)
            if self._weights_memo[key]:
                check, detail = "", f"broken weights: {self._weights_memo[key]}"
        return FileStatus(model_file, path, True, bool(check), detail, check)

    def _digests(self, path: Path, stat: os.stat_result, record: dict, md5: bool) -> dict:
        unchanged = (record.get("size") == stat.st_size
                     and record.get("mtime_ns") == stat.st_mtime_ns and "sha256" in record)
        if unchanged and (not md5 or "md5" in record):
            return {k: record[k] for k in ("sha256", "md5") if k in record}
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self._digest_memo:
            self._digest_memo[key] = file_digests(path, md5=md5)
        return self._digest_memo[key]

    def _check_folder(self, model_file: ModelFile, path: Path, record: dict) -> FileStatus:
        if not (path / "saved_model.pb").is_file():
            return FileStatus(model_file, path, False, False, "not installed")
        if record.get("check") != CHECK_SIGNATURE or "tree_sha256" not in record:
            return FileStatus(model_file, path, True, False,
                              "no record of a signature check here (run `models fetch`)")
        size, mtime_ns = _tree_stat(path)
        if (size, mtime_ns) == (record.get("size"), record.get("mtime_ns")):
            return FileStatus(model_file, path, True, True, "signature checked at install",
                              CHECK_SIGNATURE)
        if tree_digest(path) == record["tree_sha256"]:
            return FileStatus(model_file, path, True, True, "files match the install record",
                              CHECK_SIGNATURE)
        return FileStatus(model_file, path, True, False, "files changed since install")

    def status(self) -> list[EntryStatus]:
        """Every catalogue entry: installed?, where, verified? Never writes anything."""
        manifest = self.read_manifest()
        return [EntryStatus(entry, tuple(self.check(f, manifest) for f in entry.files), self.root)
                for entry in catalogue.CATALOGUE]

    def extra_files(self) -> list[FileStatus]:
        """Manifest files outside the catalogue entries (VGG-19 cuts such as blocks 1-4)."""
        manifest = self.read_manifest()
        known = {f.name for f in catalogue.all_files()}
        extras = [model_file_for(name) for name in sorted(manifest) if name not in known]
        return [self.check(f, manifest) for f in extras if f is not None]

    def find(self, name: str) -> Path | None:
        """Path of the installed, verified file `name` (a ModelFile name), else None."""
        model_file = model_file_for(name)
        if model_file is None:
            return None
        found = self.check(model_file)
        return found.path if found.verified else None

    # -- writing -------------------------------------------------------------------------

    def temp_file(self, model_file: ModelFile) -> Path:
        """A new empty temporary file in the cache folder (same filesystem: atomic rename)."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{model_file.filename}.",
                                        dir=self.root)
        os.close(handle)
        return Path(name)

    def temp_dir(self, model_file: ModelFile) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{model_file.filename}.",
                                     dir=self.root))

    def install_file(self, temp_path: Path, model_file: ModelFile, check: str,
                     origin: str) -> Path:
        """Move a checked temporary file into place and record it in the manifest.

        A file accepted by its VGG-19 layout alone must also hold sane weights (ValueError).
        """
        final = self.path_for(model_file)
        extra = {}
        if check == CHECK_LAYOUT:
            problem = vgg_h5.weights_problem(temp_path)
            if problem:
                raise ValueError(f"{model_file.filename} not installed: broken VGG-19 weights "
                                 f"({problem})")
            extra[WEIGHTS_CHECKED] = True
        os.chmod(temp_path, FILE_MODE)
        os.replace(temp_path, final)
        stat = final.stat()
        digests = file_digests(final, md5=model_file.md5 is not None)
        self._record(model_file, {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                  **digests, "check": check, "origin": origin, **extra})
        return final

    def install_folder(self, temp_dir: Path, model_file: ModelFile, origin: str) -> Path:
        """Move a checked SavedModel folder into place (an old copy is removed first)."""
        final = self.path_for(model_file)
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}old.", dir=self.root))
            os.replace(final, old / "model")
            shutil.rmtree(old, ignore_errors=True)
        os.chmod(temp_dir, DIR_MODE)
        os.replace(temp_dir, final)
        size, mtime_ns = _tree_stat(final)
        self._record(model_file, {"size": size, "mtime_ns": mtime_ns,
                                  "tree_sha256": tree_digest(final), "check": CHECK_SIGNATURE,
                                  "origin": origin})
        return final

    def _record(self, model_file: ModelFile, fields: dict) -> None:
        manifest = self.read_manifest()
        manifest[model_file.name] = {
            "filename": model_file.filename, **fields,
            "installed": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds")}
        text = json.dumps({"version": MANIFEST_VERSION, "files": manifest}, indent=2,
                          sort_keys=True)
        handle, name = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{MANIFEST_NAME}.",
                                        dir=self.root)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(name, FILE_MODE)
        os.replace(name, self.manifest_path)


def _verdict(model_file: ModelFile, size: int, digests: dict, record: dict) -> tuple[str, str]:
    """How a present file is known to be the one the catalogue means (CHECK_*, "" when it
    is not), and the words for it."""
    if record.get("check") == CHECK_LAYOUT and digests.get("sha256") == record.get("sha256"):
        return CHECK_LAYOUT, "VGG-19 layout checked at install; unchanged since"
    if model_file.size is not None and size != model_file.size:
        return "", f"size {size} bytes, expected {model_file.size}"
    if model_file.sha256 is not None and digests.get("sha256") == model_file.sha256:
        return CHECK_SHA256, "sha256 matches the catalogue"
    if model_file.md5 is not None and digests.get("md5") == model_file.md5:
        return CHECK_MD5, "md5 matches the catalogue (Keras)"
    if model_file.sha256 is None and model_file.md5 is None:
        return "", "no checksum known and no install record"
    return "", "checksum does not match the catalogue"
