"""A real render farm for the tests: a small local Ray cluster with the Serve app on it.

Two CPUs, one GPU *declared* to Ray (there is none: the replicas' GPU fractions are still
asked for and granted, so that path runs on every CI machine), a small object store, no
dashboard, replicas at fractional CPUs, test behaviours allowed and engines loaded on
first use (scripted jobs need no TensorFlow). Waits are on events with generous bounds.
"""
from __future__ import annotations

import socket
import struct
import time
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from models.farm.auth import digest
from models.farm.client import FarmAddress, FarmClient
from models.farm.options import FarmOptions, LimitOptions, RoleOptions

TOKENS = ("kiosk-row-a-0123456789abcdef", "kiosk-row-b-fedcba9876543210")
START_BOUND_S = 300.0      # a Ray cluster and four deployments on two busy cores
JOB_BOUND_S = 120.0


@dataclass
class Farm:
    url: str
    options: FarmOptions

    def client(self, token: str = TOKENS[0], timeout_s: float = 30.0) -> FarmClient:
        return FarmClient(FarmAddress(self.url, token, timeout_s))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def small_options(models_dir: Path, **limits) -> FarmOptions:
    roles = {"magenta": RoleOptions(num_cpus=0.2, num_gpus=0.25, max_ongoing_requests=8),
             "gatys": RoleOptions(num_cpus=0.2, num_gpus=0.5),
             "score": RoleOptions(num_cpus=0.2, num_gpus=0.25, max_ongoing_requests=2)}
    return FarmOptions(host="127.0.0.1", port=free_port(),
                       token_digests=tuple(digest(t) for t in TOKENS),
                       models_dir=str(models_dir), preload=False, test_behaviours=True,
                       roles=roles, ingress_cpus=0.2,
                       limits=replace(LimitOptions(), **limits))


def start_test_farm(options: FarmOptions) -> Farm:
    from models.farm.cluster import ClusterOptions, start_farm

    url = start_farm(options, ClusterOptions(num_cpus=2, num_gpus=1,
                                             object_store_bytes=100 * 1024 * 1024))
    farm = Farm(url, options)
    wait_for(lambda: _healthy(farm), START_BOUND_S, "the farm to answer")
    return farm


def stop_test_farm() -> None:
    from models.farm.cluster import stop_farm

    stop_farm()


def _healthy(farm: Farm) -> bool:
    from models.farm.client import FarmError

    try:
        return bool(farm.client().health().get("ok"))
    except FarmError:
        return False


def wait_for(predicate, seconds: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"waited {seconds:g} s for {what}")


def picture(height: int = 48, width: int = 64, seed: int = 0) -> np.ndarray:
    return (np.random.default_rng(seed).random((height, width, 3)) * 255).astype(np.uint8)


def through_jpeg(image: np.ndarray) -> np.ndarray:
    """(h, w, 3) uint8 -> what the kiosk gets of it as a reel's snapshot (the farm sends
    snapshots as JPEG: close to the picture, not equal)."""
    from models.farm.client import decode_snapshots
    from models.farm.wire import encode_jpeg

    return decode_snapshots([{"seconds": 0.0, "iteration": 0,
                              "image": encode_jpeg(image)}])[0].image


def png_bomb_header(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header claims a huge picture (a decompression bomb's calling card)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
