"""The kiosk gallery: real files on disk, real pixels back, real stroke logs replayed."""

from __future__ import annotations

import errno
import gzip
import json
import os
import time
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from brush_helpers import Painter, acrylic, water
from brushes import Canvas, History, StrokeRecord, replay
import game.gallery as gallery_module
from game.gallery import STALE_SECONDS, Gallery, GalleryEntry, GalleryError

W, H = 96, 64  # small: the tests paint for real, so keep them quick
T0 = datetime(2026, 11, 22, 10, 15, tzinfo=timezone.utc)


def noise(seed: int, w: int = W, h: int = H) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def add(gallery: Gallery, seed: int = 0, when: datetime | None = None, **kw) -> GalleryEntry:
    kw.setdefault("machines", {})
    kw.setdefault("strokes", [])
    return gallery.add(noise(seed), canvas_size=(W, H), canvas_seed=seed,
                       content_title=f"content {seed}", style_title="Starry Night",
                       when=when, **kw)


def test_painting_and_machine_pixels_round_trip(tmp_path):
    gallery = Gallery(tmp_path / "gallery")
    painting, magenta, gatys = noise(1), noise(2, 128, 128), noise(3, 40, 30)
    entry = gallery.add(painting, {"magenta": magenta, "gatys": gatys}, [],
                        canvas_size=(W, H), canvas_seed=7, content_title="Cat",
                        style_title="Waves", player="Ada", score=81.5, mode="solo")
    assert sorted(p.name for p in entry.folder.iterdir()) == [
        "gatys.png", "magenta.png", "meta.json", "painting.png", "strokes.json.gz"]
    [again] = gallery.recent()
    assert again == entry
    assert np.array_equal(again.painting(), painting)
    assert np.array_equal(again.machine("magenta"), magenta)
    assert np.array_equal(again.machine("gatys"), gatys)
    assert (again.player, again.score, again.mode, again.canvas_size, again.canvas_seed) == (
        "Ada", 81.5, "solo", (W, H), 7)
    assert again.created_at.tzinfo is not None and again.created_at.utcoffset() == timedelta(0)


def test_missing_machine_picture_is_none(tmp_path):
    entry = add(Gallery(tmp_path), machines={"gatys": noise(5)})
    assert entry.machine("magenta") is None
    assert np.array_equal(entry.machine("gatys"), noise(5))
    with pytest.raises(ValueError):
        entry.machine("picasso")


def test_stroke_log_replays_to_the_same_painting(tmp_path):
    canvas = Canvas(W, H, seed=11)
    history = History()
    p = Painter(canvas, history)
    p.stroke(acrylic((200, 60, 40), 14), [(8, 10), (88, 30)])
    p.stroke(water((40, 60, 170), 16), [(10, 50), (80, 20)])
    p.stroke(acrylic((30, 140, 60), 8), [(48, 4), (48, 60)], speed=900)
    for _ in range(5):
        p.frame()  # still wet: the log must carry the drying ticks too
    target = canvas.rgb8()
    assert not np.array_equal(target, Canvas(W, H, seed=11).rgb8())

    gallery = Gallery(tmp_path)
    add(gallery, strokes=history.log)
    [entry] = gallery.recent()
    log = entry.strokes()
    assert [r.kind for r in log] == ["acrylic", "watercolour", "acrylic"]
    assert all(isinstance(r, StrokeRecord) for r in log)
    w, h = entry.canvas_size
    copy = Canvas(w, h, seed=11)
    replay(log, copy)
    assert np.array_equal(copy.rgb8(), target)
    # Stored as the documented gzip JSON list of StrokeRecord.to_dict().
    with gzip.open(entry.folder / "strokes.json.gz", "rt") as handle:
        assert json.load(handle) == json.loads(json.dumps([r.to_dict() for r in history.log]))


def test_missing_or_damaged_stroke_log_gives_empty_list(tmp_path):
    gallery = Gallery(tmp_path)
    first, second = add(gallery, 1), add(gallery, 2)
    (first.folder / "strokes.json.gz").unlink()
    assert first.strokes() == []
    (second.folder / "strokes.json.gz").write_bytes(b"\x1f\x8b not really gzip")
    assert second.strokes() == []
    assert len(gallery.recent()) == 2  # the entries themselves still show


def test_recent_is_newest_first_and_prune_keeps_newest(tmp_path):
    gallery = Gallery(tmp_path, keep=3)
    # Added out of time order: folder names, not call order, decide what is newest.
    for minute in (4, 0, 2, 1, 3):
        add(gallery, minute, when=T0 + timedelta(minutes=minute))
    entries = gallery.recent()
    assert [e.canvas_seed for e in entries] == [4, 3, 2]
    assert [e.created_at for e in entries] == [T0 + timedelta(minutes=m) for m in (4, 3, 2)]
    assert len([p for p in tmp_path.iterdir()]) == 3  # pruned folders are gone from disk
    assert [e.canvas_seed for e in gallery.recent(2)] == [4, 3]
    assert np.array_equal(entries[-1].painting(), noise(2))
    names = [e.entry_id for e in entries]
    assert names == sorted(names, reverse=True)


def test_half_saved_entry_is_invisible_then_cleaned_when_stale(tmp_path):
    gallery = Gallery(tmp_path)
    kept = add(gallery, 1, when=T0)
    # A save cut off after the painting but before meta.json.
    half = tmp_path / "20261122T101600000000-deadbeef"
    half.mkdir()
    (half / "painting.png").write_bytes(b"\x89PNG half")
    assert [e.entry_id for e in gallery.recent()] == [kept.entry_id]
    assert not gallery.set_score(half.name, 10.0)

    add(gallery, 2, when=T0 + timedelta(minutes=2))
    assert half.exists()  # young: it may be another process still saving
    old = time.time() - STALE_SECONDS - 60
    os.utime(half, (old, old))
    add(gallery, 3, when=T0 + timedelta(minutes=3))
    assert not half.exists()
    assert [e.canvas_seed for e in gallery.recent()] == [3, 2, 1]


def test_crash_before_meta_leaves_files_but_no_entry(tmp_path, monkeypatch):
    gallery = Gallery(tmp_path)

    def power_cut(folder, meta):
        raise SystemExit("power cut")  # not an OSError: nothing gets to clean up

    monkeypatch.setattr(gallery_module, "_write_meta", power_cut)
    with pytest.raises(SystemExit):
        add(gallery, 1, machines={"magenta": noise(2)})
    [half] = tmp_path.iterdir()
    assert sorted(p.name for p in half.iterdir()) == [
        "magenta.png", "painting.png", "strokes.json.gz"]  # meta.json comes last
    assert gallery.recent() == []


def test_full_disk_raises_gallery_error_and_leaves_nothing(tmp_path, monkeypatch):
    gallery = Gallery(tmp_path)
    real_write = gallery_module._write_synced

    def write(path, data):
        if path.name == "strokes.json.gz":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(gallery_module, "_write_synced", write)
    with pytest.raises(GalleryError, match="No space left") as caught:
        add(gallery)
    assert caught.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_damaged_meta_is_skipped(tmp_path, caplog):
    gallery = Gallery(tmp_path)
    good = add(gallery, 1, when=T0)
    truncated = add(gallery, 2, when=T0 + timedelta(minutes=1))
    wrong = add(gallery, 3, when=T0 + timedelta(minutes=2))
    (truncated.folder / "meta.json").write_text('{"entry_id": "2026', encoding="utf-8")
    (wrong.folder / "meta.json").write_text('{"canvas_size": 5}', encoding="utf-8")
    with caplog.at_level("WARNING", logger="game.gallery"):
        assert [e.entry_id for e in gallery.recent()] == [good.entry_id]
    assert truncated.entry_id in caplog.text and wrong.entry_id in caplog.text
    assert not gallery.set_score(truncated.entry_id, 5.0)


def test_set_score_rewrites_meta(tmp_path):
    gallery = Gallery(tmp_path)
    entry = add(gallery, 1)
    assert entry.score is None
    assert gallery.set_score(entry.entry_id, 64.25)
    [again] = gallery.recent()
    assert again.score == 64.25 and again.content_title == "content 1"
    assert json.loads((entry.folder / "meta.json").read_text())["score"] == 64.25
    assert [p.name for p in entry.folder.iterdir() if p.name.startswith(".")] == []
    assert np.array_equal(again.painting(), noise(1))
    assert not gallery.set_score("20990101T000000000000-00000000", 1.0)
    assert not gallery.set_score("../../etc", 1.0)
    with pytest.raises(ValueError):
        gallery.set_score(entry.entry_id, float("nan"))


def test_remove_and_clear(tmp_path):
    gallery = Gallery(tmp_path)
    a, b, c = (add(gallery, i, when=T0 + timedelta(minutes=i)) for i in range(3))
    assert gallery.remove(b.entry_id)
    assert not b.folder.exists()
    assert not gallery.remove(b.entry_id)
    assert [e.entry_id for e in gallery.recent()] == [c.entry_id, a.entry_id]
    (tmp_path / "notes.txt").write_text("staff notes")  # not ours: clear leaves it alone
    gallery.clear()
    assert gallery.recent() == []
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_root_reads_empty_and_is_created_on_add(tmp_path):
    gallery = Gallery(tmp_path / "data" / "gallery")
    assert gallery.recent() == []
    assert not (tmp_path / "data").exists()  # reading never creates folders
    add(gallery)
    assert len(gallery.recent()) == 1


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores folder permissions")
def test_read_only_root_raises_gallery_error(tmp_path):
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o500)
    try:
        gallery = Gallery(root / "gallery")
        with pytest.raises(GalleryError, match="gallery") as caught:
            add(gallery)
        assert isinstance(caught.value, OSError)
        assert gallery.recent() == []
        writable = Gallery(root)
        with pytest.raises(GalleryError):
            add(writable)
        assert list(root.iterdir()) == []
    finally:
        root.chmod(0o700)


def test_bad_inputs_are_rejected_before_writing(tmp_path):
    gallery = Gallery(tmp_path)
    with pytest.raises(ValueError):
        gallery.add(noise(1).astype(np.float32), {}, [], canvas_size=(W, H), canvas_seed=0,
                    content_title="", style_title="")
    with pytest.raises(ValueError):  # canvas_size must match, or the time-lapse would differ
        gallery.add(noise(1), {}, [], canvas_size=(H, W), canvas_seed=0,
                    content_title="", style_title="")
    with pytest.raises(ValueError):
        add(gallery, machines={"dali": noise(2)})
    assert list(tmp_path.iterdir()) == []
