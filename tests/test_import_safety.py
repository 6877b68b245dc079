"""`models import` safety (issue 9): broken VGG-19 weights are refused and never called
verified, a checksum-verified file is never replaced by a layout-only one, Gatys refuses a
NaN loss, and symbolic links out of the imported folder are not followed."""

from __future__ import annotations

import hashlib
import io
import json
import shutil

import h5py
import numpy as np
import pytest

from models import catalogue, cli, importer
from models.cache import CHECK_LAYOUT, CHECK_SHA256, ModelCache, file_digests
from models.catalogue import ModelEntry, ModelFile
from models.export import export_installed
from models.importer import import_folder
from test_model_files import leftovers, write_vgg

BLOCK1_CUT = "vgg19-blocks1-1"


def break_weights(path, kind: str):
    """Spoil one layer (or, for "garbage", every layer) of a written VGG-19 file in place."""
    with h5py.File(path, "r+") as h5:
        kernel = h5["block1_conv2/block1_conv2/kernel:0"]
        bias = h5["block1_conv2/block1_conv2/bias:0"]
        if kind == "nan":
            values = kernel[()]
            values[0, 0, 0, 0] = np.nan
            kernel[...] = values
        elif kind == "inf":
            bias[0] = np.inf
        elif kind == "huge":
            kernel[...] = np.full(kernel.shape, 3e30, np.float32)
        elif kind == "zeros":
            kernel[...] = 0.0
        elif kind == "constant":
            kernel[...] = 0.25
        elif kind == "garbage":                   # random bytes read as float32
            rng = np.random.default_rng(7)
            for name in ("block1_conv1", "block1_conv2"):
                for weight in ("kernel:0", "bias:0"):
                    data = h5[f"{name}/{name}/{weight}"]
                    raw = rng.integers(0, 256, data.size * 4, dtype=np.uint8)
                    data[...] = raw.view(np.float32).reshape(data.shape)
    return path


@pytest.fixture
def cache(tmp_path) -> ModelCache:
    return ModelCache(tmp_path / "cache")


@pytest.fixture
def verified_cut(tmp_path, monkeypatch, cache) -> tuple[ModelFile, bytes]:
    """A catalogue VGG-19 cut (blocks 1-1) with a sha256, installed and verified by it."""
    reference = write_vgg(tmp_path / "reference.h5", 1)
    body = reference.read_bytes()
    model_file = ModelFile(name=BLOCK1_CUT, filename="vgg19_blocks1-1_notop.h5", url=None,
                           size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                           role=catalogue.ROLE_VGG_WEIGHTS, source=catalogue.SOURCE_DERIVED,
                           derived_from=catalogue.VGG19_FULL.name, vgg_blocks=1)
    monkeypatch.setattr(catalogue, "CATALOGUE", (
        *catalogue.CATALOGUE, ModelEntry(BLOCK1_CUT, (model_file,), "a test cut", "test")))
    first = tmp_path / "first"
    first.mkdir()
    shutil.copyfile(reference, first / "reference.h5")
    report = import_folder(first, cache)
    assert [i.check for i in report.imported] == [CHECK_SHA256]
    return model_file, body


BROKEN = ["nan", "inf", "huge", "zeros", "constant", "garbage"]


# -- broken weights ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", BROKEN)
def test_import_refuses_broken_weights_with_one_line_naming_the_file(tmp_path, cache, kind,
                                                                     capsys):
    stick = tmp_path / "stick"
    stick.mkdir()
    break_weights(write_vgg(stick / "broken.h5", 1), kind)
    report = import_folder(stick, cache)
    assert report.imported == ()
    [ignored] = report.ignored
    assert ignored.path.name == "broken.h5" and "weights" in ignored.reason
    assert cache.find(BLOCK1_CUT) is None and leftovers(cache) == []
    assert cli.main(["--models-dir", str(cache.root), "import", str(stick)]) == 1
    [line] = [line for line in capsys.readouterr().out.splitlines() if "broken.h5" in line]
    assert line.startswith("ignored  broken.h5: ") and "weights" in line


@pytest.mark.parametrize("kind", ["nan", "garbage"])
def test_broken_weights_never_replace_a_verified_file(tmp_path, cache, verified_cut, kind):
    model_file, body = verified_cut
    stick = tmp_path / "stick"
    stick.mkdir()
    break_weights(write_vgg(stick / "same-layout.h5", 1, seed=3), kind)
    report = import_folder(stick, cache)
    assert report.imported == () and len(report.ignored) == 1
    assert (cache.root / model_file.filename).read_bytes() == body
    found = cache.check(model_file)
    assert found.verified and "sha256" in found.detail


def test_a_layout_only_file_never_replaces_a_checksum_verified_one(tmp_path, cache,
                                                                   verified_cut, capsys):
    model_file, body = verified_cut
    stick = tmp_path / "stick"
    stick.mkdir()
    write_vgg(stick / "other-cut.h5", 1, seed=5)      # sane weights, but not the reference
    report = import_folder(stick, cache)
    assert report.imported == ()
    [ignored] = report.ignored
    assert "verified" in ignored.reason and "\n" not in ignored.reason
    assert (cache.root / model_file.filename).read_bytes() == body
    assert cache.read_manifest()[BLOCK1_CUT]["check"] == CHECK_SHA256
    assert cli.main(["--models-dir", str(cache.root), "import", str(stick)]) == 1
    assert "ignored  other-cut.h5: " in capsys.readouterr().out


def test_a_layout_checked_cut_can_still_be_replaced_by_another_sane_one(tmp_path, cache):
    for seed in (1, 2):
        stick = tmp_path / f"stick{seed}"
        stick.mkdir()
        write_vgg(stick / "cut.h5", 1, seed=seed)
        [imported] = import_folder(stick, cache).imported
        assert imported.check == CHECK_LAYOUT and not imported.already
        assert file_digests(imported.installed) == file_digests(stick / "cut.h5")


def test_status_never_calls_broken_weights_verified(tmp_path, cache, capsys):
    """A broken file installed before these checks existed (the manifest vouches for its
    layout) is not verified, not found for the engines, and not exported."""
    cache.root.mkdir(parents=True)
    installed = break_weights(write_vgg(cache.root / "vgg19_blocks1-1_notop.h5", 1), "nan")
    stat = installed.stat()
    record = {"filename": installed.name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
              **file_digests(installed), "check": CHECK_LAYOUT, "origin": "imported old"}
    cache.manifest_path.write_text(json.dumps({"version": 1, "files": {BLOCK1_CUT: record}}))
    found = cache.check(catalogue.vgg19_file(1))
    assert found.present and not found.verified and "weights" in found.detail
    assert cache.find(BLOCK1_CUT) is None
    assert cli.main(["--models-dir", str(cache.root), "status"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if BLOCK1_CUT in line]
    assert "NOT verified" in line
    assert export_installed(tmp_path / "out", cache, io.StringIO()) == []


def test_gatys_refuses_a_nan_loss_instead_of_reporting_converged(tmp_path):
    pytest.importorskip("tensorflow")
    from models.gatys import run_gatys
    from test_gatys import pictures, tiny_settings

    weights = break_weights(write_vgg(tmp_path / "nan.h5", 2), "nan")
    photo, paint = pictures()
    with pytest.raises(ValueError) as caught:
        run_gatys(photo, [paint], tiny_settings(), weights)
    message = str(caught.value)
    assert "NaN" in message and "VGG-19 weights" in message and "\n" not in message


# -- symbolic links ---------------------------------------------------------------------------

@pytest.fixture
def fake_tflite(monkeypatch) -> tuple[ModelFile, bytes]:
    body = b"pretend tflite" * 500
    model_file = ModelFile(name="fake-transfer", filename="fake_transfer.tflite", url=None,
                           size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                           role="transfer")
    monkeypatch.setattr(catalogue, "CATALOGUE", (
        *catalogue.CATALOGUE, ModelEntry("fake", (model_file,), "a test entry", "test")))
    return model_file, body


def test_links_out_of_the_folder_are_listed_and_never_read(tmp_path, cache, fake_tflite,
                                                           monkeypatch):
    model_file, body = fake_tflite
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tflite").write_bytes(body)      # would be recognised if it were read
    (outside / "folder").mkdir()
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "secret-link").symlink_to(outside / "secret.tflite")
    (stick / "folder-link").symlink_to(outside / "folder", target_is_directory=True)
    (stick / "relative-link").symlink_to("../outside/secret.tflite")
    (stick / "loop").symlink_to("loop")
    read = []
    hashing = importer.file_digests
    monkeypatch.setattr(importer, "file_digests",
                        lambda path, **kw: read.append(path.resolve()) or hashing(path, **kw))
    report = import_folder(stick, cache)
    assert report.imported == ()
    reasons = {i.path.name: i.reason for i in report.ignored}
    assert set(reasons) == {"secret-link", "folder-link", "relative-link", "loop"}
    assert "loops" in reasons.pop("loop")
    assert all("outside" in reason and "link" in reason for reason in reasons.values())
    assert not any(path.is_relative_to(outside) for path in read)
    assert cache.find(model_file.name) is None and leftovers(cache) == []


def test_links_inside_the_folder_are_still_followed(tmp_path, cache, fake_tflite):
    model_file, body = fake_tflite
    stick = tmp_path / "stick"
    (stick / "sub").mkdir(parents=True)
    (stick / "sub" / "model.bin").write_bytes(body)
    (stick / "alias").symlink_to("sub/model.bin")
    report = import_folder(stick, cache)
    assert [i.source.name for i in report.imported] == ["alias"]
    assert (cache.root / model_file.filename).read_bytes() == body


def test_a_saved_model_folder_with_a_link_out_is_not_copied(tmp_path, cache):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the cache")
    hub = tmp_path / "stick" / "hub"
    (hub / "variables").mkdir(parents=True)
    (hub / "saved_model.pb").write_bytes(b"junk")
    (hub / "variables" / "variables.data-00000-of-00001").symlink_to(secret)
    report = import_folder(tmp_path / "stick", cache)
    assert report.imported == ()
    [ignored] = report.ignored
    assert "outside" in ignored.reason and "variables.data" in ignored.reason
    assert leftovers(cache) == []
