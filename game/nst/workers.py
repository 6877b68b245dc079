"""The per-worker machinery behind game.nst.service.NSTService.

One worker process per engine (models.worker) with its two queues, and a pump thread that
moves its answers into a local inbox so NSTService.poll() never blocks; the Slot that holds an
engine's worker and waiting jobs; the status the service reports; and the sentence a crash
gives the player. Like nst_service, this module imports no TensorFlow, Keras or LiteRT.
"""
from __future__ import annotations

import logging
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from models.messages import ENGINE_DISPLAY, THREAD_DIED_EXIT, Job
from models.worker import WorkerConfig, run_worker

log = logging.getLogger(__name__)

# Once a worker's process has exited, its last answers may still be in the pipe: wait this
# long for the pump to bring them in before its job is declared lost.
EXIT_GRACE_S = 0.25
# A worker that dies this many times in a row before it is ready counts as broken: the jobs
# waiting for it fail, and it is retried after 2**n seconds (at most MAX_BACKOFF_S).
MAX_START_FAILURES = 3
MAX_BACKOFF_S = 60.0
PUMP_WAIT_S = 0.2          # how often a pump thread checks whether it should stop


@dataclass
class WorkerStatus:
    # "starting" | "ready" | "busy" | "restarting", and "stopped" before start() and after
    # shutdown(). The Paint scene's "machines at work" indicator reads this.
    state: str
    label: str | None = None        # the engine the worker really runs, once it said (Ready)
    restarts: int = 0               # how many times this engine's worker was replaced
    last_reason: str | None = None  # why the last restart happened, for the player
    queued: int = 0                 # jobs waiting behind the running one
    pid: int | None = None          # the worker's process id (logs, diagnostics)


@dataclass
class ServiceStats:
    jobs_sent: int = 0     # jobs handed to a worker
    cache_hits: int = 0    # jobs answered from the result cache, no worker involved
    dropped: int = 0       # answers for jobs nobody waits for any more (cancelled, abandoned)


def _pump(answers, inbox: queue.SimpleQueue, stop: threading.Event,
          clock: Callable[[], float]) -> None:
    """Thread: a worker's answers -> (time received, message) in the inbox poll() drains."""
    while not stop.is_set():
        try:
            message = answers.get(timeout=PUMP_WAIT_S)
        except queue.Empty:
            continue
        except (EOFError, OSError, ValueError):     # the queue was closed: nothing more
            return
        except Exception as error:                  # noqa: BLE001 - a garbled message
            log.warning("unreadable message from a worker: %s", error)
            continue
        inbox.put((clock(), message))


class _Worker:
    """One worker process, its two queues and the thread that pumps its answers."""

    def __init__(self, context, config: WorkerConfig, clock: Callable[[], float]):
        self.config = config
        self.jobs = context.Queue()
        self.jobs.cancel_join_thread()       # never wait at exit on a dead worker's pipe
        self.answers = context.Queue()
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.process = context.Process(target=run_worker, args=(config, self.jobs, self.answers),
                                       name=f"style-duel-{config.name}", daemon=True)
        self.started_at = clock()
        self.last_seen: float | None = None   # when it last said anything (our clock)
        self.ready = False                    # it sent Ready
        self.current: Job | None = None       # the job it was handed, until it answers
        self.sent_at: float | None = None     # when `current` was handed over (our clock)
        self.received = False                 # its inbox said Received for `current`
        self.loading_since: float | None = None   # a Loading began and has not ended
        self.loaded_at: float | None = None       # the last Loading ended
        self.ready_at: float | None = None    # when it said Ready
        self.dead_since: float | None = None  # when poll() first saw the process gone
        self._stop = threading.Event()
        self.process.start()
        self._pump = threading.Thread(
            target=_pump, args=(self.answers, self.inbox, self._stop, clock),
            name=f"{config.name}-pump", daemon=True)
        self._pump.start()

    def send(self, message) -> None:
        """Queue a message for the worker (pickled by the queue's own thread: no wait)."""
        try:
            self.jobs.put(message)
        except (ValueError, OSError) as error:       # closed: the worker is being replaced
            log.info("message to %s not sent: %s", self.config.name, error)

    def drain(self) -> list[tuple[float, object]]:
        """(time received, message) pairs that arrived since the last call."""
        messages = []
        while True:
            try:
                messages.append(self.inbox.get_nowait())
            except queue.Empty:
                return messages

    def retire(self) -> None:
        """Stop pumping and close our ends; the process must already be gone or going."""
        self._stop.set()
        self.jobs.close()


@dataclass
class _Slot:
    """One engine's place in the service: its worker (if any) and the jobs waiting for it."""
    engine: str
    worker: _Worker | None = None
    pending: deque = field(default_factory=deque)    # Jobs not yet handed to the worker
    label: str | None = None
    restarts: int = 0
    last_reason: str | None = None
    start_failures: int = 0           # deaths in a row before Ready
    # Jobs already handed back once after a worker never started them: a second time they
    # fail, so a job that itself breaks workers cannot loop for ever.
    requeued: set = field(default_factory=set)
    restart_at: float | None = None   # when a broken worker is tried again

    @property
    def display(self) -> str:
        return ENGINE_DISPLAY.get(self.engine, self.engine)


def crash_reason(engine: str, exitcode: int) -> str:
    """A sentence for the player about a worker that exited by itself."""
    name = ENGINE_DISPLAY.get(engine, engine)
    if exitcode == -signal.SIGKILL:
        return f"The {name} worker ran out of memory or was killed, and was restarted."
    if exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
        return f"The {name} worker crashed ({how}) and was restarted."
    if exitcode == 0:
        return f"The {name} worker quit unexpectedly and was restarted."
    if exitcode == THREAD_DIED_EXIT:
        return f"The {name} worker lost one of its threads and was restarted."
    return f"The {name} worker crashed (exit code {exitcode}) and was restarted."
