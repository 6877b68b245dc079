"""The Ray Serve deployments, one class per role, and the application graph.

    Magenta  batched with @serve.batch: pictures from several kiosks in one replica call
             (the batch size and wait come from FarmOptions.batch, set per replica)
    Gatys    one job per replica (max_ongoing_requests=1); streams Progress with previews
             and ends with its answer; cancelling the call stops the optimiser
    Score    the score's encoder, the painting against each machine picture

Every role's engine runs in a thread of its replica (asyncio.to_thread), so the replica's
event loop stays free for health checks, previews and cancels while TensorFlow works.
Ray Serve places the replicas (GPU fractions from FarmOptions.actor_options), restarts any
that die or fail their health check, and routes each call to a live one.
"""
from __future__ import annotations

import asyncio
import queue
import threading

from ray import serve

from models.farm.options import FarmOptions
from models.farm.replicas import EngineHost, ReplicaAnswer
from models.messages import Job, Progress, ScoreJob

# How often the Gatys stream looks for news from its engine thread.
STREAM_POLL_S = 0.1


class _Role:
    """What every role's replica does: host its engine, say what it is."""
    role = ""

    def __init__(self, options: FarmOptions):
        threads = options.roles[self.role].threads
        self.host = EngineHost(self.role, options.models_dir, options.score_dir, threads,
                               options.gatys_gpu_size)
        if options.preload:
            self.host.load()

    def describe(self) -> dict:
        return self.host.describe()

    def check_health(self) -> None:
        """Ray Serve calls this; raising marks the replica unhealthy and replaces it."""


class Magenta(_Role):
    role = "magenta"

    def __init__(self, options: FarmOptions):
        super().__init__(options)
        self._batched.set_max_batch_size(options.batch.max_batch_size)
        self._batched.set_batch_wait_timeout_s(options.batch.wait_s)

    async def stylize(self, job: Job) -> ReplicaAnswer:
        return await self._batched(job)

    @serve.batch(max_batch_size=8, batch_wait_timeout_s=0.05)
    async def _batched(self, jobs: list[Job]) -> list[ReplicaAnswer]:
        return await asyncio.to_thread(self._run_all, jobs)

    def _run_all(self, jobs: list[Job]) -> list[ReplicaAnswer]:
        # One engine call per picture: a batch shares the call, the loaded model and (on a
        # GPU) the warm kernels; pictures of different sizes cannot share one tensor.
        described = self.host.describe()
        return [ReplicaAnswer(self.host.run(job, threading.Event()), described, len(jobs))
                for job in jobs]


class Gatys(_Role):
    role = "gatys"

    async def paint(self, job: Job):
        """Yields Progress while the engine works, then one ReplicaAnswer."""
        news: queue.SimpleQueue = queue.SimpleQueue()
        stop = threading.Event()
        worker = asyncio.get_running_loop().run_in_executor(
            None, lambda: news.put(self.host.run(job, stop, news.put)))
        try:
            while True:
                try:
                    message = news.get_nowait()
                except queue.Empty:
                    if worker.done() and news.empty():
                        worker.result()          # re-raise a crash of the thread itself
                        raise RuntimeError("the engine thread ended without an answer")
                    await asyncio.sleep(STREAM_POLL_S)
                    continue
                if isinstance(message, Progress):
                    yield message
                    continue
                yield ReplicaAnswer(message, self.host.describe())
                return
        finally:
            stop.set()       # the kiosk cancelled (CancelledError) or the stream ended


class Score(_Role):
    role = "score"

    async def score(self, job: ScoreJob) -> ReplicaAnswer:
        answer = await asyncio.to_thread(self.host.run, job, threading.Event())
        return ReplicaAnswer(answer, self.host.describe())


def role_deployment(cls, role: str, options: FarmOptions, cluster_gpus: float):
    role_options = options.roles[role]
    return serve.deployment(
        cls, name=cls.__name__, num_replicas=role_options.replicas,
        max_ongoing_requests=role_options.max_ongoing_requests,
        ray_actor_options=options.actor_options(role, cluster_gpus),
        health_check_period_s=5.0, health_check_timeout_s=30.0,
        graceful_shutdown_timeout_s=5.0)


def build_app(options: FarmOptions, cluster_gpus: float):
    """The bound application: the ingress over one deployment per role."""
    from models.farm.api import ingress_deployment

    roles = {"magenta": Magenta, "gatys": Gatys, "score": Score}
    bound = {role: role_deployment(cls, role, options, cluster_gpus).bind(options)
             for role, cls in roles.items()}
    return ingress_deployment(options).bind(options, bound["magenta"], bound["gatys"],
                                            bound["score"])
