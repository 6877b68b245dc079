"""The NST service with real spawned workers: answers, crashes, hangs, cancels, the cache.

Workers run scripted test behaviours (Job.settings["test_behaviour"]) unless a test says
otherwise, so most of this file needs no TensorFlow. Every wait is a safety net against a
stuck process (pytest.fail after SAFETY_S), never an assertion about speed.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from game.nst.service import NSTService, crash_reason
from game.nst.result_cache import (FROM_CACHE_NOTE, ResultCache, models_fingerprint,
                               result_key)
from models.engines import TEST_LABEL
from models.messages import (MAX_SNAPSHOTS, SNAPSHOT_SIDE, TEST_BEHAVIOUR, Failed, Job,
                             Progress, Result)
from models.standins import STUDIO_LABEL, UNTRAINED_LABEL

# A whole test's cap: TensorFlow's import in two workers at once on a loaded 2-core machine
# takes minutes; run_frames fails sooner if nothing at all happens.
pytestmark = pytest.mark.timeout(900)
ROOT = Path(__file__).resolve().parent.parent
SAFETY_S = 240.0     # a cap on waiting, not a timing: a loaded CI core is slow
SHARED_ENV = "STYLE_DUEL_SHARED_MODELS"


def pictures(h: int = 30, w: int = 40, seed: int = 3):
    rng = np.random.default_rng(seed)
    content = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    style = rng.integers(0, 256, (24, 24, 3), dtype=np.uint8)
    return content, style


def behaviour(name: str, **settings) -> dict:
    return {TEST_BEHAVIOUR: name, **settings}


def answered(job_id: str):
    """until(): the job's final answer (Result or Failed) has arrived."""
    return lambda messages: any(isinstance(m, (Result, Failed)) and m.job_id == job_id
                                for m in messages)


def final(messages, job_id: str):
    found = [m for m in messages if isinstance(m, (Result, Failed)) and m.job_id == job_id]
    assert len(found) == 1, f"expected one answer for {job_id}, got {found}"
    return found[0]


def run_frames(service: NSTService, until, messages: list | None = None) -> list:
    """Poll like the game's frame loop until `until(messages)`; returns every message.

    Waits for events, not against the clock: the safety cap counts from the last sign of
    progress (a message, a worker changing state), so a loaded machine that is slow but
    moving never fails, and a stuck one fails after SAFETY_S of nothing.
    """
    messages = [] if messages is None else messages
    last_change = time.monotonic()
    seen = (len(messages), service.status())
    while not until(messages):
        now = time.monotonic()
        if (len(messages), service.status()) != seen:
            seen, last_change = (len(messages), service.status()), now
        if now - last_change > SAFETY_S:
            pytest.fail(f"nothing happened for {SAFETY_S:.0f} s: "
                        f"{[type(m).__name__ for m in messages]}, status {service.status()}")
        messages += service.poll()
        time.sleep(0.01)
    return messages


@pytest.fixture
def make_service(tmp_path):
    """Services with quick heartbeats and no preloaded engine; all shut down afterwards."""
    services = []

    def make(cache_dir: Path | None = None, **options) -> NSTService:
        settings = dict(heartbeat_s=0.2, preload=False, models_dir=tmp_path / "models")
        settings.update(options)
        service = NSTService(cache_dir, **settings)
        services.append(service)
        return service

    yield make
    for service in services:
        service.shutdown(timeout=5.0)


# -- answers --------------------------------------------------------------------------------

def test_echo_job_returns_its_image_under_its_id(make_service):
    service = make_service()
    assert {s.state for s in service.status().values()} == {"stopped"}
    service.start()
    content, style = pictures()
    job_id = service.submit("round-1", "magenta", content, [(style, 1.0)],
                            settings=behaviour("echo"))
    messages = run_frames(service, answered(job_id))
    result = final(messages, job_id)
    assert isinstance(result, Result) and result.engine == "magenta"
    assert result.label == TEST_LABEL
    np.testing.assert_array_equal(result.image, content)
    assert all(m.job_id == job_id for m in messages)
    assert any(isinstance(m, Progress) and m.preview is not None for m in messages)
    assert service.status()["magenta"].state == "ready"
    assert service.live_jobs() == []


def test_jobs_for_one_engine_run_one_after_another(make_service):
    service = make_service(engines=("gatys",))
    service.start()
    content, style = pictures()
    first = service.submit("r", "gatys", content, [(style, 1.0)],
                           settings=behaviour("slow", seconds=0.5))
    second = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    assert service.status()["gatys"].queued == 1           # waits here, not in the worker
    messages = run_frames(service, answered(second))
    order = [m.job_id for m in messages if isinstance(m, (Result, Failed))]
    assert order == [first, second]
    assert service.stats.jobs_sent == 2


def test_status_is_busy_while_a_job_runs(make_service):
    service = make_service(engines=("gatys",))
    service.start()
    content, style = pictures()
    job_id = service.submit("r", "gatys", content, [(style, 1.0)],
                            settings=behaviour("slow", seconds=600))
    run_frames(service, lambda ms: any(isinstance(m, Progress) for m in ms))
    assert service.status()["gatys"].state == "busy"
    service.cancel(job_id)


def test_engine_error_is_failed_and_the_worker_is_kept(make_service):
    service = make_service(engines=("magenta",))
    service.start()
    content, style = pictures()
    bad = service.submit("r", "magenta", content, [(style, 1.0)],
                         settings=behaviour("raise", message="no paint left"))
    answer = final(run_frames(service, answered(bad)), bad)
    assert isinstance(answer, Failed)
    assert answer.reason == "The Magenta engine failed: RuntimeError: no paint left"
    assert service.status()["magenta"].restarts == 0


# -- crashes and hangs ----------------------------------------------------------------------

@pytest.mark.parametrize("name, settings, reason", [
    ("crash", {"exit_code": 3}, "The Gatys worker crashed (exit code 3) and was restarted."),
    ("killed", {}, "The Gatys worker ran out of memory or was killed, and was restarted."),
])
def test_crashed_worker_fails_its_job_and_is_replaced(make_service, name, settings, reason):
    service = make_service(engines=("gatys",))
    service.start()
    first_pid = service.status()["gatys"].pid
    content, style = pictures()
    doomed = service.submit("r", "gatys", content, [(style, 1.0)],
                            settings=behaviour(name, **settings))
    answer = final(run_frames(service, answered(doomed)), doomed)
    assert isinstance(answer, Failed) and answer.engine == "gatys"
    assert answer.reason == reason
    status = service.status()["gatys"]
    assert status.restarts == 1 and status.last_reason == reason
    assert status.pid not in (None, first_pid)
    after = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    assert isinstance(final(run_frames(service, answered(after)), after), Result)


def test_hung_worker_is_killed_after_the_heartbeat_timeout_and_replaced(make_service):
    service = make_service(engines=("gatys",), heartbeat_timeout_s=3.0)
    service.start()
    content, style = pictures()
    stuck = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("hang"))
    answer = final(run_frames(service, answered(stuck)), stuck)
    assert isinstance(answer, Failed)
    assert answer.reason == "The Gatys worker stopped answering and was restarted."
    assert service.status()["gatys"].restarts == 1
    after = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    assert isinstance(final(run_frames(service, answered(after)), after), Result)


def test_a_worker_that_never_gets_ready_fails_its_jobs_instead_of_keeping_them(make_service):
    # Gatys preloads TensorFlow (seconds), and a zero start-up allowance runs out at once:
    # every new worker is killed before it is ready, until the engine counts as broken.
    service = make_service(engines=("gatys",), preload=True, startup_timeout_s=0.0)
    service.start()
    content, style = pictures()
    job_id = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    answer = final(run_frames(service, answered(job_id)), job_id)
    assert isinstance(answer, Failed)
    assert answer.reason.startswith("The Gatys worker keeps failing to start")
    status = service.status()["gatys"]
    assert status.restarts == 3 and status.state == "restarting"


def test_crash_reasons_read_well():
    assert (crash_reason("magenta", -11)
            == "The Magenta worker crashed (SIGSEGV) and was restarted.")
    assert "quit unexpectedly" in crash_reason("gatys", 0)


# -- cancelling -----------------------------------------------------------------------------

def test_cancelled_job_delivers_nothing_and_frees_the_worker(make_service):
    service = make_service(engines=("gatys",))
    service.start()
    content, style = pictures()
    slow = service.submit("r", "gatys", content, [(style, 1.0)],
                          settings=behaviour("slow", seconds=600))
    run_frames(service, lambda ms: any(isinstance(m, Progress) for m in ms))
    assert service.cancel(slow) is True
    after = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    messages = run_frames(service, answered(after))      # only possible once slow stopped
    assert all(m.job_id == after for m in messages)
    assert service.stats.dropped >= 1                     # the cancelled job's answer
    assert service.cancel(slow) is False


def test_cancelling_a_waiting_job_never_sends_it(make_service):
    service = make_service(engines=("gatys",))
    service.start()
    content, style = pictures()
    first = service.submit("r", "gatys", content, [(style, 1.0)],
                           settings=behaviour("slow", seconds=0.3))
    waiting = service.submit("r", "gatys", content, [(style, 1.0)],
                             settings=behaviour("crash"))
    service.cancel(waiting)
    messages = run_frames(service, answered(first))
    assert isinstance(final(messages, first), Result)
    assert service.stats.jobs_sent == 1 and service.status()["gatys"].restarts == 0


def test_cancel_round_drops_a_late_result(make_service):
    service = make_service(engines=("gatys",))
    service.start()
    content, style = pictures()
    # A job that finishes anyway, as if its Cancel arrived too late.
    late = service.submit("old-round", "gatys", content, [(style, 1.0)],
                          settings=behaviour("slow", seconds=1.0, ignore_cancel=True))
    run_frames(service, lambda ms: any(isinstance(m, Progress) for m in ms))
    assert service.cancel_round("old-round") == [late]
    new = service.submit("new-round", "gatys", content, [(style, 1.0)],
                         settings=behaviour("echo"))
    messages = run_frames(service, answered(new))
    assert all(m.job_id == new for m in messages)
    assert service.stats.dropped >= 1


# -- the result cache -----------------------------------------------------------------------

def test_cache_hit_is_answered_without_any_worker(make_service, tmp_path):
    cache_dir = tmp_path / "nst-cache"
    content, style = pictures()
    first = make_service(cache_dir, engines=("magenta",))
    first.start()
    job_id = first.submit("r1", "magenta", content, [(style, 1.0)], settings=behaviour("echo"))
    original = final(run_frames(first, answered(job_id)), job_id)
    first.shutdown()                          # finishes the cache write (a thread's job)
    assert len(list(cache_dir.glob("*.png"))) == 1 and len(list(cache_dir.glob("*.json"))) == 1

    second = make_service(cache_dir, engines=("magenta",))     # never started: no worker
    again = second.submit("r2", "magenta", content, [(style, 1.0)], settings=behaviour("echo"))
    messages = second.poll()
    assert [type(m) for m in messages] == [Result]
    hit = messages[0]
    assert hit.job_id == again and hit.label == original.label
    np.testing.assert_array_equal(hit.image, original.image)
    assert FROM_CACHE_NOTE in hit.notes
    assert second.stats.cache_hits == 1 and second.stats.jobs_sent == 0
    assert second.status()["magenta"].state == "stopped"
    other = second.submit("r2", "magenta", content, [(style, 0.5), (content, 0.5)],
                          settings=behaviour("echo"))
    assert second.poll() == [] and second.live_jobs() == [other]   # a miss waits for a worker


def test_cancelled_cache_hit_is_not_delivered(tmp_path, make_service):
    content, style = pictures()
    job = Job("j", "r", "magenta", content, [(style, 1.0)], settings=behaviour("echo"))
    service = make_service(tmp_path / "cache", engines=("magenta",))
    key = result_key(job, models_fingerprint(service.models_dir, "magenta"))
    ResultCache(tmp_path / "cache").put(key, Result("j", "magenta", "x", content, 1.0, 1, True))
    job_id = service.submit("r", "magenta", content, [(style, 1.0)], settings=behaviour("echo"))
    assert service.cancel_round("r") == [job_id]
    assert service.poll() == []


def test_result_key_changes_with_what_changes_the_picture(tmp_path):
    content, style = pictures()
    base = Job("a", "r", "gatys", content, [(style, 1.0)], budget_s=30.0)
    key = result_key(base, "models")
    same = Job("b", "other round", "gatys", content.copy(), [(style.copy(), 1.0)], budget_s=30.0)
    assert result_key(same, "models") == key
    changed = [
        Job("a", "r", "magenta", content, [(style, 1.0)], budget_s=30.0),
        Job("a", "r", "gatys", content[::-1], [(style, 1.0)], budget_s=30.0),
        Job("a", "r", "gatys", content, [(style, 0.5)], budget_s=30.0),
        Job("a", "r", "gatys", content, [(style, 1.0)], budget_s=60.0),
        Job("a", "r", "gatys", content, [(style, 1.0)], strength=0.5, budget_s=30.0),
        Job("a", "r", "gatys", content, [(style, 1.0)], budget_s=30.0, settings={"size": 64}),
    ]
    keys = {result_key(job, "models") for job in changed} | {result_key(base, "new models")}
    assert key not in keys and len(keys) == len(changed) + 1
    # Magenta's single pass ignores the budget, so its results serve any round length.
    magenta = [Job("a", "r", "magenta", content, [(style, 1.0)], budget_s=b) for b in (30, 90)]
    assert result_key(magenta[0], "m") == result_key(magenta[1], "m")


def test_models_fingerprint_sees_a_newly_installed_model(tmp_path):
    before = models_fingerprint(tmp_path, "gatys")
    assert models_fingerprint(tmp_path, "magenta") == before     # nothing installed for either
    (tmp_path / "vgg19_blocks1-3_notop.h5").write_bytes(b"weights")
    assert models_fingerprint(tmp_path, "gatys") != before
    assert models_fingerprint(tmp_path, "magenta") == before     # not a Magenta file


def test_damaged_cache_entry_is_a_miss(tmp_path):
    cache = ResultCache(tmp_path)
    image = np.zeros((4, 6, 3), np.uint8)
    assert cache.put("k", Result("j", "magenta", "label", image, 1.0, 1, False, ["n"], "s"))
    assert cache.get("k", "new").image.shape == (4, 6, 3)
    (tmp_path / "k.png").write_bytes(b"not a png")
    assert cache.get("k", "new") is None
    assert cache.get("missing", "new") is None
    assert not list(tmp_path.glob(".partial-*"))


def test_cache_keeps_only_the_most_recent_entries(tmp_path):
    cache = ResultCache(tmp_path, max_entries=2)
    image = np.zeros((2, 2, 3), np.uint8)
    for key in ("a", "b", "c"):
        cache.put(key, Result(key, "magenta", "l", image, 1.0, 1, False))
        os.utime(tmp_path / f"{key}.json", ns=(0, {"a": 1, "b": 2, "c": 3}[key] * 10**9))
    cache._prune()
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == ["b", "c"]
    assert not (tmp_path / "a.png").exists()



# -- Gatys's reel (the duel replay) ---------------------------------------------------------

def reel_result(image: np.ndarray, count: int = 5) -> Result:
    """A Gatys Result with a reel of `count` snapshots of different sizes and colours."""
    from models.messages import Snapshot

    rng = np.random.default_rng(count)
    snaps = [Snapshot(0.9 * i, 3 * i, rng.integers(0, 256, (40 + i, 60 - i, 3), np.uint8))
             for i in range(count)]
    return Result("j", "gatys", "Gatys", image, 9.0, 30, False, ["n"], "s", snapshots=snaps)


def test_gatys_result_carries_snapshots(make_service):
    from game.nst.machines import apply_message
    from game.round import EngineSlot

    content, style = pictures()
    service = make_service(engines=("gatys",))
    service.start()
    job_id = service.submit("r", "gatys", content, [(style, 1.0)],
                            settings=behaviour("slow", seconds=1.0, step=0.1))
    result = final(run_frames(service, answered(job_id)), job_id)
    assert isinstance(result, Result) and 2 <= len(result.snapshots) <= MAX_SNAPSHOTS
    seconds = [s.seconds for s in result.snapshots]
    assert seconds == sorted(seconds) and seconds[-1] <= result.seconds
    assert all(max(s.image.shape[:2]) <= SNAPSHOT_SIDE for s in result.snapshots)
    np.testing.assert_array_equal(result.snapshots[-1].image, content)   # ends on the picture
    assert result.snapshots[0].image.mean() < content.mean()            # forming from black
    slot = EngineSlot("gatys", "Gatys")
    apply_message(slot, result)
    assert slot.snapshots == result.snapshots


def test_cached_result_keeps_its_snapshots(make_service, tmp_path):
    from game.nst.machines import apply_message
    from game.round import EngineSlot

    cache_dir = tmp_path / "nst-cache"
    content, style = pictures()
    first = make_service(cache_dir, engines=("gatys",))
    first.start()
    settings = behaviour("slow", seconds=1.0, step=0.1)
    job_id = first.submit("r1", "gatys", content, [(style, 1.0)], settings=settings)
    made = final(run_frames(first, answered(job_id)), job_id)
    first.shutdown()                          # finishes the cache write
    assert len(list(cache_dir.glob("*.reel.jpg"))) == 1

    second = make_service(cache_dir, engines=("gatys",))      # never started: no worker
    second.submit("r2", "gatys", content, [(style, 1.0)], settings=settings)
    [hit] = second.poll()
    assert FROM_CACHE_NOTE in hit.notes and second.stats.jobs_sent == 0
    assert [(s.seconds, s.iteration) for s in hit.snapshots] == \
        [(s.seconds, s.iteration) for s in made.snapshots]
    for kept, stored in zip(made.snapshots, hit.snapshots):      # JPEG: close, not equal
        assert stored.image.shape == kept.image.shape
        assert abs(float(stored.image.mean()) - float(kept.image.mean())) < 2
    slot = EngineSlot("gatys", "Gatys")
    apply_message(slot, hit)                  # a pair revealed from the cache replays too
    assert len(slot.snapshots) == len(made.snapshots)


def test_reel_is_written_before_the_commit_mark_and_read_back(tmp_path):
    cache = ResultCache(tmp_path)
    written = reel_result(np.zeros((30, 40, 3), np.uint8))
    assert cache.put("k", written)
    reel, meta = tmp_path / "k.reel.jpg", tmp_path / "k.json"
    assert reel.stat().st_mtime_ns <= meta.stat().st_mtime_ns
    assert len(json.loads(meta.read_text())["reel"]) == 5
    back = cache.get("k", "new").snapshots
    assert [s.image.shape for s in back] == [s.image.shape for s in written.snapshots]
    assert [s.seconds for s in back] == [s.seconds for s in written.snapshots]


def test_old_cache_entry_has_none(tmp_path, caplog):
    cache = ResultCache(tmp_path)
    image = np.full((30, 40, 3), 9, np.uint8)
    assert cache.put("old", Result("j", "gatys", "Gatys", image, 9.0, 30, False))
    assert not (tmp_path / "old.reel.jpg").exists()
    assert "reel" not in json.loads((tmp_path / "old.json").read_text())
    old = cache.get("old", "new")
    assert old.snapshots == [] and (old.image == 9).all()
    # A reel lost or damaged costs only the reel: the picture is still served, and said.
    assert cache.put("lost", reel_result(image)) and cache.put("bad", reel_result(image))
    (tmp_path / "lost.reel.jpg").unlink()
    (tmp_path / "bad.reel.jpg").write_bytes(b"\xff\xd8 not a jpeg")
    meta = json.loads((tmp_path / "bad.json").read_text())
    for key in ("lost", "bad"):
        with caplog.at_level("WARNING", logger="game.nst.result_cache"):
            hit = cache.get(key, "new")
        assert hit.snapshots == [] and (hit.image == 9).all()
    assert sum("reel" in r.message for r in caplog.records) == 2
    meta["reel"][0][2] = SNAPSHOT_SIDE * 4                    # a layout bigger than a reel
    (tmp_path / "bad.json").write_text(json.dumps(meta))
    assert cache.get("bad", "new").snapshots == []


def test_pruning_drops_the_reel_with_its_entry(tmp_path):
    cache = ResultCache(tmp_path, max_entries=1)
    image = np.zeros((30, 40, 3), np.uint8)
    for n, key in enumerate(("a", "b")):
        cache.put(key, reel_result(image))
        os.utime(tmp_path / f"{key}.json", ns=(0, (n + 1) * 10**9))
    cache._prune()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "b.png", "b.reel.jpg"]


# -- arguments ------------------------------------------------------------------------------

def test_malformed_jobs_are_refused_at_once(make_service):
    service = make_service()
    content, style = pictures()
    with pytest.raises(ValueError, match="engine"):
        service.submit("r", "picasso", content, [(style, 1.0)])
    with pytest.raises(ValueError, match="uint8"):
        service.submit("r", "magenta", content.astype(np.float32), [(style, 1.0)])
    with pytest.raises(ValueError, match="style"):
        service.submit("r", "magenta", content, [])
    with pytest.raises(ValueError, match="weights"):
        service.submit("r", "magenta", content, [(style, -1.0)])
    assert service.live_jobs() == []


def test_shutdown_ends_even_a_hung_worker(make_service):
    service = make_service(engines=("gatys",))
    service.start()
    content, style = pictures()
    service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("hang"))
    run_frames(service, lambda ms: any(isinstance(m, Progress) for m in ms))
    process = psutil.Process(service.status()["gatys"].pid)
    service.shutdown(timeout=0.5)
    assert not process.is_running()
    assert service.status()["gatys"].state == "stopped" and service.live_jobs() == []


# -- TensorFlow stays in the workers --------------------------------------------------------

NO_TF_SCRIPT = textwrap.dedent("""
    import sys, time
    import numpy as np
    from game.nst.service import NSTService
    from models.messages import Result

    HEAVY = ("tensorflow", "keras", "tf_keras", "tensorflow_hub", "ai_edge_litert")

    if __name__ == "__main__":
        content = np.zeros((16, 20, 3), np.uint8)
        with NSTService(None) as service:       # preload: the workers load their engines
            service.start()
            jobs = {service.submit("r", engine, content, [(content, 1.0)],
                                   settings={"test_behaviour": "echo"})
                    for engine in ("magenta", "gatys")}
            # Waits for events: the cap counts from the last change, as run_frames does.
            done, labels, last, seen = set(), {}, time.monotonic(), None
            while (done != jobs or None in labels.values()) and time.monotonic() - last < 240:
                done |= {m.job_id for m in service.poll() if isinstance(m, Result)}
                labels = {k: s.label for k, s in service.status().items()}
                if (len(done), service.status()) != seen:
                    seen, last = (len(done), service.status()), time.monotonic()
                time.sleep(0.02)
        print("LABELS", labels)
        print("DONE", done == jobs)
        print("HEAVY", sorted(m for m in sys.modules if m.split(".")[0] in HEAVY))
""")


def test_the_game_process_never_imports_tensorflow(tmp_path):
    script = tmp_path / "no_tf.py"
    script.write_text(NO_TF_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STYLE_DUEL_MODELS": str(tmp_path / "none")}
    run = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, text=True,
                         capture_output=True, timeout=800)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines() if " " in line)
    assert lines["DONE"] == "True"
    # The Gatys worker did load TensorFlow (its untrained stand-in runs on it) ...
    assert UNTRAINED_LABEL in lines["LABELS"] and STUDIO_LABEL in lines["LABELS"]
    # ... and none of it reached the game's process.
    assert lines["HEAVY"] == "[]"


# -- real engines, end to end ---------------------------------------------------------------

def run_both_engines(service: NSTService):
    content, style = pictures(36, 52)
    service.start()
    magenta = service.submit("r", "magenta", content, [(style, 1.0)])
    # Tiny and quick: 40 px, a few seconds, a preview with every iteration's progress.
    gatys = service.submit("r", "gatys", content, [(style, 1.0)], budget_s=4.0,
                           settings={"size": 40, "preview_seconds": 0.0,
                                     "max_iterations": 30})
    messages = run_frames(service, lambda ms: answered(magenta)(ms) and answered(gatys)(ms))
    results = {job: final(messages, job) for job in (magenta, gatys)}
    for job, result in results.items():
        assert isinstance(result, Result), result
        assert result.image.shape == content.shape and result.image.dtype == np.uint8
        assert result.image.std() > 1                      # a picture, not a blank
    previews = [m.preview for m in messages
                if isinstance(m, Progress) and m.job_id == gatys and m.preview is not None]
    assert previews and all(p.dtype == np.uint8 and p.ndim == 3 for p in previews)
    # Gatys's reel: every preview and the picture, thinned to the cap; Magenta has none.
    reel = results[gatys].snapshots
    assert min(len(previews) + 1, MAX_SNAPSHOTS // 2) <= len(reel) <= MAX_SNAPSHOTS
    assert (reel[-1].image == results[gatys].image).all() and not results[magenta].snapshots
    assert results[gatys].iterations >= 1 and results[gatys].settings_text
    return results[magenta], results[gatys]


def test_offline_stand_ins_end_to_end(make_service, tmp_path):
    pytest.importorskip("models.gatys", reason="the Gatys engine (models/gatys.py) is not "
                                               "importable yet")
    service = make_service(preload=True, models_dir=tmp_path / "no-models")
    magenta, gatys = run_both_engines(service)
    assert magenta.label == STUDIO_LABEL and gatys.label == UNTRAINED_LABEL
    assert service.status()["gatys"].label == UNTRAINED_LABEL


def test_real_models_end_to_end(make_service):
    shared = os.environ.get(SHARED_ENV)
    if not shared:
        pytest.skip(f"real model files not available (set {SHARED_ENV}; .ci/run does)")
    if importlib.util.find_spec("ai_edge_litert") is None:
        pytest.skip("ai-edge-litert is not installed")
    pytest.importorskip("models.gatys", reason="models/gatys.py is not importable yet")
    service = make_service(preload=True, models_dir=Path(shared))
    magenta, gatys = run_both_engines(service)
    assert magenta.label.startswith("Magenta (TFLite")
    assert gatys.label == "Gatys VGG-19 blocks 1–3"


# -- scoring ----------------------------------------------------------------------------------

def score_answered(job_id: str):
    from models.messages import ScoreResult
    return lambda messages: any(isinstance(m, (ScoreResult, Failed)) and m.job_id == job_id
                                for m in messages)


def test_score_job_is_answered_by_the_magenta_worker(make_service):
    from models.messages import ScoreResult
    service = make_service(engines=("magenta",))
    service.start()
    content, _ = pictures(60, 80)
    job_id = service.submit_score("round-s", {"painting": content, "magenta": content,
                                              "gatys": 255 - content})
    messages = run_frames(service, score_answered(job_id))
    answer = [m for m in messages if m.job_id == job_id][-1]
    assert isinstance(answer, ScoreResult), answer
    assert answer.scores["painting~magenta"] == 10.0
    assert set(answer.scores) == {"painting~magenta", "painting~gatys", "magenta~gatys"}
    assert service.live_jobs() == []


def test_score_job_without_weights_fails_with_a_sentence(make_service, tmp_path):
    service = make_service(engines=("magenta",), score_dir=tmp_path / "nothing")
    service.start()
    content, _ = pictures()
    job_id = service.submit_score("round-s", {"painting": content, "magenta": content})
    answer = [m for m in run_frames(service, score_answered(job_id)) if m.job_id == job_id][-1]
    assert isinstance(answer, Failed)
    assert "No score this round" in answer.reason and "missing" in answer.reason


def test_score_job_without_a_scoring_worker_fails_at_once(make_service):
    service = make_service(engines=("gatys",))
    content, _ = pictures()
    job_id = service.submit_score("round-s", {"painting": content})
    answers = service.poll()
    assert len(answers) == 1 and isinstance(answers[0], Failed)
    assert answers[0].job_id == job_id and "not running" in answers[0].reason


# -- a worker that beats but does not work ---------------------------------------------------

def fails_then_recovers(service: NSTService, settings: dict, reason: str) -> None:
    """The job fails with `reason`, and the next job gets a picture from a new worker."""
    content, style = pictures()
    doomed = service.submit("r", "gatys", content, [(style, 1.0)], settings=settings)
    answer = final(run_frames(service, answered(doomed)), doomed)
    assert isinstance(answer, Failed) and answer.reason == reason
    after = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    assert isinstance(final(run_frames(service, answered(after)), after), Result)


def test_a_worker_whose_inbox_thread_dies_is_restarted_and_its_job_fails(make_service):
    from tests.worker_probe import BreaksOnUnpickle
    service = make_service(engines=("gatys",))
    service.start()
    # Ready first: a worker that dies before it is ready gets its job back, not a failure.
    run_frames(service, lambda _: service.status()["gatys"].state == "ready")
    fails_then_recovers(service, behaviour("echo", poison=BreaksOnUnpickle()),
                        "The Gatys worker lost one of its threads and was restarted.")
    assert service.status()["gatys"].restarts >= 1


def test_a_worker_that_beats_but_never_takes_its_job_is_replaced(make_service):
    """Its inbox is stuck (here: unpickling never ends) while the heartbeat goes on: the
    service restarts it, gives the job one more worker, then says why there is no picture."""
    from tests.worker_probe import StallsOnUnpickle
    service = make_service(engines=("gatys",), job_start_timeout_s=10.0)
    service.start()
    fails_then_recovers(service, behaviour("echo", stall=StallsOnUnpickle()),
                        "The Gatys worker stopped taking jobs and was restarted.")
    assert service.status()["gatys"].restarts == 2          # the job was tried twice


def test_engine_errors_reach_the_player_as_one_clean_line():
    from models.reasons import one_line
    raw = RuntimeError("\x1b[1;31mGraph execution error:\x1b[0m\n\nDetected at node conv\n"
                       "  File \"x.py\", line 3\n" + "x" * 400)
    line = one_line(raw)
    assert line == "RuntimeError: Graph execution error:"
    assert "\n" not in one_line("a\nb") and one_line("") == "unknown error"
    long = one_line(ValueError("y" * 1000))
    assert len(long) == 160 and long.endswith("…")


def test_silence_while_a_worker_loads_its_engine_is_not_a_hang(make_service, monkeypatch):
    """Before Ready only the start-up bound applies: a starved worker loading TensorFlow may
    not beat for a while (this one is silent 4 s against a 1-s heartbeat timeout)."""
    import game.nst.workers as workers
    from tests.worker_probe import run_silently_loading_worker
    monkeypatch.setattr(workers, "run_worker", run_silently_loading_worker)
    service = make_service(engines=("gatys",), preload=True, heartbeat_timeout_s=1.0)
    service.start()
    content, style = pictures()
    job_id = service.submit("r", "gatys", content, [(style, 1.0)], settings=behaviour("echo"))
    answer = final(run_frames(service, answered(job_id)), job_id)
    assert isinstance(answer, Result), answer
    status = service.status()["gatys"]
    assert status.restarts == 0 and status.label == "slow-loading test engine"


def test_silence_while_a_ready_worker_loads_a_model_lazily_is_not_a_hang(make_service,
                                                                         monkeypatch):
    """No preload: the engine loads on the first job, after Ready, silent for 4 s against a
    1-s heartbeat timeout; the worker said Loading, so it is waited for, not killed."""
    import game.nst.workers as workers
    from tests.worker_probe import run_silently_loading_worker
    monkeypatch.setattr(workers, "run_worker", run_silently_loading_worker)
    service = make_service(engines=("gatys",), preload=False, heartbeat_timeout_s=1.0)
    service.start()
    content, style = pictures()
    # Not a test behaviour: the real engine path, which loads the (stand-in) engine first.
    job_id = service.submit("r", "gatys", content, [(style, 1.0)])
    answer = final(run_frames(service, answered(job_id)), job_id)
    assert isinstance(answer, Result), answer
    status = service.status()["gatys"]
    assert status.restarts == 0 and status.label == "slow-loading test engine"
