"""One HTTP(S) download into a file, within limits, or a FetchError that says what happened.

Limits, each against a misbehaving or hostile server:
- the stall timeout: a server silent this long (connecting, or on any read) is given up;
- the deadline, for the whole download: a watchdog timer shuts the connection's socket when
  it passes, so a server that trickles a byte at a time - which never trips the stall
  timeout - still ends on time, in the headers as in the body; reads are `read1` calls
  (one system call each), so the loop sees the deadline between small reads;
- the size: a Content-Length beyond the expected size (plus a margin) is refused before the
  body is read, and reading stops as soon as more than that has arrived.
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from models.progress import ProgressBar

OFFLINE_HINT = ("To install offline, copy the files and run "
                "`python main.py models import DIR`.")


@dataclass(frozen=True)
class FetchSettings:
    # A server silent this long is taken as stalled (applies to connect and to each read).
    stall_timeout_s: float = 30.0
    # The whole file must arrive within this; a trickle that never stalls still ends.
    deadline_s: float | None = 1800.0
    # The most one read returns: progress stays smooth without a Python call per packet.
    chunk_bytes: int = 1 << 16
    # Bytes beyond the catalogue's size tolerated before a download is cut off; the exact
    # size is checked afterwards, this only stops a server from filling the disk.
    size_margin_bytes: int = 1 << 16
    # Re-download even when a verified copy is installed.
    force: bool = False
    # Base address to download from instead of the official one (models/fetch.py).
    mirror: str | None = None


class FetchError(Exception):
    """A download that did not install anything; the message is for the player or admin."""


class OfflineError(FetchError):
    """The server could not be reached at all (no DNS, no route, connection refused)."""


class _Watchdog:
    """Shuts every socket of one download once its deadline passes (from a timer thread)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = None if seconds is None else threading.Timer(seconds, self._expire)

    def __enter__(self) -> _Watchdog:
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired.is_set():
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    """Wake any read blocked on `sock` with end-of-file. The plain socket method, also on an
    SSLSocket: the TLS state stays with the reading thread, which then sees the EOF."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: the download ended as the deadline passed


class _WatchedConnection:
    """Mixin for http.client connections: the socket goes to the watchdog once connected."""

    watchdog: _Watchdog

    def connect(self):
        super().connect()
        self.watchdog.watch(self.sock)


class _WatchedHTTP(_WatchedConnection, http.client.HTTPConnection):
    pass


class _WatchedHTTPS(_WatchedConnection, http.client.HTTPSConnection):
    pass


def _watched(kind: type, watchdog: _Watchdog):
    """A connection factory for urllib's do_open: connections of `kind` tied to `watchdog`."""
    def make(host, **kwargs):
        made = kind(host, **kwargs)
        made.watchdog = watchdog
        return made
    return make


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req):
        return self.do_open(_watched(_WatchedHTTP, self.watchdog), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req):
        return self.do_open(_watched(_WatchedHTTPS, self.watchdog), req, context=self._context)


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    """urllib's usual opener (proxies from the environment, redirects), watched sockets."""
    return urllib.request.build_opener(_WatchedHTTPHandler(watchdog),
                                       _WatchedHTTPSHandler(watchdog))


def download(url: str, destination: Path, settings: FetchSettings, stream: TextIO,
             label: str, expected_size: int | None = None) -> int:
    """Write the body at `url` to `destination`; returns its size. Raises FetchError."""
    limit = None if expected_size is None else expected_size + settings.size_margin_bytes
    request = urllib.request.Request(url, headers={"User-Agent": "style-duel-models"})
    received, total = 0, None
    timeout = min(settings.stall_timeout_s, settings.deadline_s or settings.stall_timeout_s)
    try:
        with _Watchdog(settings.deadline_s) as watchdog:
            if settings.deadline_s is not None and settings.deadline_s <= 0:
                raise _too_slow(url, settings, received, total)
            with _opener(watchdog).open(request, timeout=max(timeout, 0.001)) as response:
                total = response.length  # Content-Length, None when absent
                if limit is not None and total is not None and total > limit:
                    raise FetchError(f"Download refused: {url} announces {total} bytes, "
                                     f"expected {expected_size} for {label}. Nothing was "
                                     "installed; check the address or the mirror.")
                bar = ProgressBar(label, total, stream)
                with open(destination, "wb") as out:
                    while not watchdog.expired.is_set():
                        wanted = settings.chunk_bytes if limit is None else min(
                            settings.chunk_bytes, limit - received + 1)
                        chunk = response.read1(wanted)
                        if not chunk:
                            break
                        received += len(chunk)
                        if limit is not None and received > limit:
                            raise FetchError(
                                f"Download refused: {url} sent more than the {expected_size} "
                                f"bytes of {label}. Nothing was installed; check the "
                                "address or the mirror.")
                        out.write(chunk)
                        bar.update(received)
                if watchdog.expired.is_set():
                    raise _too_slow(url, settings, received, total)
                bar.finish()
    except FetchError:
        raise
    except Exception as error:  # noqa: BLE001 - every failure becomes one clear message
        if watchdog.expired.is_set():   # the watchdog's shutdown surfaced as a broken read
            raise _too_slow(url, settings, received, total) from error
        raise describe_error(error, url, settings) from error
    if total is not None and received < total:
        raise FetchError(f"Download incomplete: {url} sent {received} of {total} bytes "
                         "before the connection closed. Nothing was installed; try again.")
    return received


def _too_slow(url: str, settings: FetchSettings, received: int,
              total: int | None) -> FetchError:
    got = f"{received} of {total}" if total else f"{received}"
    return FetchError(f"Download too slow: {url} sent only {got} bytes in "
                      f"{settings.deadline_s:g} s. Nothing was installed; try again "
                      f"later. {OFFLINE_HINT}")


def _chain(error: BaseException):
    """The error and its causes/contexts (urllib wraps the socket error)."""
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
