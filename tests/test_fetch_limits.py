"""Download limits and mirrors (issue 9): a trickling server cannot outlast the wall-clock
limit, a body larger than the catalogue's size is refused early, and a mirror address
replaces the official one. Servers run on 127.0.0.1 only; timing bounds are generous."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest

from models import catalogue, cli
from models.cache import ModelCache
from models.catalogue import ModelEntry
from models.fetch import FetchError, FetchSettings, download, fetch_file
from test_model_files import (GOOD, QUICK, QuietServer, Server, closed_port_url, leftovers,
                              plain_file)

TRICKLE_BYTES = 64          # written every TRICKLE_PAUSE_S: GOOD would take about 80 s
TRICKLE_PAUSE_S = 0.05
STREAM_CAP_BYTES = 64 << 20  # the endless route gives up here so a broken client still ends


class Misbehaving:
    """A server whose routes trickle, stream without end, or send their headers slowly.
    `paths` records every path asked for; `stop` ends every slow route at teardown."""

    def __init__(self):
        self.paths: list[str] = []
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                server.paths.append(self.path)
                route = getattr(server, "route_" + self.path.strip("/").replace("-", "_"))
                route(self)

            def log_message(self, *args):
                pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def route_trickle(self, handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(GOOD)))
        handler.end_headers()
        for start in range(0, len(GOOD), TRICKLE_BYTES):
            if self.stop.wait(TRICKLE_PAUSE_S):
                return
            handler.wfile.write(GOOD[start:start + TRICKLE_BYTES])
            handler.wfile.flush()

    def route_slow_headers(self, handler):
        handler.send_response(200)
        handler.flush_headers()
        handler.wfile.write(b"X-Slow: ")
        for _ in range(200):                          # one byte of a header per pause: 10 s
            if self.stop.wait(TRICKLE_PAUSE_S):
                return
            handler.wfile.write(b"x")
            handler.wfile.flush()
        handler.wfile.write(b"\r\n\r\n")

    def route_endless(self, handler):
        """No Content-Length: the body ends when the connection closes (HTTP/1.0 style)."""
        handler.send_response(200)
        handler.end_headers()
        block, sent = b"\0" * (1 << 16), 0
        while sent < STREAM_CAP_BYTES and not self.stop.is_set():
            handler.wfile.write(block)
            sent += len(block)

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def misbehaving():
    running = Misbehaving()
    yield running
    running.close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


@pytest.fixture
def cache(tmp_path) -> ModelCache:
    return ModelCache(tmp_path / "cache")


# -- the wall-clock limit ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/trickle", "/slow-headers"])
def test_a_trickle_cannot_outlast_the_download_limit(misbehaving, cache, path):
    settings = FetchSettings(stall_timeout_s=30.0, deadline_s=2.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow"):
        fetch_file(plain_file(misbehaving.url(path)), cache, settings, io.StringIO())
    # The trickle needs 10 s (headers) or 80 s (body) and would then succeed; a stall would
    # be noticed after 30 s. The bound is generous: a loaded machine is slow, not wrong.
    assert time.monotonic() - started < 25.0
    assert leftovers(cache) == []


# -- sizes ------------------------------------------------------------------------------------

def test_a_huge_content_length_is_refused_before_the_body_is_read(server, cache, tmp_path):
    # 10 GB announced; the server sends half its body, then holds the connection open.
    url = server.add("/huge.bin", GOOD, length=10_000_000_000, middle=30.0)
    destination = tmp_path / "download.part"
    started = time.monotonic()
    with pytest.raises(FetchError, match="10000000000 bytes") as caught:
        download(url, destination, QUICK, io.StringIO(), "huge.bin", expected_size=len(GOOD))
    assert "expected" in str(caught.value) and "\n" not in str(caught.value)
    assert not destination.exists() or destination.stat().st_size == 0
    assert time.monotonic() - started < 25.0        # the body's second half waits 30 s
    with pytest.raises(FetchError, match="10000000000 bytes"):
        fetch_file(plain_file(url), cache, QUICK, io.StringIO())
    assert leftovers(cache) == []


def test_reading_stops_once_the_body_outgrows_the_expected_size(misbehaving, cache, tmp_path):
    destination = tmp_path / "download.part"
    with pytest.raises(FetchError, match="more than"):
        download(misbehaving.url("/endless"), destination, QUICK, io.StringIO(), "endless",
                 expected_size=len(GOOD))
    # Expected size plus the margin plus one read at most: nowhere near the 64 MB stream.
    assert destination.stat().st_size < len(GOOD) + QUICK.size_margin_bytes + QUICK.chunk_bytes
    with pytest.raises(FetchError, match="more than"):
        fetch_file(plain_file(misbehaving.url("/endless")), cache, QUICK, io.StringIO())
    assert leftovers(cache) == []


# -- mirrors ----------------------------------------------------------------------------------

def test_the_mirror_variable_sends_the_request_to_the_mirror(server, cache, monkeypatch):
    model_file = plain_file(closed_port_url())        # the official address is unreachable
    mirror_path = f"/mirror/models/{model_file.filename}"
    server.add(mirror_path, GOOD)
    monkeypatch.setenv("STYLE_DUEL_MODELS_MIRROR", server.url("/mirror/models/"))
    path = fetch_file(model_file, cache, QUICK, io.StringIO())
    assert path.read_bytes() == GOOD and cache.check(model_file).verified
    assert cache.read_manifest()[model_file.name]["origin"] == server.url(mirror_path)


def test_keras_weights_also_come_from_the_mirror_with_their_md5_checked(misbehaving, server,
                                                                        cache, monkeypatch):
    body = b"keras weights" * 1000
    model_file = dataclasses.replace(
        plain_file(closed_port_url(), body, name="keras-test"), sha256=None,
        md5=hashlib.md5(body).hexdigest(), source=catalogue.SOURCE_KERAS)
    server.add(f"/m/{model_file.filename}", body)
    monkeypatch.setenv("STYLE_DUEL_MODELS_MIRROR", server.url("/m"))
    assert fetch_file(model_file, cache, QUICK, io.StringIO()).read_bytes() == body
    # And the Keras file obeys the same limits as any other download.
    monkeypatch.setenv("STYLE_DUEL_MODELS_MIRROR", misbehaving.url("/"))
    trickled = dataclasses.replace(model_file, filename="trickle", size=len(GOOD))
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow"):
        fetch_file(trickled, cache, FetchSettings(stall_timeout_s=30.0, deadline_s=2.0),
                   io.StringIO())
    assert time.monotonic() - started < 25.0 and misbehaving.paths == ["/trickle"]


def test_models_fetch_mirror_option(misbehaving, server, tmp_path, monkeypatch, capsys):
    model_file = plain_file(closed_port_url())
    monkeypatch.setattr(catalogue, "CATALOGUE", (
        *catalogue.CATALOGUE, ModelEntry("mirror-test", (model_file,), "a test entry", "test")))
    monkeypatch.setenv("STYLE_DUEL_MODELS_MIRROR", misbehaving.url("/wrong"))  # option wins
    server.add(f"/lan/{model_file.filename}", GOOD)
    models_dir = tmp_path / "models"
    assert cli.main(["--models-dir", str(models_dir), "fetch", "--mirror",
                     server.url("/lan"), "mirror-test"]) == 0
    assert (models_dir / model_file.filename).read_bytes() == GOOD
    assert misbehaving.paths == []
    assert cli.main(["fetch", "--mirror", "ftp://example.invalid/", "mirror-test"]) == 1
    assert "http" in capsys.readouterr().err
