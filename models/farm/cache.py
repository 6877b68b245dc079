"""The farm's result cache: a pair rendered for one kiosk is instant for the next.

The key is a sha256 over everything that changes the picture: the content's and each
style's pixels with their weights, the strength, the engine, the job's settings, the
budget (Gatys only: Magenta's single pass does not depend on it) and the fingerprint of
the model files and device the role's replicas run (models.farm.replicas), so a farm
whose models changed never serves an older model's picture as the new one's.

Entries are the result's wire JSON (models.farm.wire, the picture as PNG) in memory, least
recently used dropped first, and optionally one file each in a folder (written to a
temporary name and renamed: a crash leaves a whole entry or none), so a farm restart keeps
its cache. Never a reason to fail a job: a write error is logged and forgotten.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

from models.messages import Job

log = logging.getLogger(__name__)

CACHE_VERSION = 1


def image_digest(image: np.ndarray) -> str:
    image = np.ascontiguousarray(image)
    digest = hashlib.sha256(f"{image.shape}|{image.dtype}|".encode("utf-8"))
    digest.update(image.tobytes())
    return digest.hexdigest()


def job_key(job: Job, fingerprint: str) -> str:
    parts = {"version": CACHE_VERSION, "engine": job.engine,
             "content": image_digest(job.content),
             "styles": [[image_digest(image), float(weight)] for image, weight in job.styles],
             "strength": float(job.strength),
             "budget_s": float(job.budget_s) if job.engine == "gatys" else None,
             "settings": job.settings, "models": fingerprint}
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FarmCache:
    """key -> a result's wire JSON (dict), in memory and optionally on disk."""

    def __init__(self, max_entries: int = 500, folder: str | Path | None = None):
        self.max_entries = max(1, max_entries)
        self.folder = Path(folder) if folder else None
        self._entries: OrderedDict[str, dict] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: str) -> dict | None:
        entry = self._entries.get(key)
        if entry is None and self.folder is not None:
            entry = self._read(key)
            if entry is not None:
                self._entries[key] = entry
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return dict(entry)

    def put(self, key: str, result: dict) -> None:
        self._entries[key] = dict(result)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            old, _ = self._entries.popitem(last=False)
            if self.folder is not None:
                (self.folder / f"{old}.json").unlink(missing_ok=True)
        if self.folder is not None:
            self._write(key, result)

    def stats(self) -> dict:
        return {"entries": len(self._entries), "hits": self.hits, "misses": self.misses,
                "folder": str(self.folder) if self.folder else None}

    def _read(self, key: str) -> dict | None:
        try:
            return json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.warning("farm cache entry %s unreadable: %s", key[:12], error)
            return None

    def _write(self, key: str, result: dict) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=".partial-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(result, stream)
            os.replace(temp, self.folder / f"{key}.json")
        except OSError as error:
            log.warning("farm result not cached in %s: %s", self.folder, error)
