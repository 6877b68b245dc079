"""Warm machines: the NST workers start at launch and serve every round of the game.

Real worker processes throughout, driven by the real App loop (App.run, which starts them
once the title is on screen). Jobs run the workers' scripted "echo" (models.engines'
TestBehaviour) instead of an engine unless a test says otherwise, so a round finishes as
soon as its workers take it. Nothing here is timed: every wait is for an event, with a
safety cap that counts from the last sign of progress (SAFETY_S), as test_nst_service does.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Generator
from pathlib import Path

import pygame
import pytest

from game.app import App, AppOptions
from game.config import GameConfig
from game.launcher import build_services
from game.nst.machines import WARM_ENV, Machines, warm_start_enabled
from game.nst.service import NSTService
from game.paths import default_config_path
from game.round import Round
from game.scenes.title import TitleScene
from models.messages import TEST_BEHAVIOUR
from models.standins import STUDIO_LABEL, UNTRAINED_LABEL

pytestmark = pytest.mark.timeout(900)
ROOT = Path(__file__).resolve().parent.parent
SAFETY_S = 240.0      # a cap on waiting for the next sign of progress, not a timing
SHARED_ENV = "STYLE_DUEL_SHARED_MODELS"
HEAVY = ("tensorflow", "keras", "tf_keras", "tensorflow_hub", "ai_edge_litert")

Script = Generator[Callable[[], bool], None, None]


class EchoService(NSTService):
    """The real service and its real worker processes; each engine job runs the scripted
    "echo" (the photo comes straight back), so a round is done once its workers take it."""

    def submit(self, *args, **kwargs) -> str:
        kwargs["settings"] = {TEST_BEHAVIOUR: "echo"}
        return super().submit(*args, **kwargs)


@pytest.fixture
def launch(tmp_path):
    """launch(preload) -> the game as start-up builds it, on EchoService workers.

    preload=True: the workers load their engines before Ready, as the game's do (here the
    offline stand-ins: no model files in tmp_path/models; the Gatys one loads TensorFlow).
    """
    apps = []

    def make(preload: bool = False, warm: bool = True) -> App:
        config = GameConfig()
        config.round.seconds = 30
        services = build_services(config, default_config_path(), [])
        services.machines = Machines(None, warm=warm, make_service=lambda: EchoService(
            None, heartbeat_s=0.2, preload=preload, models_dir=tmp_path / "models"))
        app = App(services, AppOptions(seed=1))       # the real clock: 60 frames a second
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.services.machines.close()      # whatever a failed test left running
    pygame.quit()


def play(app: App, script: Callable[[App], Script]) -> None:
    """Run the game from its title with `script` as a frame hook, until the script ends.

    The script yields conditions: each is waited for (checked once a step) before the
    script goes on. It fails when nothing changes for SAFETY_S (the workers' status, the
    scene on top, the condition met).
    """
    steps = script(app)
    state = {"until": next(steps), "error": None, "seen": None, "since": time.monotonic()}

    def hook(app: App) -> None:
        try:
            if state["until"]():
                state["until"] = next(steps)
        except StopIteration:
            app.quit()
            return
        except BaseException as error:            # noqa: BLE001 - re-raised after the run
            state["error"] = error
            app.quit()
            return
        now = time.monotonic()
        seen = (repr(app.services.machines.status()), app.stack.top.name)
        if seen != state["seen"]:
            state["seen"], state["since"] = seen, now
        elif now - state["since"] > SAFETY_S:
            state["error"] = AssertionError(f"nothing happened for {SAFETY_S:.0f} s: {seen}")
            app.quit()

    app.frame_hooks.append(hook)
    app.run(TitleScene(app))
    if state["error"] is not None:
        raise state["error"]


def statuses(app: App) -> dict:
    return app.services.machines.status()


def all_ready(app: App) -> bool:
    status = statuses(app)
    return bool(status) and all(s.state == "ready" for s in status.values())


def round_done(round_: Round) -> bool:
    return all(slot.status == "done" for slot in round_.slots.values())


def new_round(app: App) -> Round:
    """A round on a random pair, its jobs submitted as the setup screen's Start does."""
    content, style = app.services.catalogue.random_pair(app.rng)
    round_ = Round(content, style, app.config.round.seconds)
    images = app.services.images
    app.services.machines.start_round(round_, images.array(content), images.array(style),
                                      score=False)
    return round_


def key(code: int) -> None:
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0))


# -- launch ------------------------------------------------------------------------------------

def test_the_workers_started_at_launch_are_ready_before_any_start(launch):
    """Nobody leaves the title: the workers still start, load their engines and say Ready."""
    app = launch(preload=True)
    seen = {}

    def script(app: App) -> Script:
        yield lambda: all_ready(app)
        seen["status"] = statuses(app)
        seen["scene"] = app.stack.top.name
        seen["jobs_sent"] = app.services.machines.service.stats.jobs_sent

    play(app, script)
    assert seen["scene"] == "title"
    assert seen["jobs_sent"] == 0
    status = seen["status"]
    assert status["magenta"].label == STUDIO_LABEL          # loaded before anyone asked
    assert status["gatys"].label == UNTRAINED_LABEL
    assert all(s.pid and s.restarts == 0 for s in status.values())


def test_a_round_started_right_after_launch_waits_for_the_workers_and_completes(launch):
    """Title -> Play -> Start in the first frames: the jobs reach workers that are still
    loading, queue there, and the round gets both pictures (nothing is lost)."""
    app = launch(preload=True)
    seen = {}

    def script(app: App) -> Script:
        key(pygame.K_p)                                      # title -> setup
        yield lambda: app.stack.top.name == "setup"
        key(pygame.K_RETURN)                                 # Start
        yield lambda: app.stack.top.name == "paint"
        seen["at_start"] = {e: s.state for e, s in statuses(app).items()}
        round_ = app.stack.top.round
        yield lambda: round_done(round_)
        seen["slots"] = {e: (s.status, s.image is not None) for e, s in round_.slots.items()}
        seen["status"] = statuses(app)

    play(app, script)
    # The Gatys worker loads TensorFlow before its Ready: it cannot be ready this soon.
    assert seen["at_start"]["gatys"] != "ready", seen["at_start"]
    assert seen["slots"] == {"magenta": ("done", True), "gatys": ("done", True)}
    assert all(s.restarts == 0 for s in seen["status"].values())


# -- warm across rounds ----------------------------------------------------------------------

def test_the_same_workers_serve_round_after_round(launch):
    """A solo round, back to the title, a kiosk visitor's round, a party's two pairs at
    once: the worker processes that started at launch serve them all."""
    app = launch()
    pids = []

    def script(app: App) -> Script:
        machines = app.services.machines
        yield lambda: all_ready(app)
        pids.append({e: s.pid for e, s in statuses(app).items()})
        for pairs in (1, 1, 2):
            rounds = [new_round(app) for _ in range(pairs)]
            yield lambda: all(round_done(r) for r in rounds)
            for round_ in rounds:
                machines.abandon(round_)                     # the round is over and left
            yield lambda: all_ready(app)
            pids.append({e: s.pid for e, s in statuses(app).items()})
        pids.append({e: s.restarts for e, s in statuses(app).items()})

    play(app, script)
    first, *later, restarts = pids
    assert all(p == first for p in later), pids
    assert restarts == {"magenta": 0, "gatys": 0}


def test_a_killed_worker_comes_back_warm_and_the_next_round_completes(launch):
    """SIGKILL the Magenta worker between rounds: the keeper replaces it, the successor loads
    its engine before any job (warm again), and the next round gets both pictures."""
    app = launch(preload=True)
    seen = {}

    def script(app: App) -> Script:
        yield lambda: all_ready(app)
        before = statuses(app)
        seen["before"] = before
        jobs_sent = app.services.machines.service.stats.jobs_sent
        os.kill(before["magenta"].pid, signal.SIGKILL)
        yield lambda: (statuses(app)["magenta"].restarts == 1
                       and statuses(app)["magenta"].state == "ready")
        seen["after_restart"] = statuses(app)
        seen["jobs_sent_meanwhile"] = app.services.machines.service.stats.jobs_sent - jobs_sent
        round_ = new_round(app)
        yield lambda: round_done(round_)
        seen["slots"] = {e: s.status for e, s in round_.slots.items()}

    play(app, script)
    before, after = seen["before"], seen["after_restart"]
    assert after["magenta"].pid != before["magenta"].pid
    assert after["magenta"].label == STUDIO_LABEL            # its engine loaded, unasked
    assert seen["jobs_sent_meanwhile"] == 0
    assert "killed" in after["magenta"].last_reason
    assert after["gatys"].pid == before["gatys"].pid and after["gatys"].restarts == 0
    assert seen["slots"] == {"magenta": "done", "gatys": "done"}


# -- the Magenta worker's score model waits for an idle moment ---------------------------------

def test_the_score_model_loads_after_the_first_picture_not_before(tmp_path):
    """The scoring worker's first job is answered before the score's encoder (TensorFlow)
    loads; the encoder then loads by itself while the worker is idle, and scores."""
    import multiprocessing
    import queue

    import numpy as np

    from models.messages import (Heartbeat, Job, Loading, Ready, Result, ScoreJob,
                                 ScoreResult, Shutdown)
    from models.worker import WorkerConfig, run_worker

    context = multiprocessing.get_context("spawn")
    jobs, answers = context.Queue(), context.Queue()
    jobs.cancel_join_thread()
    config = WorkerConfig("magenta", str(tmp_path / "no-models"), preload=True,
                          heartbeat_s=0.2, scorer=True)
    process = context.Process(target=run_worker, args=(config, jobs, answers), daemon=True)
    process.start()
    picture = np.random.default_rng(5).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    seen: list = []              # every answer but heartbeats, in order

    def until(test) -> int:
        """The index in `seen` of the first answer passing test (waits for it)."""
        last = time.monotonic()
        while True:
            found = [i for i, m in enumerate(seen) if test(i, m)]
            if found:
                return found[0]
            try:
                message = answers.get(timeout=0.5)
            except queue.Empty:
                message = None
            if message is not None and not isinstance(message, Heartbeat):
                seen.append(message)
                last = time.monotonic()
            elif not process.is_alive() or time.monotonic() - last > SAFETY_S:
                pytest.fail(f"no such answer: {[type(m).__name__ for m in seen]}")

    def loads() -> list[int]:
        return [i for i, m in enumerate(seen) if isinstance(m, Loading) and not m.done]

    try:
        jobs.put(Job("first", "r", "magenta", picture, [(picture, 1.0)],
                     settings={TEST_BEHAVIOUR: "echo"}))        # at once: still loading
        result = until(lambda i, m: isinstance(m, Result))
        ready = until(lambda i, m: isinstance(m, Ready))
        assert seen[ready].engine_label == STUDIO_LABEL
        assert loads() == [loads()[0]] and loads()[0] < ready   # the engine's load only
        # Idle now: the encoder loads by itself, after the picture.
        until(lambda i, m: isinstance(m, Loading) and m.done and i > result)
        assert len(loads()) == 2 and loads()[1] > result
        jobs.put(ScoreJob("score", "r", {"painting": picture, "magenta": picture}))
        scored = until(lambda i, m: isinstance(m, ScoreResult))
        assert seen[scored].scores["painting~magenta"] == 10.0
        assert len(loads()) == 2                                 # loaded once
        jobs.put(Shutdown())
        process.join(SAFETY_S)
        assert process.exitcode == 0
    finally:
        if process.is_alive():
            process.kill()


# -- the switch --------------------------------------------------------------------------------

def test_warm_start_can_be_turned_off_and_the_setup_screen_starts_the_workers(launch):
    app = launch(warm=False)
    seen = {}

    def script(app: App) -> Script:
        frames = app.frames + 30
        yield lambda: app.frames >= frames                  # half a second on the title
        seen["on_title"] = statuses(app)
        key(pygame.K_p)
        yield lambda: app.stack.top.name == "setup"
        yield lambda: all_ready(app)

    play(app, script)
    assert seen["on_title"] == {}


def test_the_switch_reads_the_environment():
    assert warm_start_enabled({}) is True
    assert warm_start_enabled({WARM_ENV: "1"}) is True
    for off in ("0", "false", "No", " off "):
        assert warm_start_enabled({WARM_ENV: off}) is False


# -- the real launch, end to end -------------------------------------------------------------

LAUNCH_SCRIPT = textwrap.dedent("""
    import json, sys, time
    from game.config import GameConfig
    from game.launcher import run_game

    HEAVY = %r
    SAFETY_S = %r
    seen = {"last": None, "since": time.monotonic()}

    def director(app):
        status = app.services.machines.status()
        now = time.monotonic()
        if repr(status) != seen["last"]:
            seen["last"], seen["since"] = repr(status), now
        ready = status and all(s.state == "ready" for s in status.values())
        if ready or now - seen["since"] > SAFETY_S:
            service = app.services.machines._service
            print("REPORT " + json.dumps({
                "ready": bool(ready), "scene": app.stack.top.name,
                "labels": {e: s.label for e, s in status.items()},
                "jobs_sent": service.stats.jobs_sent if service else None,
                "heavy": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)}),
                flush=True)
            app.quit()

    if __name__ == "__main__":
        sys.exit(run_game(GameConfig(), None, [], director=director))
""")


def test_the_game_warms_its_machines_at_launch_and_never_imports_tensorflow(tmp_path):
    """The game itself (launcher, App, Services, the default NSTService): on the title, with
    nothing pressed, both workers load their engines (real models when this machine has
    them) and say Ready, and TensorFlow stays in them."""
    shared = os.environ.get(SHARED_ENV)
    models = shared if shared and Path(shared).is_dir() else str(tmp_path / "no-models")
    script = tmp_path / "launch.py"
    script.write_text(LAUNCH_SCRIPT % (HEAVY, SAFETY_S), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy", "STYLE_DUEL_MODELS": models,
           "STYLE_DUEL_HOME": str(tmp_path / "home")}
    env.pop(WARM_ENV, None)
    run = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=800)
    assert run.returncode == 0, run.stderr[-3000:]
    line = next(line for line in run.stdout.splitlines() if line.startswith("REPORT "))
    report = json.loads(line[len("REPORT "):])
    assert report["ready"], report
    assert report["scene"] == "title" and report["jobs_sent"] == 0
    assert all(report["labels"].values()), report          # each said which engine it runs
    assert report["heavy"] == []
