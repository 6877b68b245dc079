"""The game's side of the render farm: the farm backend behind the NST service's interface,
against a real local farm (Ray Serve, HTTP) and against a farm that is not there (issue 12).

Every failure of the farm sends that job to the local workers, which here run scripted
test behaviours (no TensorFlow), and every Result says where it was painted.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from game.nst.farm_backend import LOCAL, FarmBackend, FarmConnection
from game.nst.service import NSTService
from models.farm.client import FarmAddress, FarmClient, FarmError
from models.messages import TEST_BEHAVIOUR, Progress, Result
from tests.farm_kit import (JOB_BOUND_S, TOKENS, free_port, picture, small_options,
                            through_jpeg, wait_for)

BOUND_S = 240.0


def local_factory(tmp_path, made: list):
    def make():
        service = NSTService(None, heartbeat_s=0.2, preload=False,
                             models_dir=tmp_path / "models")
        made.append(service)
        return service
    return make


def collect(backend, job_id, bound=BOUND_S) -> list:
    """Poll like the game loop does until the job's final answer; every message for it."""
    messages = []

    def final():
        messages.extend(m for m in backend.poll() if m.job_id == job_id)
        return any(not isinstance(m, Progress) for m in messages)
    wait_for(final, bound, f"the answer to {job_id}", step=0.05)
    return messages


def submit(backend, engine="magenta", seed=0, **settings):
    return backend.submit("round-1", engine, picture(seed=seed), [(picture(seed=seed + 1), 1.0)],
                          budget_s=30.0, settings=settings)


# -- no farm there ------------------------------------------------------------------------------

def tensorflow_modules() -> set[str]:
    return {name for name in sys.modules if name.startswith("tensorflow")}


def test_a_farm_down_at_start_sends_jobs_to_the_local_workers(tmp_path):
    # Another test in this pytest process may have imported TensorFlow already (the score's
    # encoder tests do): what counts is that this fallback imports none of it.
    tensorflow_before = tensorflow_modules()
    made = []
    connection = FarmConnection(f"http://127.0.0.1:{free_port()}", TOKENS[0], timeout_s=5.0)
    with FarmBackend(connection, local_factory(tmp_path, made)) as backend:
        backend.start()
        assert made == []                  # no local workers (no TensorFlow) before a need
        job_id = submit(backend, **{TEST_BEHAVIOUR: "echo"})
        final = collect(backend, job_id)[-1]
        assert isinstance(final, Result) and final.where == LOCAL
        assert (final.image == picture(seed=0)).all()
        assert len(made) == 1 and backend.farm_down()
        # While the farm counts as down, the next job goes local at once.
        second = submit(backend, "gatys", seed=5, **{TEST_BEHAVIOUR: "echo"})
        assert collect(backend, second)[-1].where == LOCAL
    assert tensorflow_modules() == tensorflow_before


def test_the_farm_backend_brings_no_tensorflow_into_the_game():
    """In a fresh interpreter, as the game imports them: no TensorFlow (the game's process
    must stay free of it, whatever this pytest process has imported before)."""
    code = ("import sys; import game.nst.farm_backend, game.nst.farm_link, models.farm.client; "
            "print(sorted(m for m in sys.modules if m.startswith('tensorflow')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_warm_fallback_starts_the_local_workers_at_once(tmp_path):
    made = []
    connection = FarmConnection(f"http://127.0.0.1:{free_port()}", TOKENS[0],
                                warm_fallback=True)
    with FarmBackend(connection, local_factory(tmp_path, made)) as backend:
        backend.start()
        assert len(made) == 1


class StuckClient(FarmClient):
    """A farm that never answers: every call blocks until the test lets it go."""

    def __init__(self):
        super().__init__(FarmAddress("http://stuck", TOKENS[0]))
        self.release = threading.Event()

    def call(self, *args, **kwargs):
        self.release.wait(60)
        raise FarmError("released")


def test_poll_and_submit_never_wait_on_the_network(tmp_path):
    client = StuckClient()
    backend = FarmBackend(FarmConnection("http://stuck", TOKENS[0]), local_factory(tmp_path, []),
                          client=client)
    backend.start()
    done = threading.Event()

    def frames():
        for _ in range(20):
            submit(backend, **{TEST_BEHAVIOUR: "echo"})
            backend.poll()
        done.set()
    loop = threading.Thread(target=frames, daemon=True)
    loop.start()
    assert done.wait(30), "the game loop waited on a farm that does not answer"
    client.release.set()
    backend.shutdown()


def test_the_reveal_says_where_each_picture_was_painted():
    from game.i18n import Strings
    from game.nst.machines import took

    picture_ = picture()
    english, romanian = Strings("en"), Strings("ro")
    farm = took(Result("j", "magenta", "Magenta (TFLite fp16)", picture_, 0.21, 1, False,
                       where="farm GPU"))
    here = took(Result("j", "gatys", "Gatys", picture_, 31.0, 84, True, where=LOCAL))
    alone = took(Result("j", "gatys", "Gatys", picture_, 31.0, 84, True))
    assert english(farm) == "0.2 s · farm GPU"
    assert english(here) == "31.0 s · 84 iterations · on this computer"
    assert english(alone) == "31.0 s · 84 iterations"          # no farm: as before
    assert romanian(here) == "31.0 s · 84 iterații · pe acest calculator"
    assert romanian(farm) == "0.2 s · ferma de randare, GPU"


def test_without_a_farm_url_the_game_keeps_its_local_workers(tmp_path):
    from game.config import FarmSettings
    from game.nst.machines import service_for

    assert isinstance(service_for(FarmSettings(), tmp_path), NSTService)
    missing = FarmSettings(url="http://render-1:8710", token_file=str(tmp_path / "none"))
    assert isinstance(service_for(missing, tmp_path), NSTService)     # no token: logged
    token = tmp_path / "farm.token"
    token.write_text(TOKENS[0] + "\n")
    farm = service_for(FarmSettings(url="http://render-1:8710", token_file=str(token)),
                       tmp_path)
    assert isinstance(farm, FarmBackend)


# -- a real farm ---------------------------------------------------------------------------------

ray = pytest.importorskip("ray", reason="ray[serve] is not installed (make test installs it)")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    from tests.farm_kit import start_test_farm, stop_test_farm

    farm = start_test_farm(small_options(tmp_path_factory.mktemp("farm-models")))
    yield farm
    stop_test_farm()


@pytest.fixture
def backend(farm, tmp_path):
    made = []
    backend = FarmBackend(FarmConnection(farm.url, TOKENS[0], timeout_s=30.0),
                          local_factory(tmp_path, made))
    backend.made = made
    backend.start()
    yield backend
    backend.shutdown(timeout=5.0)


def test_farm_paints_both_jobs_with_progress_and_says_so(backend):
    magenta = submit(backend, seed=1, **{TEST_BEHAVIOUR: "echo"})
    gatys = submit(backend, "gatys", seed=2, **{TEST_BEHAVIOUR: "slow", "seconds": 3})
    first, second = collect(backend, magenta), collect(backend, gatys)
    assert first[-1].where == "farm CPU" and (first[-1].image == picture(seed=1)).all()
    assert second[-1].where == "farm CPU"
    previews = [m for m in second if isinstance(m, Progress) and m.preview is not None]
    assert previews and previews[-1].iteration >= 1
    # Gatys's reel reaches the game from the farm (the duel replay); Magenta has none.
    assert len(second[-1].snapshots) >= 2 and first[-1].snapshots == []
    assert (second[-1].snapshots[-1].image == through_jpeg(picture(seed=2))).all()
    assert backend.made == [] and backend.fallbacks == 0


def test_cancel_stops_the_farm_job_and_nothing_more_arrives(backend, farm):
    job_id = submit(backend, "gatys", seed=3, **{TEST_BEHAVIOUR: "slow", "seconds": 60})
    wait_for(lambda: any(isinstance(m, Progress) for m in backend.poll()), JOB_BOUND_S,
             "the job to start on the farm")
    assert backend.cancel(job_id) is True
    time.sleep(1.0)
    assert [m for m in backend.poll() if m.job_id == job_id] == []
    # The farm's Gatys replica is free again.
    after = submit(backend, "gatys", seed=4, **{TEST_BEHAVIOUR: "slow", "seconds": 1})
    assert collect(backend, after)[-1].where == "farm CPU"


def test_a_replica_killed_mid_job_falls_back_and_the_farm_recovers(backend, farm):
    job_id = submit(backend, "gatys", seed=6, **{TEST_BEHAVIOUR: "slow", "seconds": 8})
    wait_for(lambda: any(isinstance(m, Progress) for m in backend.poll()), JOB_BOUND_S,
             "the job to start on the farm")
    pids = [r["pid"] for r in farm.client().status()["replicas"] if r["role"] == "gatys"]
    os.kill(pids[-1], signal.SIGKILL)
    final = collect(backend, job_id)[-1]
    assert isinstance(final, Result) and final.where == LOCAL      # painted here instead
    assert backend.fallbacks == 1 and len(backend.made) == 1
    # Ray Serve replaced the replica: the next job is the farm's again.
    again = submit(backend, "gatys", seed=7, **{TEST_BEHAVIOUR: "slow", "seconds": 1})
    assert collect(backend, again)[-1].where == "farm CPU"


def test_a_wrong_token_falls_back_and_leaves_the_farm_alone(farm, tmp_path):
    made = []
    with FarmBackend(FarmConnection(farm.url, "a-wrong-token-0000000000"),
                     local_factory(tmp_path, made)) as backend:
        backend.start()
        job_id = submit(backend, **{TEST_BEHAVIOUR: "echo"})
        assert collect(backend, job_id)[-1].where == LOCAL
        assert backend.farm_down() and "401" in backend._link.state.last_reason
