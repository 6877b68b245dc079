"""Model catalogue, cache, fetch, import and export. Never touches the internet: downloads
come from a local http.server on 127.0.0.1 (ephemeral port) that can misbehave on cue."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import h5py
import numpy as np
import pytest

from models import catalogue, cli
from models.cache import PARTIAL_PREFIX, ModelCache, default_models_dir
from models.catalogue import ModelEntry, ModelFile
from models.export import export_installed, export_vgg_blocks
from models.fetch import FetchError, FetchSettings, OfflineError, fetch_file
from models.importer import import_folder
from models.vgg_h5 import check_vgg19, convs_in_blocks

ROOT = Path(__file__).resolve().parent.parent
SHARED_ENV = "STYLE_DUEL_SHARED_MODELS"
GOOD = bytes(range(256)) * 400                       # 102400 bytes
# The slow routes wait 10 s or more; 3 s of silence is still a stall on a loaded machine.
QUICK = FetchSettings(stall_timeout_s=3.0)


# -- a local server ---------------------------------------------------------------------------

class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client hung up on a slow route on purpose: no traceback on stderr


class Server:
    """Routes: path -> (status, body, declared length or None, pause before answering,
    pause after the first half of the body). Pauses wait on an event so shutdown is quick."""

    def __init__(self):
        self.routes: dict[str, tuple] = {}
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                status, body, length, before, middle = server.routes.get(
                    self.path.split("?")[0], (404, b"not here", None, 0, 0))
                server.stop.wait(before)
                self.send_response(status)
                self.send_header("Content-Length", str(length or len(body)))
                self.end_headers()
                half = len(body) // 2 if middle else len(body)
                self.wfile.write(body[:half])
                self.wfile.flush()
                server.stop.wait(middle)
                self.wfile.write(body[half:])

            def log_message(self, *args):
                pass

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def add(self, path, body, status=200, length=None, before=0.0, middle=0.0) -> str:
        self.routes[path] = (status, body, length, before, middle)
        return self.url(path)

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


def plain_file(url: str, body: bytes = GOOD, name: str = "test-file") -> ModelFile:
    return ModelFile(name=name, filename=f"{name}.bin", url=url, size=len(body),
                     sha256=hashlib.sha256(body).hexdigest(), role="transfer")


def leftovers(cache: ModelCache) -> list[str]:
    """Everything in the cache folder except the manifest."""
    if not cache.root.exists():
        return []
    return sorted(p.name for p in cache.root.iterdir() if p.name != "manifest.json")


@pytest.fixture
def cache(tmp_path) -> ModelCache:
    return ModelCache(tmp_path / "cache")


# -- fetch ------------------------------------------------------------------------------------

def test_good_download_lands_checked_with_progress(server, cache):
    model_file = plain_file(server.add("/good.bin", GOOD))
    progress = io.StringIO()                          # not a tty: one line per 10 %
    path = fetch_file(model_file, cache, QUICK, progress)
    assert path == cache.root / "test-file.bin" and path.read_bytes() == GOOD
    assert leftovers(cache) == ["test-file.bin"]
    assert "100%" in progress.getvalue() and "\r" not in progress.getvalue()
    assert cache.check(model_file).verified
    assert cache.read_manifest()["test-file"]["sha256"] == model_file.sha256
    again = io.StringIO()
    fetch_file(model_file, cache, QUICK, again)
    assert "already installed" in again.getvalue()


@pytest.mark.parametrize("route, expected", [
    (dict(body=GOOD[::-1]), "Checksum mismatch"),
    (dict(body=GOOD, length=len(GOOD) + 5000), "incomplete"),
    (dict(body=b"gone", status=404), "HTTP 404"),
    (dict(body=GOOD, before=10.0), "stalled"),
    (dict(body=GOOD, middle=10.0), "stalled"),
])
def test_bad_downloads_leave_nothing_in_the_cache(server, cache, route, expected):
    url = server.add("/file.bin", **route)
    with pytest.raises(FetchError, match=expected) as caught:
        fetch_file(plain_file(url), cache, QUICK, io.StringIO())
    assert "Nothing was installed" in str(caught.value) or "discarded" in str(caught.value)
    assert leftovers(cache) == []
    assert not cache.check(plain_file(url)).present


def test_a_trickle_that_never_stalls_still_ends_at_the_deadline(server, cache):
    url = server.add("/trickle.bin", GOOD, middle=10.0)
    settings = FetchSettings(stall_timeout_s=30.0, deadline_s=0.0, chunk_bytes=1024)
    with pytest.raises(FetchError, match="too slow"):
        fetch_file(plain_file(url), cache, settings, io.StringIO())
    assert leftovers(cache) == []


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/model.tflite"   # nothing listens there now


def test_offline_says_so_and_points_to_import(cache):
    with pytest.raises(OfflineError) as caught:
        fetch_file(plain_file(closed_port_url()), cache, QUICK, io.StringIO())
    message = str(caught.value)
    assert message.startswith("No internet connection:")
    assert "python main.py models import DIR" in message
    assert leftovers(cache) == []


def test_keras_download_checks_the_md5_and_leaves_no_bad_file(server, cache):
    body = b"keras weights" * 1000
    good = ModelFile(name="keras-test", filename="weights_notop.h5",
                     url=server.add("/weights.h5", body), size=len(body), sha256=None,
                     role="vgg_weights", md5=hashlib.md5(body).hexdigest(),
                     source=catalogue.SOURCE_KERAS)
    path = fetch_file(good, cache, QUICK, io.StringIO())
    assert path.read_bytes() == body and cache.check(good).verified
    shutil.rmtree(cache.root)
    bad = dataclasses.replace(good, md5="0" * 32)
    with pytest.raises(FetchError, match="Checksum mismatch"):
        fetch_file(bad, cache, QUICK, io.StringIO())
    assert leftovers(cache) == []
    missing = dataclasses.replace(good, url=server.url("/nothing.h5"))
    with pytest.raises(FetchError, match="404"):
        fetch_file(missing, cache, QUICK, io.StringIO())
    assert leftovers(cache) == []


@pytest.fixture(scope="module")
def toy_hub_tarball(tmp_path_factory) -> bytes:
    from magenta_toys import build_toys

    toys = build_toys(tmp_path_factory.mktemp("toys"))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted((toys / "hub").rglob("*")):
            tar.add(path, arcname=str(path.relative_to(toys / "hub")), recursive=False)
    return buffer.getvalue()


def test_hub_model_is_fetched_with_tensorflow_hub_and_verified_by_its_signature(
        server, cache, toy_hub_tarball):
    model_file = dataclasses.replace(catalogue.MAGENTA_HUB_SAVED_MODEL,
                                     url=server.add("/magenta.tar.gz", toy_hub_tarball))
    path = fetch_file(model_file, cache, QUICK, io.StringIO())
    assert (path / "saved_model.pb").is_file()
    assert leftovers(cache) == [catalogue.MAGENTA_HUB_SAVED_MODEL.filename]
    found = cache.check(model_file)
    assert found.verified, found.detail
    (path / "variables" / "variables.index").write_bytes(b"tampered")
    assert not cache.check(model_file).verified


def test_import_recognises_a_hub_saved_model_folder_by_its_signature(tmp_path, cache,
                                                                      toy_hub_tarball):
    stick = tmp_path / "stick"
    folder = stick / "whatever-name"
    folder.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(toy_hub_tarball)) as tar:
        tar.extractall(folder, filter="data")
    (stick / "not-a-model").mkdir()
    report = import_folder(stick, cache)
    assert [i.model_file.name for i in report.imported] == ["magenta-hub-saved-model"]
    assert [i.path.name for i in report.ignored] == ["not-a-model"]
    assert cache.find("magenta-hub-saved-model") == cache.root / (
        catalogue.MAGENTA_HUB_SAVED_MODEL.filename)


def test_hub_fetch_offline_and_a_broken_tarball_install_nothing(server, cache):
    offline = dataclasses.replace(catalogue.MAGENTA_HUB_SAVED_MODEL,
                                  url=closed_port_url().replace(".tflite", ".tar.gz"))
    with pytest.raises(OfflineError, match="models import"):
        fetch_file(offline, cache, QUICK, io.StringIO())
    junk = io.BytesIO()
    with tarfile.open(fileobj=junk, mode="w:gz") as tar:
        info = tarfile.TarInfo("saved_model.pb")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"junk"))
    broken = dataclasses.replace(offline, url=server.add("/broken.tar.gz", junk.getvalue()))
    with pytest.raises(FetchError, match="does not load"):
        fetch_file(broken, cache, QUICK, io.StringIO())
    assert leftovers(cache) == []


# -- VGG-19 weight files ----------------------------------------------------------------------

def write_vgg(path: Path, blocks: int, with_pools: bool = True, out_channels: int | None = None,
              seed: int = 0) -> Path:
    """A Keras-layout VGG-19 file with the real shapes of blocks 1..N and small random
    values (blocks 1-2 are about 1 MB). `out_channels` breaks block1_conv1's shape."""
    rng = np.random.default_rng(seed)
    names = []
    with h5py.File(path, "w") as h5:
        h5.attrs["backend"] = "tensorflow"
        h5.attrs["keras_version"] = "2.1.0"
        for index, (name, channels_in, channels_out) in enumerate(convs_in_blocks(blocks)):
            if index == 0 and out_channels is not None:
                channels_out = out_channels
            group = h5.create_group(name)
            group.attrs["weight_names"] = np.array([f"{name}/kernel:0".encode(),
                                                    f"{name}/bias:0".encode()])
            inner = group.create_group(name)
            inner["kernel:0"] = rng.normal(0, 0.01, (3, 3, channels_in, channels_out)).astype(
                np.float32)
            inner["bias:0"] = rng.normal(0, 0.01, (channels_out,)).astype(np.float32)
            names.append(name)
            if with_pools and name.endswith("conv2") and name[5] in "12":
                pool = name.replace("conv2", "pool")
                h5.create_group(pool).attrs["weight_names"] = np.array([], dtype="S1")
                names.append(pool)
        h5.attrs["layer_names"] = np.array([n.encode() for n in names])  # "|S12", like Keras
    return path


def test_vgg_layout_check_counts_blocks_and_rejects_wrong_shapes(tmp_path):
    assert check_vgg19(write_vgg(tmp_path / "a.h5", 1)).blocks == 1
    assert check_vgg19(write_vgg(tmp_path / "b.h5", 2, with_pools=False)).blocks == 2
    wrong = check_vgg19(write_vgg(tmp_path / "c.h5", 1, out_channels=32))
    assert wrong.blocks is None and "(3, 3, 3, 64)" in wrong.reason
    with h5py.File(tmp_path / "d.h5", "w") as h5:
        h5["data"] = np.zeros(3)
    assert "layer_names" in check_vgg19(tmp_path / "d.h5").reason
    (tmp_path / "e.h5").write_text("not hdf5")
    assert check_vgg19(tmp_path / "e.h5").reason == "not an HDF5 file"


def test_export_cuts_vgg_to_n_blocks_in_the_same_layout(tmp_path, cache):
    source = write_vgg(tmp_path / "two-blocks.h5", 2)
    import_folder(tmp_path, cache)
    target = export_vgg_blocks(1, tmp_path / "stick", cache)
    assert target.name == "vgg19_blocks1-1_notop.h5"
    assert check_vgg19(target).blocks == 1
    with h5py.File(source, "r") as src, h5py.File(target, "r") as dst:
        assert [n.decode() for n in dst.attrs["layer_names"]] == ["block1_conv1", "block1_conv2"]
        assert dst.attrs["keras_version"] == "2.1.0"
        for name in ("block1_conv1", "block1_conv2"):
            assert [w.decode() for w in dst[name].attrs["weight_names"]] == [
                f"{name}/kernel:0", f"{name}/bias:0"]
            for weight in ("kernel:0", "bias:0"):
                assert np.array_equal(dst[f"{name}/{name}/{weight}"][()],
                                      src[f"{name}/{name}/{weight}"][()])
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    with pytest.raises(FileNotFoundError, match="models fetch vgg19"):
        export_vgg_blocks(3, tmp_path / "stick", cache)


# -- import -----------------------------------------------------------------------------------

@pytest.fixture
def fake_catalogue_file(monkeypatch) -> tuple[ModelFile, bytes]:
    """A catalogue entry whose sha256 is that of bytes the test can write."""
    body = b"pretend tflite" * 500
    model_file = ModelFile(name="fake-transfer", filename="fake_transfer.tflite", url=None,
                           size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                           role="transfer")
    extra = ModelEntry("fake", (model_file,), "a test entry", "test")
    monkeypatch.setattr(catalogue, "CATALOGUE", (*catalogue.CATALOGUE, extra))
    return model_file, body


def test_import_recognises_files_by_content_and_lists_the_rest(tmp_path, cache,
                                                               fake_catalogue_file):
    model_file, body = fake_catalogue_file
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "renamed-by-someone.bin").write_bytes(body)
    write_vgg(stick / "weights.dat", 1)
    write_vgg(stick / "almost-vgg.h5", 1, out_channels=32)
    (stick / "notes.txt").write_text("hello")
    (stick / "photos").mkdir()
    report = import_folder(stick, cache)
    assert sorted(i.model_file.name for i in report.imported) == ["fake-transfer",
                                                                  "vgg19-blocks1-1"]
    reasons = {i.path.name: i.reason for i in report.ignored}
    assert set(reasons) == {"almost-vgg.h5", "notes.txt", "photos"}
    assert "not VGG-19" in reasons["almost-vgg.h5"] and "unknown" in reasons["notes.txt"]
    assert (cache.root / "fake_transfer.tflite").read_bytes() == body
    assert cache.find("fake-transfer") == cache.root / "fake_transfer.tflite"
    assert cache.find("vgg19-blocks1-1") == cache.root / "vgg19_blocks1-1_notop.h5"
    assert [f.model_file.name for f in cache.extra_files() if f.verified] == ["vgg19-blocks1-1"]
    assert not any(name.startswith(PARTIAL_PREFIX) for name in leftovers(cache))
    again = import_folder(stick, cache)
    assert all(item.already for item in again.imported)


def test_tampered_file_is_not_verified(tmp_path, cache, fake_catalogue_file):
    model_file, body = fake_catalogue_file
    (tmp_path / "f.bin").write_bytes(body)
    import_folder(tmp_path, cache)
    installed = cache.root / model_file.filename
    installed.write_bytes(body[::-1])                 # same size, other bytes
    found = cache.check(model_file)
    assert found.present and not found.verified and cache.find(model_file.name) is None


def snapshot(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in folder.rglob("*"))


def test_read_only_cache_works_for_status_and_is_never_written(tmp_path, fake_catalogue_file,
                                                               monkeypatch, capsys):
    model_file, body = fake_catalogue_file
    kiosk = tmp_path / "kiosk-models"
    kiosk.mkdir()
    (kiosk / model_file.filename).write_bytes(body)   # copied by hand: no manifest at all
    write_vgg(tmp_path / "vgg.h5", 1)
    before = snapshot(kiosk)
    for path in [kiosk, *kiosk.iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    monkeypatch.setenv("STYLE_DUEL_MODELS", str(kiosk))
    try:
        cache = ModelCache()
        assert cache.root == kiosk
        assert cache.check(model_file).verified       # hashed, not taken from a manifest
        statuses = {s.entry.name: s for s in cache.status()}
        assert statuses["fake"].verified and not statuses["magenta-hub"].installed
        assert cli.main(["status"]) == 0
        assert "fake" in capsys.readouterr().out
        assert snapshot(kiosk) == before
    finally:
        for path in [kiosk, *kiosk.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def test_cache_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("STYLE_DUEL_MODELS", raising=False)
    monkeypatch.setenv("STYLE_DUEL_HOME", str(tmp_path / "home"))
    assert default_models_dir() == tmp_path / "home" / "models"
    monkeypatch.setenv("STYLE_DUEL_MODELS", str(tmp_path / "elsewhere"))
    assert default_models_dir() == tmp_path / "elsewhere"


def test_export_then_import_carries_the_models_to_another_machine(tmp_path, cache,
                                                                  fake_catalogue_file):
    model_file, body = fake_catalogue_file
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.bin").write_bytes(body)
    write_vgg(tmp_path / "in" / "vgg.h5", 1)
    import_folder(tmp_path / "in", cache)
    written = export_installed(tmp_path / "stick", cache, io.StringIO())
    assert sorted(p.name for p in written) == ["fake_transfer.tflite",
                                               "vgg19_blocks1-1_notop.h5"]
    other = ModelCache(tmp_path / "other-machine")
    report = import_folder(tmp_path / "stick", other)
    assert len(report.imported) == 2 and report.ignored == ()
    assert other.find("fake-transfer") and other.find("vgg19-blocks1-1")


# -- command line and the real files ----------------------------------------------------------

def test_cli_reports_usage_errors_and_missing_folders(tmp_path, capsys):
    assert cli.main(["fetch", "no-such-model"]) == 1
    assert "unknown model" in capsys.readouterr().err
    assert cli.main(["import", str(tmp_path / "nowhere")]) == 1
    assert cli.main(["frobnicate"]) == 2
    status = subprocess.run([sys.executable, "-m", "models", "status"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and "magenta-tflite-int8    not installed" in status.stdout


def test_model_commands_do_not_import_tensorflow():
    code = ("import sys, models.cache, models.catalogue, models.cli, models.fetch, "
            "models.importer, models.export, models.magenta; "
            "sys.exit(int(any(m.split('.')[0] in ('tensorflow', 'keras', 'ai_edge_litert') "
            "for m in sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_import_from_the_shared_models_folder(tmp_path, monkeypatch):
    shared = os.environ.get(SHARED_ENV)
    if not shared or not Path(shared).is_dir():
        pytest.skip(f"real model files not available (set {SHARED_ENV}; .ci/run does)")
    monkeypatch.setenv("STYLE_DUEL_MODELS", str(tmp_path / "models"))
    result = subprocess.run([sys.executable, "-m", "models", "import", shared], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "STYLE_DUEL_MODELS": str(tmp_path / "models")})
    assert result.returncode == 0, result.stderr
    assert "style_transfer_quantized_dynamic.tflite" in result.stdout   # listed as ignored
    statuses = {s.entry.name: s for s in ModelCache().status()}
    for name in ("magenta-tflite-int8", "magenta-tflite-fp16", "vgg19-blocks1-3"):
        assert statuses[name].verified, name
    assert not statuses["vgg19"].installed
    cut = export_vgg_blocks(2, tmp_path / "stick")
    assert check_vgg19(cut).blocks == 2
