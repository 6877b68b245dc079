"""Download catalogue files into the cache, checked, and atomically; or fail with a clear message.

Every download goes to a temporary name inside the cache folder, is checked (size, then
sha256 or Keras's md5, or for the Hub SavedModel a load and a call of its signature), and
only then `os.replace`-d under its real name. Whatever goes wrong - no network, HTTP 404,
a connection cut short, a stalled or too slow server, a wrong checksum - the temporary
file is removed and a FetchError says what happened; nothing half-done stays in the cache.

Plain files go through urllib with our progress bar on stderr; the full VGG-19 weights
through `keras.utils.get_file` with Keras's own md5; the Hub model through tensorflow_hub,
with TFHUB_CACHE_DIR pointed at a temporary folder inside our cache.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from models import catalogue
from models.cache import CHECK_MD5, CHECK_SHA256, ModelCache, file_digests
from models.catalogue import ModelFile
from models.progress import ProgressBar

OFFLINE_HINT = ("To install offline, copy the files and run "
                "`python main.py models import DIR`.")


@dataclass(frozen=True)
class FetchSettings:
    # A server silent this long is taken as stalled (applies to connect and to each read).
    stall_timeout_s: float = 30.0
    # The whole file must arrive within this; a trickle that never stalls still ends.
    deadline_s: float | None = 1800.0
    # 64 KiB reads: progress updates stay smooth without a Python call per packet.
    chunk_bytes: int = 1 << 16
    # Re-download even when a verified copy is installed.
    force: bool = False


class FetchError(Exception):
    """A download that did not install anything; the message is for the player or admin."""


class OfflineError(FetchError):
    """The server could not be reached at all (no DNS, no route, connection refused)."""


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
    if model_file.source == catalogue.SOURCE_URL:
        return _fetch_plain(model_file, cache, settings, stream)
    if model_file.source == catalogue.SOURCE_KERAS:
        return _fetch_with_keras(model_file, cache, settings, stream)
    if model_file.source == catalogue.SOURCE_HUB:
        return _fetch_hub(model_file, cache, settings, stream)
    return _derive(model_file, cache, settings, stream)


# -- plain files (urllib) -------------------------------------------------------------------

def _fetch_plain(model_file: ModelFile, cache: ModelCache, settings: FetchSettings,
                 stream: TextIO) -> Path:
    temp = cache.temp_file(model_file)
    try:
        download(model_file.url, temp, settings, stream, label=model_file.filename)
        check = verify_download(temp, model_file)
        return cache.install_file(temp, model_file, check, origin=model_file.url)
    finally:
        temp.unlink(missing_ok=True)


def download(url: str, destination: Path, settings: FetchSettings, stream: TextIO,
             label: str) -> int:
    """Write the body at `url` to `destination`; returns its size. Raises FetchError."""
    start = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": "style-duel-models"})
    try:
        with urllib.request.urlopen(request, timeout=settings.stall_timeout_s) as response:
            total = response.length  # Content-Length, None when absent
            bar = ProgressBar(label, total, stream)
            received = 0
            with open(destination, "wb") as out:
                while chunk := response.read(settings.chunk_bytes):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(received)
                    _check_deadline(url, start, settings, received, total)
            bar.finish()
    except Exception as error:  # noqa: BLE001 - every failure becomes one clear message
        raise describe_error(error, url, settings) from error
    if total is not None and received < total:
        raise FetchError(f"Download incomplete: {url} sent {received} of {total} bytes "
                         "before the connection closed. Nothing was installed; try again.")
    return received


def _check_deadline(url: str, start: float, settings: FetchSettings, received: int,
                    total: int | None) -> None:
    if settings.deadline_s is not None and time.monotonic() - start > settings.deadline_s:
        got = f"{received} of {total}" if total else f"{received}"
        raise FetchError(f"Download too slow: {url} sent only {got} bytes in "
                         f"{settings.deadline_s:.0f} s. Nothing was installed; try again "
                         f"later. {OFFLINE_HINT}")


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


def _chain(error: BaseException):
    """The error and its causes/contexts (urllib and Keras wrap the socket error)."""
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
            seen.append(error.reason)
        error = error.__cause__ or error.__context__
    return seen


def describe_error(error: BaseException, url: str, settings: FetchSettings) -> FetchError:
    """One FetchError with a message a person can act on, for any download failure."""
    if isinstance(error, FetchError):
        return error
    host = urllib.parse.urlparse(url).hostname or url
    chain = _chain(error)
    for cause in chain:
        if isinstance(cause, urllib.error.HTTPError):
            return FetchError(f"Download failed: {url} answered HTTP {cause.code} "
                              f"{cause.reason}. Nothing was installed.")
    for cause in chain:
        if isinstance(cause, TimeoutError):
            return FetchError(f"Download stalled: {host} sent nothing for "
                              f"{settings.stall_timeout_s:g} s. Nothing was installed; "
                              f"try again later. {OFFLINE_HINT}")
        if isinstance(cause, (http.client.IncompleteRead, http.client.RemoteDisconnected,
                              ConnectionResetError, ConnectionAbortedError)):
            return FetchError(f"Download incomplete: the connection to {host} broke off "
                              f"({cause!r}). Nothing was installed; try again.")
    for cause in chain:
        # A URLError that is not an HTTP answer is raised while connecting: no server.
        if isinstance(cause, (urllib.error.URLError, socket.gaierror, ConnectionRefusedError)):
            reason = cause.reason if isinstance(cause, urllib.error.URLError) else cause
            return OfflineError(f"No internet connection: could not reach {host} "
                                f"({reason}). {OFFLINE_HINT}")
    return FetchError(f"Download of {url} failed: {error}. Nothing was installed.")


@contextlib.contextmanager
def _socket_timeout(seconds: float):
    """Libraries that call urlopen without a timeout (Keras, tensorflow_hub) use this one."""
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


# -- Keras weights (keras.utils.get_file) -------------------------------------------------

def _fetch_with_keras(model_file: ModelFile, cache: ModelCache, settings: FetchSettings,
                      stream: TextIO) -> Path:
    """Keras downloads into a temporary folder in our cache and checks its md5; we check
    size and md5 again (Keras leaves a mismatching file in place) before moving it in."""
    temp_dir = cache.temp_dir(model_file)
    stream.write(f"{model_file.filename}: downloading with Keras from {model_file.url}\n")
    try:
        import keras

        with _socket_timeout(settings.stall_timeout_s):
            try:
                path = keras.utils.get_file(fname=model_file.filename, origin=model_file.url,
                                            file_hash=model_file.md5, hash_algorithm="md5",
                                            cache_dir=str(temp_dir), cache_subdir=".")
            except ValueError as error:   # Keras's own hash check
                raise FetchError(f"Checksum mismatch for {model_file.filename}: {error} "
                                 "The download was discarded; nothing was installed.") from error
            except Exception as error:  # noqa: BLE001
                raise describe_error(error, model_file.url, settings) from error
        check = verify_download(Path(path), model_file)
        return cache.install_file(Path(path), model_file, check, origin=model_file.url)
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


# -- TF Hub SavedModel -----------------------------------------------------------------------

def _fetch_hub(model_file: ModelFile, cache: ModelCache, settings: FetchSettings,
               stream: TextIO) -> Path:
    """tensorflow_hub resolves the handle into a temporary TFHUB_CACHE_DIR inside our cache;
    the unpacked SavedModel must load and answer a (content, style) call before it moves in.
    The tarball's size and checksum are not published, so this call is the check."""
    temp_dir = cache.temp_dir(model_file)
    stream.write(f"{model_file.filename}: downloading with tensorflow_hub from "
                 f"{model_file.url}\n")
    try:
        with _environment(TFHUB_CACHE_DIR=str(temp_dir), TFHUB_DOWNLOAD_PROGRESS="1"), \
                _socket_timeout(settings.stall_timeout_s):
            import tensorflow_hub as hub

            try:
                resolved = Path(hub.resolve(model_file.url))
            except Exception as error:  # noqa: BLE001
                raise describe_error(error, model_file.url, settings) from error
        from models.magenta import check_hub_saved_model

        try:
            check_hub_saved_model(resolved)
        except Exception as error:  # noqa: BLE001 - any failure to load means a bad model
            raise FetchError(f"The downloaded SavedModel from {model_file.url} does not load "
                             f"or answer its signature ({error}). Nothing was installed."
                             ) from error
        return cache.install_folder(resolved, model_file, origin=model_file.url)
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

