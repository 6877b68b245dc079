"""The ingress's work: a parsed job -> the result cache or a replica, and back into the table.

FarmCore holds the job table (models.farm.jobs), the result cache (models.farm.cache) and
one Ray Serve handle per role. Each job runs as an asyncio task in the ingress replica:
Magenta's goes to the batched `stylize` call, Gatys's streams Progress (with previews)
from its replica until the final answer, a ScoreJob goes to the scorer. A replica that
dies mid-job surfaces here as an exception: the job fails with retry_local set, the kiosk
paints it itself, and Ray Serve starts a new replica. Cancelling the task cancels the
replica call, which stops the engine (models.farm.deployments).
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter

from models.farm.cache import FarmCache, job_key
from models.farm.jobs import FarmJob, JobTable
from models.farm.options import FarmOptions
from models.farm.replicas import ReplicaAnswer
from models.farm.wire import (CANCELLED, DONE, FAILED, RUNNING, SCORE_ENGINE, encode_jpeg,
                              encode_png)
from models.messages import CANCELLED as CANCELLED_REASON
from models.messages import ENGINE_DISPLAY, Failed, Job, Progress, Result, ScoreJob

log = logging.getLogger(__name__)

CACHE_NOTE = "shown from the farm's result cache (painted for an earlier visitor)"
# A job the farm has not finished this long after its budget is given up (a replica that
# hangs): the kiosk then paints it itself.
GRACE_S = 300.0
# How long a first job waits for a replica to say what it runs before the kiosk is told
# to paint it itself (503).
DESCRIBE_BOUND_S = 30.0


class ReplicasNotReady(Exception):
    """No replica of a role answered; str() is the one-line reason (503)."""


def result_json(job_id: str, answer: ReplicaAnswer) -> dict:
    """A final answer as the result route's JSON: the picture as base64 PNG (it is scored:
    lossless), Gatys's reel for the duel replay as base64 JPEG (only looked at; a sixth of
    the bytes, and the farm's cache keeps this JSON as it is)."""
    result, replica = answer.answer, answer.replica
    common = {"job_id": job_id, "device": replica.get("device", "CPU"),
              "node": replica.get("node"), "cached": False, "batch_size": answer.batch_size,
              "model_files": [f["name"] for f in replica.get("model_files", [])],
              "fingerprint": replica.get("fingerprint")}
    if isinstance(result, Result):
        return {**common, "kind": "result", "engine": result.engine, "label": result.label,
                "image": encode_png(result.image), "seconds": result.seconds,
                "iterations": result.iterations, "converged": result.converged,
                "notes": list(result.notes), "settings_text": result.settings_text,
                "snapshots": [{"seconds": s.seconds, "iteration": s.iteration,
                               "image": encode_jpeg(s.image)} for s in result.snapshots]}
    return {**common, "kind": "score", "scores": result.scores, "label": result.label,
            "seconds": result.seconds, "parts": result.parts, "cost": result.cost}


class FarmCore:
    def __init__(self, options: FarmOptions, handles: dict):
        self.options, self.handles = options, handles
        self.jobs = JobTable(options.limits)
        self.cache = FarmCache(options.cache_entries, options.cache_dir)
        self.replicas: dict[str, dict] = {}        # "role/pid@node" -> describe()
        self.fingerprints: dict[str, str] = {}     # role -> the latest replica's
        self.batch_sizes: Counter = Counter()      # Magenta pictures per replica call
        self.served = Counter()                    # role -> results painted

    async def fingerprint(self, role: str) -> str:
        """The role's model files and device as the cache sees them; asked of a replica
        the first time (ReplicasNotReady when none answers soon: the kiosk paints it)."""
        if role not in self.fingerprints:
            try:
                described = await asyncio.wait_for(self.handles[role].describe.remote(),
                                                   DESCRIBE_BOUND_S)
            except Exception as error:     # noqa: BLE001 - starting, restarting, lost
                raise ReplicasNotReady(f"the farm's {role} replicas are not ready "
                                       f"({type(error).__name__})") from None
            self.note_replica(described)
        return self.fingerprints[role]

    def note_replica(self, described: dict) -> None:
        if described:
            role = described["role"]
            self.replicas[f"{role}/{described['pid']}@{described['node']}"] = described
            self.fingerprints[role] = described["fingerprint"]

    async def submit(self, job: Job | ScoreJob, owner: str) -> dict:
        """Admit a parsed job (TooManyJobs if over a cap); answered from the cache or run."""
        engine = job.engine if isinstance(job, Job) else SCORE_ENGINE
        key = None
        if isinstance(job, Job):
            key = job_key(job, await self.fingerprint(engine))
        record = self.jobs.admit(job.job_id, owner, engine)
        if key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                hit.update(job_id=job.job_id, cached=True,
                           notes=[*hit.get("notes", []), CACHE_NOTE])
                record.finish(DONE, result=hit)
                return {"job_id": job.job_id, "state": record.state, "cached": True}
        record.task = asyncio.get_running_loop().create_task(self._run(record, job, key))
        return {"job_id": job.job_id, "state": record.state, "cached": False}

    async def _run(self, record: FarmJob, job, key: str | None) -> None:
        budget = job.budget_s if isinstance(job, Job) else 60.0
        display = ENGINE_DISPLAY.get(record.engine, record.engine)
        try:
            answer = await asyncio.wait_for(self._call(record, job), budget + GRACE_S)
        except asyncio.CancelledError:
            record.finish(CANCELLED, reason=CANCELLED_REASON)
            raise
        except asyncio.TimeoutError:
            record.finish(FAILED, reason=f"the farm's {display} replica took too long",
                          retry_local=True)
            return
        except Exception as error:      # noqa: BLE001 - a dead replica, a lost node, ...
            log.warning("job %s: %s", record.job_id, error)
            record.finish(FAILED, retry_local=True,
                          reason=f"the farm's {display} replica stopped mid-job "
                                 f"({type(error).__name__}); it is being restarted")
            return
        self.note_replica(answer.replica)
        if isinstance(answer.answer, Failed):
            cancelled = answer.answer.reason == CANCELLED_REASON
            record.finish(CANCELLED if cancelled else FAILED, reason=answer.answer.reason,
                          retry_local=not cancelled)
            return
        result = await asyncio.to_thread(result_json, record.job_id, answer)
        self.served[record.engine] += 1
        if record.engine == "magenta":
            self.batch_sizes[answer.batch_size] += 1
        record.finish(DONE, result=result)
        if key is not None:
            await asyncio.to_thread(self.cache.put, key, result)

    async def _call(self, record: FarmJob, job) -> ReplicaAnswer:
        record.state = RUNNING if record.engine != "gatys" else record.state
        if record.engine == "magenta":
            return await self.handles["magenta"].stylize.remote(job)
        if record.engine == SCORE_ENGINE:
            return await self.handles[SCORE_ENGINE].score.remote(job)
        answer = None
        async for message in self.handles["gatys"].options(stream=True).paint.remote(job):
            if isinstance(message, Progress):
                await self._progress(record, message)
            else:
                answer = message
        if answer is None:
            raise RuntimeError("the replica's stream ended without an answer")
        return answer

    @staticmethod
    async def _progress(record: FarmJob, message: Progress) -> None:
        record.state = RUNNING
        record.progress = max(record.progress, float(message.fraction))
        record.iteration, record.elapsed_s = message.iteration, message.elapsed_s
        record.loss_parts = dict(message.loss_parts)
        if message.preview is not None:
            record.preview = await asyncio.to_thread(encode_png, message.preview)
            record.preview_seq += 1

    def cancel(self, record: FarmJob) -> bool:
        if record.final:
            return False
        if record.task is not None:
            record.task.cancel()
        record.finish(CANCELLED, reason=CANCELLED_REASON)
        return True

    async def status(self) -> dict:
        """Queues, the replicas heard from (a role not heard from yet is asked now),
        the cache and Magenta's batch sizes: `farm status` and the benchmark read it."""
        for role in self.handles:
            if role not in self.fingerprints:
                try:
                    await self.fingerprint(role)
                except ReplicasNotReady:
                    pass                  # shown as missing; Ray's own view has its state
        return {"queues": self.jobs.queues(), "replicas": list(self.replicas.values()),
                "cache": self.cache.stats(), "served": dict(self.served),
                "magenta_batch_sizes": {str(k): v for k, v in sorted(self.batch_sizes.items())},
                "jobs_kept": len(self.jobs)}
