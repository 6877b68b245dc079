"""NST results on disk, so a pair seen before is revealed at once, without a worker.

The key is a sha256 over everything that changes the picture:
- the content's pixels and each style's pixels with its weight, the strength;
- the engine, the job's settings (JSON), and the budget for Gatys only (Magenta's single
  pass does not depend on it, so its results serve rounds of any length);
- a fingerprint of the model files that engine could choose from (name, size and mtime of
  each installed file and of the manifest: stat calls, no hashing), so installing or
  replacing a model never shows a stand-in's picture as the real model's;
- CACHE_VERSION, bumped when an engine changes what it paints.

Each entry is `<key>.png` (the image) and `<key>.json` (label, seconds, notes ...), and for a
Gatys result `<key>.reel.jpg`, its reel for the duel replay (game.nst.reel_file: one JPEG
strip, about 0.3 MB; the JSON's "reel" holds its layout). All are written to a temporary
name and `os.replace`d, the JSON last: it is the commit mark, so a crash leaves either a
whole entry or none. Read and write errors are logged and treated as a miss: the cache
must never stop a round. A reel that cannot be read costs only the reel (the result is
served without one, as is an entry written before reels were kept). No pygame, no TensorFlow.

Writing goes through `CacheWriter`, a thread of its own: encoding a 1024 px PNG takes about
75 ms, four frames the game must not drop when a result lands. Reading stays synchronous
(about 40 ms at 1024 px, once per job at submit) so a hit is answered by the next poll().
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import threading
from pathlib import Path

import numpy as np
from PIL import Image

from game.files import make_folder, new_temp_file
from game.nst.reel_file import layout_of, read_strip, write_strip
from models import catalogue
from models.messages import Job, Result

log = logging.getLogger(__name__)

CACHE_VERSION = 1
PARTIAL_PREFIX = ".partial-"
# About 300 KB each at 384 px, a Gatys entry 0.3 MB more with its reel: a few hundred
# rounds' worth stays under about 150 MB.
DEFAULT_MAX_ENTRIES = 300
FROM_CACHE_NOTE = "shown from the result cache (painted in an earlier round)"
REEL_SUFFIX = ".reel.jpg"
MAGENTA_ENTRIES = ("magenta-tflite-fp16", "magenta-tflite-int8", "magenta-hub")


def image_digest(image: np.ndarray) -> str:
    """sha256 of an image's shape, dtype and pixels."""
    image = np.ascontiguousarray(image)
    digest = hashlib.sha256(f"{image.shape}|{image.dtype}|".encode("utf-8"))
    digest.update(image.tobytes())
    return digest.hexdigest()


def engine_files(engine: str) -> list[str]:
    """File (or folder) names in the model cache that `engine` may pick from."""
    if engine == "magenta":
        names = [f.filename for name in MAGENTA_ENTRIES for f in catalogue.entry(name).files]
    else:
        names = [catalogue.vgg19_file(b).filename for b in range(1, catalogue.VGG19_BLOCKS + 1)]
    return sorted(set(names)) + ["manifest.json"]


def models_fingerprint(models_dir: Path, engine: str) -> str:
    """What is installed for `engine` in `models_dir`, as a short digest (stat only)."""
    lines = []
    for name in engine_files(engine):
        path = Path(models_dir) / name
        if path.is_dir():
            path = path / "saved_model.pb"
        try:
            stat = path.stat()
        except OSError:
            continue
        lines.append(f"{name}|{stat.st_size}|{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]


def result_key(job: Job, fingerprint: str) -> str:
    """The cache key of `job` given its engine's models fingerprint."""
    parts = {
        "version": CACHE_VERSION,
        "engine": job.engine,
        "content": image_digest(job.content),
        "styles": [[image_digest(image), float(weight)] for image, weight in job.styles],
        "strength": float(job.strength),
        "budget_s": float(job.budget_s) if job.engine == "gatys" else None,
        "settings": job.settings,
        "models": fingerprint,
    }
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultCache:
    """One folder of cached results (created on the first write)."""

    def __init__(self, root: Path, max_entries: int = DEFAULT_MAX_ENTRIES):
        self.root = Path(root)
        self.max_entries = max_entries

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.root / f"{key}.png", self.root / f"{key}.json"

    def _reel_path(self, key: str) -> Path:
        return self.root / f"{key}{REEL_SUFFIX}"

    def get(self, key: str, job_id: str) -> Result | None:
        """The stored result for `key`, answering `job_id`; None on a miss or a bad entry."""
        png, meta_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            with Image.open(png) as picture:
                image = np.asarray(picture.convert("RGB"), np.uint8)   # (H, W, 3) uint8
            if list(image.shape) != meta["shape"]:
                raise ValueError(f"image is {image.shape}, the record says {meta['shape']}")
            result = Result(job_id, meta["engine"], meta["label"], image,
                            float(meta["seconds"]), int(meta["iterations"]),
                            bool(meta["converged"]), [*meta["notes"], FROM_CACHE_NOTE],
                            meta["settings_text"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring damaged result cache entry %s: %s", key[:12], error)
            return None
        if "reel" in meta:
            result.snapshots = self._read_reel(key, meta["reel"])
        try:
            os.utime(meta_path)            # recently used: pruned last
        except OSError:
            pass                           # read-only folder: fine
        return result

    def _read_reel(self, key: str, layout: object) -> list:
        """The entry's reel, or [] (logged) when it is missing or damaged."""
        try:
            return read_strip(self._reel_path(key), layout)
        except (OSError, ValueError, TypeError) as error:
            log.warning("result cache entry %s: its reel is ignored: %s", key[:12], error)
            return []

    def put(self, key: str, result: Result) -> bool:
        """Store `result` under `key`; False (logged) when it cannot be written."""
        png, meta_path = self._paths(key)
        meta = {"engine": result.engine, "label": result.label, "seconds": result.seconds,
                "iterations": result.iterations, "converged": result.converged,
                "notes": list(result.notes), "settings_text": result.settings_text,
                "shape": list(result.image.shape)}
        try:
            make_folder(self.root)
            self._write(png, lambda stream: Image.fromarray(result.image).save(
                stream, format="PNG", compress_level=1))   # fast: this runs in the game loop
            if result.snapshots:
                self._write(self._reel_path(key),
                            lambda stream: write_strip(stream, result.snapshots))
                meta["reel"] = layout_of(result.snapshots)
            else:
                self._reel_path(key).unlink(missing_ok=True)   # an older entry's reel
            self._write(meta_path, lambda stream: stream.write(
                json.dumps(meta, indent=1, default=repr).encode("utf-8")))
        except (OSError, ValueError, TypeError) as error:
            log.warning("result not cached in %s: %s", self.root, error)
            return False
        self._prune()
        return True

    def _write(self, final: Path, write) -> None:
        handle, temp = new_temp_file(self.root, prefix=PARTIAL_PREFIX, suffix=final.suffix)
        try:
            with handle as stream:
                write(stream)
            os.replace(temp, final)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _prune(self) -> None:
        """Drop the least recently used entries beyond `max_entries`."""
        try:
            metas = sorted(self.root.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
            for meta_path in metas[:max(0, len(metas) - self.max_entries)]:
                meta_path.unlink(missing_ok=True)             # the commit mark goes first
                meta_path.with_suffix(".png").unlink(missing_ok=True)
                self._reel_path(meta_path.stem).unlink(missing_ok=True)
        except OSError as error:
            log.info("result cache not pruned: %s", error)


class CacheWriter:
    """Stores results on a background thread (Pillow's encoder releases the GIL)."""

    def __init__(self, cache: ResultCache):
        self.cache = cache
        self._queue: queue.SimpleQueue = queue.SimpleQueue()   # (key, Result) or None: stop
        self._thread: threading.Thread | None = None

    def put(self, key: str, result: Result) -> None:
        """Queue a write and return at once."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="result-cache-writer",
                                            daemon=True)
            self._thread.start()
        self._queue.put((key, result))

    def close(self, timeout: float) -> bool:
        """Finish the queued writes, waiting at most `timeout` s; True if all were done."""
        if self._thread is None:
            return True
        self._queue.put(None)
        self._thread.join(timeout)
        done = not self._thread.is_alive()
        self._thread = None
        return done

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            self.cache.put(*item)
