"""Run a call that might hang or eat all memory in a child process with a time and memory cap.

Tests of hostile files (a FIFO that blocks `open` forever, a symlink to /dev/zero that reads
until memory runs out) use it, so a regression fails the test instead of hanging the suite
or swapping out the machine the other engineers share.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

import pytest

SECONDS = 30.0              # generous: the calls under test take milliseconds when they work
MEMORY_HEADROOM = 1 << 30   # the child may grow this much beyond the forked test process


def _cap_memory(headroom: int) -> None:
    """Limit the child's address space, so reading /dev/zero ends in MemoryError quickly."""
    try:
        import resource
        with open("/proc/self/statm", encoding="ascii") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return      # no /proc or no rlimits: the time bound still applies
    resource.setrlimit(resource.RLIMIT_AS, (mapped + headroom, mapped + headroom))


def run_bounded(func: Callable[..., Any], *args: Any, seconds: float = SECONDS) -> Any:
    """func(*args) in a child process; its result, its exception, or a test failure on hang.

    func and its result must pickle (func: a module-level function). Fork keeps the start
    cheap and needs no re-import of the test module.
    """
    context = multiprocessing.get_context("fork")
    pool = context.Pool(1, initializer=_cap_memory, initargs=(MEMORY_HEADROOM,))
    try:
        return pool.apply_async(func, args).get(timeout=seconds)
    except multiprocessing.TimeoutError:
        pytest.fail(f"{func.__name__}{args!r} did not return within {seconds:g} s")
    finally:
        pool.terminate()        # also ends a child stuck in open() or read()
        pool.join()


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
