"""`models export`: copy installed model files to a folder (a USB stick for an offline
machine, which then runs `models import`), or cut the VGG-19 weights to its first N blocks.

Every file is written under a temporary name in the destination and renamed when
complete, so a stick pulled out mid-copy never holds a half file under a real name.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from models import catalogue, vgg_h5
from models.cache import (CHECK_LAYOUT, CHECK_SHA256, FILE_MODE, PARTIAL_PREFIX, ModelCache,
                          file_digests)


def export_installed(destination: Path, cache: ModelCache | None = None,
                     stream: TextIO | None = None) -> list[Path]:
    """Copy every installed and verified file to `destination`; returns the copies."""
    cache = cache or ModelCache()
    stream = stream or sys.stderr
    destination.mkdir(parents=True, exist_ok=True)
    statuses = {s.model_file.name: s for entry in cache.status() for s in entry.files}
    statuses.update({s.model_file.name: s for s in cache.extra_files()})
    written = []
    for found in statuses.values():
        if not found.present:
            continue
        if not found.verified:
            stream.write(f"skipped {found.path.name}: not verified ({found.detail})\n")
            continue
        target = destination / found.path.name
        if found.path.is_dir():
            _copy_tree_atomic(found.path, target)
        else:
            _copy_atomic(found.path, target)
        stream.write(f"exported {target}\n")
        written.append(target)
    return written


def export_vgg_blocks(blocks: int, destination: Path, cache: ModelCache | None = None) -> Path:
    """Write VGG-19 blocks 1..`blocks` to `destination`, cut from an installed VGG-19 file."""
    cache = cache or ModelCache()
    source = _installed_vgg_source(blocks, cache)
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / catalogue.vgg19_file(blocks).filename
    handle, temp = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{target.name}.", dir=destination)
    os.close(handle)
    try:
        vgg_h5.write_truncated(source, Path(temp), blocks)
        os.chmod(temp, FILE_MODE)
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)
    return target


def install_vgg_cut(source: Path, blocks: int, cache: ModelCache) -> Path:
    """Cut `source` (VGG-19 weights) to `blocks` blocks straight into the cache."""
    model_file = catalogue.vgg19_file(blocks)
    temp = cache.temp_file(model_file)
    try:
        vgg_h5.write_truncated(source, temp, blocks)
        same_as_reference = (model_file.sha256 is not None
                             and file_digests(temp)["sha256"] == model_file.sha256)
        check = CHECK_SHA256 if same_as_reference else CHECK_LAYOUT
        return cache.install_file(temp, model_file, check, origin=f"cut from {source.name}")
    finally:
        temp.unlink(missing_ok=True)


def _installed_vgg_source(blocks: int, cache: ModelCache) -> Path:
    """The smallest installed, verified VGG-19 file that holds at least `blocks` blocks."""
    for have in range(blocks, catalogue.VGG19_BLOCKS + 1):
        found = cache.find(catalogue.vgg19_file(have).name)
        if found is not None:
            return found
    raise FileNotFoundError(
        f"No VGG-19 weights with blocks 1-{blocks} are installed in {cache.root}. "
        "Run `python main.py models fetch vgg19` (or `models import DIR`) first.")


def _copy_atomic(source: Path, target: Path) -> None:
    handle, temp = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temp)
        os.chmod(temp, FILE_MODE)
        os.replace(temp, target)
    finally:
        Path(temp).unlink(missing_ok=True)


def _copy_tree_atomic(source: Path, target: Path) -> None:
    temp = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{target.name}.", dir=target.parent))
    try:
        shutil.copytree(source, temp / "tree")
        if target.exists():
            shutil.rmtree(target)
        os.replace(temp / "tree", target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
