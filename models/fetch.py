"""Download catalogue files into the cache, checked, and atomically; or fail with a clear message.

Every download goes to a temporary name inside the cache folder, is checked (size, then
sha256 or Keras's md5, or for the Hub SavedModel a load and a call of its signature), and
only then `os.replace`-d under its real name. Whatever goes wrong - no network, HTTP 404,
a connection cut short, a stalled or too slow server, a body larger than the catalogue's
size, a wrong checksum - the temporary file is removed and a FetchError says what
happened; nothing half-done stays in the cache.

Plain files and the full VGG-19 weights (checked with the md5 Keras publishes) go through
models/http_download.py, which holds every download to a stall timeout, a wall-clock
deadline and the expected size; the Hub model goes through tensorflow_hub, with
TFHUB_CACHE_DIR pointed at a temporary folder inside our cache (the stall timeout only).

A mirror (`FetchSettings.mirror`, else $STYLE_DUEL_MODELS_MIRROR) replaces the official
addresses: each file is fetched from the mirror's base address plus its file name
(`<filename>.tar.gz` for the Hub SavedModel); the checksums stay those of the catalogue.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
import urllib.parse
from pathlib import Path
from typing import TextIO

from models import catalogue
from models.cache import CHECK_MD5, CHECK_SHA256, ModelCache, file_digests
from models.catalogue import ModelFile
from models.http_download import (OFFLINE_HINT, FetchError, FetchSettings, OfflineError,
                                  describe_error, download)

__all__ = ["OFFLINE_HINT", "FetchError", "FetchSettings", "OfflineError", "describe_error",
           "download", "fetch_entry", "fetch_file", "source_url", "verify_download"]

MIRROR_ENV = "STYLE_DUEL_MODELS_MIRROR"
MIRROR_SCHEMES = ("http", "https")


def fetch_entry(name: str, cache: ModelCache | None = None,
                settings: FetchSettings = FetchSettings(),
                stream: TextIO | None = None) -> list[Path]:
    """Fetch every file of catalogue entry `name`; returns the installed paths."""
    cache = cache or ModelCache()
    return [fetch_file(f, cache, settings, stream) for f in catalogue.entry(name).files]


def fetch_file(model_file: ModelFile, cache: ModelCache,
               settings: FetchSettings = FetchSettings(), stream: TextIO | None = None) -> Path:
    """Install one file (skipped when a verified copy is there) and return its path."""
    stream = stream or sys.stderr
    current = cache.check(model_file)
    if current.verified and not settings.force:
        stream.write(f"{model_file.filename}: already installed and verified\n")
        return current.path
    if model_file.source in (catalogue.SOURCE_URL, catalogue.SOURCE_KERAS):
        return _fetch_plain(model_file, cache, settings, stream)
    if model_file.source == catalogue.SOURCE_HUB:
        return _fetch_hub(model_file, cache, settings, stream)
    return _derive(model_file, cache, settings, stream)


def source_url(model_file: ModelFile, settings: FetchSettings) -> str:
    """Where `model_file` is downloaded from: the mirror when one is set, else its own url."""
    mirror = (settings.mirror or os.environ.get(MIRROR_ENV, "")).strip()
    if not mirror:
        return model_file.url or ""
    if urllib.parse.urlparse(mirror).scheme not in MIRROR_SCHEMES:
        raise FetchError(f"The models mirror {mirror} is not an http:// or https:// address "
                         f"(set by --mirror or {MIRROR_ENV}).")
    # tensorflow_hub fetches a SavedModel as a tarball from any address that serves one.
    name = model_file.filename + (".tar.gz" if model_file.source == catalogue.SOURCE_HUB
                                  else "")
    return f"{mirror.rstrip('/')}/{urllib.parse.quote(name)}"


# -- plain files and the Keras weights ---------------------------------------------------------

def _fetch_plain(model_file: ModelFile, cache: ModelCache, settings: FetchSettings,
                 stream: TextIO) -> Path:
    url = source_url(model_file, settings)
    temp = cache.temp_file(model_file)
    try:
        download(url, temp, settings, stream, label=model_file.filename,
                 expected_size=model_file.size)
        check = verify_download(temp, model_file)
        return cache.install_file(temp, model_file, check, origin=url)
    finally:
        temp.unlink(missing_ok=True)


def verify_download(path: Path, model_file: ModelFile) -> str:
    """Size and checksum of a downloaded file against the catalogue; returns the check used."""
    size = path.stat().st_size
    if model_file.size is not None and size != model_file.size:
        raise FetchError(f"Download of {model_file.filename} has {size} bytes, expected "
                         f"{model_file.size}. It was discarded; nothing was installed.")
    digests = file_digests(path, md5=model_file.md5 is not None)
    if model_file.sha256 is not None:
        if digests["sha256"] != model_file.sha256:
            raise FetchError(f"Checksum mismatch for {model_file.filename}: sha256 "
                             f"{digests['sha256']}, expected {model_file.sha256}. "
                             "The download was discarded; nothing was installed.")
        return CHECK_SHA256
    if model_file.md5 is not None:
        if digests["md5"] != model_file.md5:
            raise FetchError(f"Checksum mismatch for {model_file.filename}: md5 "
                             f"{digests['md5']}, expected {model_file.md5}. "
                             "The download was discarded; nothing was installed.")
        return CHECK_MD5
    raise FetchError(f"{model_file.filename} has no checksum in the catalogue; "
                     "refusing to install an unchecked download.")


@contextlib.contextmanager
def _socket_timeout(seconds: float):
    """Libraries that call urlopen without a timeout (tensorflow_hub) use this one."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


@contextlib.contextmanager
def _environment(**values: str):
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# -- TF Hub SavedModel -----------------------------------------------------------------------

def _fetch_hub(model_file: ModelFile, cache: ModelCache, settings: FetchSettings,
               stream: TextIO) -> Path:
    """tensorflow_hub resolves the handle into a temporary TFHUB_CACHE_DIR inside our cache;
    the unpacked SavedModel must load and answer a (content, style) call before it moves in.
    The tarball's size and checksum are not published, so this call is the check."""
    url = source_url(model_file, settings)
    temp_dir = cache.temp_dir(model_file)
    stream.write(f"{model_file.filename}: downloading with tensorflow_hub from {url}\n")
    try:
        with _environment(TFHUB_CACHE_DIR=str(temp_dir), TFHUB_DOWNLOAD_PROGRESS="1"), \
                _socket_timeout(settings.stall_timeout_s):
            import tensorflow_hub as hub

            try:
                resolved = Path(hub.resolve(url))
            except Exception as error:  # noqa: BLE001
                raise describe_error(error, url, settings) from error
        from models.magenta import check_hub_saved_model

        try:
            check_hub_saved_model(resolved)
        except Exception as error:  # noqa: BLE001 - any failure to load means a bad model
            raise FetchError(f"The downloaded SavedModel from {url} does not load "
                             f"or answer its signature ({error}). Nothing was installed."
                             ) from error
        return cache.install_folder(resolved, model_file, origin=url)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


# -- derived files (VGG-19 cuts) -------------------------------------------------------------

def _derive(model_file: ModelFile, cache: ModelCache, settings: FetchSettings,
            stream: TextIO) -> Path:
    """A VGG-19 cut is made from the full weights, fetched first when missing."""
    from models.export import install_vgg_cut

    source = catalogue.file_by_name(model_file.derived_from or "")
    if source is None or model_file.vgg_blocks is None:
        raise FetchError(f"{model_file.filename} cannot be downloaded or derived.")
    full = fetch_file(source, cache, settings, stream)
    stream.write(f"{model_file.filename}: cutting blocks 1-{model_file.vgg_blocks} "
                 f"from {full.name}\n")
    return install_vgg_cut(full, model_file.vgg_blocks, cache)

