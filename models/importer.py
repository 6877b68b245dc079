"""`models import DIR`: install model files copied by hand (a USB stick, a shared folder).

Files are recognised by content, never by name: catalogue files by sha256 (or the md5
Keras publishes for the full VGG-19 weights), and any Keras VGG-19 weights file, full or
cut to its first N blocks, by its HDF5 layout and layer shapes - and then only when its
weights look real (finite, plausible, not constant). A folder holding the Magenta Hub
SavedModel is recognised by loading it and calling its signature (this one case imports
TensorFlow). Everything else is listed as ignored, with the reason.

Two refusals protect what is installed: a file recognised only by its layout never replaces
one verified by its checksum, and symbolic links are followed only when they stay inside
the imported folder (run as root, a link to /etc/shadow was read and hashed).
Copies go through a temporary name in the cache and an atomic rename.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from models import catalogue, vgg_h5
from models.cache import (CHECK_LAYOUT, CHECK_MD5, CHECK_SHA256, CHECK_SIGNATURE, CHECKSUMS,
                          ModelCache, file_digests)
from models.catalogue import ModelFile

# Files we know but do not use, so the report can say what they are instead of "unknown".
KNOWN_UNUSED = MappingProxyType({
    "69b191c1f1f3f6520634293803a528469015a00269f982ebd38b7850f68d9341":
        "the older (2019) dynamic-size Magenta transfer model; not in the catalogue",
})


@dataclass(frozen=True)
class Imported:
    source: Path
    model_file: ModelFile
    installed: Path
    check: str               # how it was recognised (cache.CHECK_*)
    already: bool = False    # an identical verified copy was there; nothing copied


@dataclass(frozen=True)
class Ignored:
    path: Path
    reason: str


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[Imported, ...]
    ignored: tuple[Ignored, ...]


def import_folder(folder: Path, cache: ModelCache | None = None) -> ImportReport:
    """Install every recognised model file found directly in `folder` into the cache."""
    cache = cache or ModelCache()
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    imported: list[Imported] = []
    ignored: list[Ignored] = []
    inside = folder.resolve()
    for path in sorted(folder.iterdir()):
        # Read through the resolved path from here on: the name is not followed twice.
        real = _resolved(path)
        if path.name.startswith("."):
            ignored.append(Ignored(path, "hidden or partial file"))
        elif real is None or not real.is_relative_to(inside):
            ignored.append(Ignored(path, _outside(real)))
        elif real.is_dir():
            _import_dir(path, real, inside, cache, imported, ignored)
        elif real.is_file():
            result = _import_file(path, real, cache)
            (imported if isinstance(result, Imported) else ignored).append(result)
        else:
            ignored.append(Ignored(path, "not a regular file"))
    return ImportReport(tuple(imported), tuple(ignored))


def _resolved(path: Path) -> Path | None:
    """Where `path` leads once every link is followed; None for a loop of links."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError until Python 3.13, then OSError
        return None


def _outside(target: Path | None, link: str = "") -> str:
    name = f"symbolic link{f' {link}' if link else ''}"
    if target is None:
        return f"{name} that loops back on itself: not followed"
    return f"{name} to {target}, outside the imported folder: not followed"


def recognise(path: Path) -> tuple[ModelFile, str, dict] | str:
    """(catalogue file, how recognised, digests) for a model file, else the reason not."""
    digests = file_digests(path, md5=True)
    by_sha = catalogue.file_by_sha256(digests["sha256"])
    if by_sha is not None:
        return by_sha, CHECK_SHA256, digests
    if digests["md5"] == catalogue.VGG19_FULL.md5:
        return catalogue.VGG19_FULL, CHECK_MD5, digests
    if digests["sha256"] in KNOWN_UNUSED:
        return KNOWN_UNUSED[digests["sha256"]]
    if vgg_h5.looks_like_hdf5(path):
        check = vgg_h5.check_vgg19(path)
        if check.blocks is None:
            return f"HDF5 file but not VGG-19 weights: {check.reason}"
        problem = vgg_h5.weights_problem(path)
        if problem:
            return f"VGG-19 layout but broken weights, not imported: {problem}"
        return catalogue.vgg19_file(check.blocks), CHECK_LAYOUT, digests
    return f"not a catalogue file (sha256 {digests['sha256'][:12]}... is unknown)"


def _import_file(path: Path, real: Path, cache: ModelCache) -> Imported | Ignored:
    """`path` as the folder lists it (for the report), `real` the file it resolves to."""
    found = recognise(real)
    if isinstance(found, str):
        return Ignored(path, found)
    model_file, check, digests = found
    current = cache.check(model_file)
    record = cache.read_manifest().get(model_file.name, {})
    if current.verified and record.get("sha256") == digests["sha256"]:
        return Imported(path, model_file, current.path, check, already=True)
    if current.check in CHECKSUMS and check not in CHECKSUMS:
        # Layout and sane values do not prove these are the real weights; the checksum does.
        return Ignored(path, f"not imported: the installed {current.path.name} is verified by "
                             f"its {current.check} and this file matches only VGG-19's layout "
                             "(delete the installed file first to replace it)")
    temp = cache.temp_file(model_file)
    try:
        shutil.copyfile(real, temp)
        if file_digests(temp)["sha256"] != digests["sha256"]:
            return Ignored(path, "the copy differs from the original (disk or stick error?)")
        installed = cache.install_file(temp, model_file, check, origin=f"imported {path}")
    finally:
        temp.unlink(missing_ok=True)
    return Imported(path, model_file, installed, check)


def _import_dir(path: Path, real: Path, inside: Path, cache: ModelCache, imported: list,
                ignored: list) -> None:
    model_file = catalogue.MAGENTA_HUB_SAVED_MODEL
    if not (real / "saved_model.pb").is_file():
        ignored.append(Ignored(path, "folder (only a Magenta Hub SavedModel folder is "
                                     "imported; files in subfolders are not searched)"))
        return
    # Loading and copying follow links, so one leading out would bring its target along.
    for link in (p for p in real.rglob("*") if p.is_symlink()):
        target = _resolved(link)
        if target is None or not target.is_relative_to(inside):
            ignored.append(Ignored(path, _outside(target, str(link.relative_to(real)))))
            return
    from models.magenta import check_hub_saved_model

    try:
        check_hub_saved_model(real)
    except Exception as error:  # noqa: BLE001 - any failure: not the model we want
        ignored.append(Ignored(path, f"SavedModel without the Magenta signature ({error})"))
        return
    temp = cache.temp_dir(model_file)
    try:
        shutil.copytree(real, temp / "model")
        installed = cache.install_folder(temp / "model", model_file, origin=f"imported {path}")
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    imported.append(Imported(path, model_file, installed, CHECK_SIGNATURE))

