"""Reusable work buffers for per-frame array maths.

Fresh multi-megabyte numpy allocations are mmap'd and page-faulted on every call,
which costs more than the arithmetic itself; a canvas keeps one Scratch and asks
it for named buffers instead.
"""

from __future__ import annotations

import numpy as np


class Scratch:
    def __init__(self) -> None:
        self._bufs: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
        """An uninitialised array of `shape`, valid until the next get() of `name`."""
        n = 1
        for s in shape:
            n *= int(s)
        buf = self._bufs.get(name)
        if buf is None or buf.size < n or buf.dtype != np.dtype(dtype):
            grow = 0 if buf is None else int(buf.size * 1.5)
            buf = np.empty(max(n, grow, 1), dtype)
            self._bufs[name] = buf
        return buf[:n].reshape(shape)

    def nbytes(self) -> int:
        return sum(b.nbytes for b in self._bufs.values())
