"""What runs inside a farm replica: one engine (or the scorer), whatever Ray does around it.

`EngineHost` is the local worker's own job runner (models.worker.Worker) without its
process and queues: the same engine choice (real models from the node's model cache, else
the offline stand-ins), the same sentences for failures, the same scripted test
behaviours. So a farm and a kiosk paint a pair alike, and a reveal can compare them.

Each host also says what it is (`describe`): the engine's label, the device, the model
files with their sizes and sha256 (hashed once at start), and a fingerprint of all that
the farm's result cache keys on. No Ray here: models.farm.deployments wraps it.
"""
from __future__ import annotations

import hashlib
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from models.cache import default_models_dir
from models.catalogue import VGG19_BLOCKS, entry, vgg19_file
from models.messages import Failed, Job, Result, ScoreJob, ScoreResult
from models.worker import WorkerConfig, Worker

MAGENTA_ENTRIES = ("magenta-tflite-fp16", "magenta-tflite-int8", "magenta-hub")


@dataclass
class ReplicaAnswer:
    """A job's final answer and who made it (the farm's result cache and reveal need both)."""
    answer: Result | ScoreResult | Failed
    replica: dict = field(default_factory=dict)   # EngineHost.describe()
    batch_size: int = 1                            # Magenta: pictures in its replica call


def candidate_files(role: str) -> list[str]:
    """File or folder names in a model cache that `role` may pick from."""
    if role == "magenta":
        return sorted({f.filename for name in MAGENTA_ENTRIES for f in entry(name).files})
    if role == "gatys":
        return [vgg19_file(b).filename for b in range(1, VGG19_BLOCKS + 1)]
    return []


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_dir():
        path = path / "saved_model.pb"
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def model_files(role: str, models_dir: Path) -> list[dict]:
    """The model files present for `role`: name, size and sha256 (by content, so two
    nodes with the same files share cache entries whatever their files' dates)."""
    found = []
    for name in candidate_files(role):
        path = models_dir / name
        if path.exists():
            size = path.stat().st_size if path.is_file() else 0
            found.append({"name": name, "bytes": size, "sha256": file_sha256(path)})
    return found


def detect_device() -> str:
    """"GPU" when Ray gave this replica a GPU and one is visible, else "CPU"."""
    visible = os.environ.get("CUDA_VISIBLE_DEVICES", "").strip()
    if not visible or visible in ("-1", "NoDevFiles"):
        return "CPU"
    if not Path("/proc/driver/nvidia").exists() and not Path("/dev/nvidia0").exists():
        return "CPU"     # a GPU declared to Ray (tests) but no driver: skip TF's import
    try:
        import tensorflow as tf

        from models.gpu import has_gpu, share_gpus

        share_gpus(tf)
        return "GPU" if has_gpu(tf) else "CPU"
    except ImportError:
        return "CPU"


class _Answers:
    """The worker's answer queue, turned into a callback for Progress (the rest dropped:
    Ready and Loading are the keeper's business, and a replica has no keeper)."""

    def __init__(self, on_progress):
        self.on_progress = on_progress

    def put(self, message) -> None:
        from models.messages import Progress

        if isinstance(message, Progress) and self.on_progress is not None:
            self.on_progress(message)


class EngineHost:
    """One role's engine inside a replica, loaded once, run one job at a time per thread."""

    def __init__(self, role: str, models_dir: str | None, score_dir: str | None,
                 threads: int = 1, gpu_size: int = 512):
        self.role = role
        self.models_dir = Path(models_dir) if models_dir else default_models_dir()
        engine = "magenta" if role == "score" else role
        self.config = WorkerConfig(engine, str(self.models_dir), threads=threads,
                                   scorer=role == "score", score_dir=score_dir)
        self.device = detect_device()
        self.gpu_size = gpu_size
        self.files = model_files(role, self.models_dir)
        self._lock = threading.Lock()       # a Worker runs one job at a time
        self._progress = None
        self.worker = Worker(self.config, _Answers(self._forward),
                             SimpleNamespace(paused=threading.Event()))

    def _forward(self, message) -> None:
        if self._progress is not None:
            self._progress(message)

    def load(self) -> None:
        with self._lock:
            if self.role == "score":
                self.worker.load_scorer()
            elif self.worker.engine is None:
                self.worker.load()

    def describe(self) -> dict:
        engine = self.worker.engine
        label = engine.label if engine is not None else None
        if self.role == "score" and self.worker.scorer is not None:
            label = self.worker.scorer.label
        files = ",".join(f"{f['name']}:{f['sha256']}" for f in self.files)
        fingerprint = hashlib.sha256(f"{self.role}|{self.device}|{files}".encode()).hexdigest()
        return {"role": self.role, "label": label, "device": self.device,
                "model_files": self.files, "fingerprint": fingerprint[:32],
                "pid": os.getpid(), "node": socket.gethostname()}

    def run(self, job: Job | ScoreJob, stop: threading.Event,
            on_progress=None) -> Result | ScoreResult | Failed:
        """The job's answer, Result / ScoreResult or Failed (never raises)."""
        if isinstance(job, Job) and job.engine == "gatys" and self.device == "GPU":
            job.settings.setdefault("size", self.gpu_size)  # the full network at 512 px
        with self._lock:
            self._progress = on_progress
            try:
                return self.worker.answer(job, stop)
            finally:
                self._progress = None
