"""Style bottlenecks remembered per image, in memory and optionally on disk.

A style's bottleneck depends only on its pixels and on the prediction model, so it can be
computed once - before a round's timer starts, or by an earlier run - and reused for every
stylization with that painting. The key is the sha256 of the model's tag, the image's shape
and its pixels. The disk copy is one small .npz per style; a read-only folder only
disables writing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# Bump when the preparation of style images changes (crop, size, blur): old files on disk
# then no longer match any key and are simply not used.
PREPARATION_VERSION = "crop-256-blur3-v1"


def image_key(model_tag: str, image: np.ndarray) -> str:
    """sha256 over the model tag, the preparation version, the shape and the pixels."""
    image = np.ascontiguousarray(image)
    digest = hashlib.sha256(f"{model_tag}|{PREPARATION_VERSION}|{image.shape}|"
                            f"{image.dtype}|".encode("utf-8"))
    digest.update(image.tobytes())
    return digest.hexdigest()


@dataclass
class CacheCounts:
    hits: int = 0
    misses: int = 0


class BottleneckCache:
    """Bottlenecks by image key: an LRU in memory in front of an optional folder of .npz."""

    def __init__(self, model_tag: str, folder: Path | None = None, memory_items: int = 64):
        self.model_tag = model_tag
        self.folder = Path(folder) if folder is not None else None
        # 64 bottlenecks are 25 KB: enough for every painting of a session.
        self.memory_items = memory_items
        self._memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self.counts = CacheCounts()

    def key(self, image: np.ndarray) -> str:
        return image_key(self.model_tag, image)

    def get(self, image: np.ndarray) -> np.ndarray | None:
        """The stored (1, 1, 1, 100) float32 bottleneck of `image`, or None."""
        key = self.key(image)
        found = self._memory.get(key)
        if found is None and self.folder is not None:
            found = self._read(key)
            if found is not None:
                self._remember(key, found)
        if found is None:
            self.counts.misses += 1
            return None
        self._memory.move_to_end(key)
        self.counts.hits += 1
        return found.copy()

    def put(self, image: np.ndarray, bottleneck: np.ndarray) -> None:
        key = self.key(image)
        bottleneck = np.asarray(bottleneck, np.float32).copy()
        self._remember(key, bottleneck)
        if self.folder is not None:
            self._write(key, bottleneck)

    def _remember(self, key: str, bottleneck: np.ndarray) -> None:
        self._memory[key] = bottleneck
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_items:
            self._memory.popitem(last=False)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def _read(self, key: str) -> np.ndarray | None:
        try:
            with np.load(self._path(key)) as data:
                bottleneck = data["bottleneck"].astype(np.float32)
        except (OSError, KeyError, ValueError):
            return None
        return bottleneck if bottleneck.shape == (1, 1, 1, 100) else None

    def _write(self, key: str, bottleneck: np.ndarray) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".partial-", suffix=".npz", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, bottleneck=bottleneck)
            os.replace(temp, self._path(key))
        except OSError as error:
            # A read-only folder (kiosk image) must not stop a stylization.
            log.info("bottleneck not saved to %s: %s", self.folder, error)
