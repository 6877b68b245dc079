"""The render farm's server on a real local Ray cluster: jobs, progress, cancel, auth, bad input,
the result cache, per-client caps and a replica killed mid-job (issue 12).

One farm for the module (a Ray cluster takes tens of seconds to start on two cores).
Scripted test behaviours stand in for the engines, except where a test says otherwise.
"""
from __future__ import annotations

import base64
import json
import os
import signal
import threading
import urllib.request

import pytest

pytest.importorskip("ray", reason="ray[serve] is not installed (make test installs it)")
# Ray Serve's own pydantic models warn about their own deprecated use; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from models.farm import wire  # noqa: E402
from models.farm.client import FarmError, to_message  # noqa: E402
from models.messages import MAX_SNAPSHOTS  # noqa: E402
from tests.farm_kit import (JOB_BOUND_S, TOKENS, picture, png_bomb_header,  # noqa: E402
                            small_options, start_test_farm, stop_test_farm, through_jpeg,
                            wait_for)

MAX_BODY = 3 * 1024 * 1024


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    options = small_options(tmp_path_factory.mktemp("farm-models"), max_body_bytes=MAX_BODY,
                            jobs_in_flight_per_client=3, max_pixels=4_000_000)
    farm = start_test_farm(options)
    yield farm
    stop_test_farm()


def body(engine="magenta", seed=0, **settings):
    image = picture(seed=seed)
    return wire.job_body(engine, image, [(picture(seed=seed + 100), 1.0)], 1.0, 20.0, settings)


def finished(client, job_id):
    return wait_for(lambda: (s := client.job(job_id))["state"] in wire.FINAL_STATES and s,
                    JOB_BOUND_S, f"job {job_id} to finish")


def test_two_clients_at_once_both_get_pictures(farm):
    answers = {}

    def kiosk(token, seed):
        client = farm.client(token)
        job_id = client.submit(body(seed=seed, test_behaviour="echo"))["job_id"]
        finished(client, job_id)
        answers[token] = (job_id, client.result(job_id))

    threads = [threading.Thread(target=kiosk, args=(token, n)) for n, token in enumerate(TOKENS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOB_BOUND_S)
    assert sorted(answers) == sorted(TOKENS)
    for n, token in enumerate(TOKENS):
        job_id, result = answers[token]
        message = to_message(result, job_id)
        assert (message.image == picture(seed=n)).all()      # echo: the content comes back
        assert message.where == "farm CPU" and result["device"] == "CPU"
        # Nobody reads another kiosk's picture: the other token gets 404 for this job.
        other = farm.client(TOKENS[1 - n])
        with pytest.raises(FarmError) as refused:
            other.result(job_id)
        assert refused.value.status == 404


def test_progress_previews_and_cancel(farm):
    client = farm.client()
    job_id = client.submit(body("gatys", seed=3, test_behaviour="slow", seconds=60,
                                step=0.1))["job_id"]
    seen = wait_for(lambda: (s := client.job(job_id))["preview"] and s, JOB_BOUND_S,
                    "a preview")
    assert seen["state"] == "running" and seen["iteration"] >= 1
    assert seen["progress"] > 0
    again = client.job(job_id, since=seen["preview_seq"])
    assert again["preview"] is None or again["preview_seq"] > seen["preview_seq"]
    assert client.cancel(job_id) is True
    assert finished(client, job_id)["state"] == "cancelled"
    with pytest.raises(FarmError) as early:
        client.result(job_id)
    assert early.value.status == 409
    # The replica is free again: the next Gatys job runs to the end.
    next_id = client.submit(body("gatys", seed=4, test_behaviour="slow", seconds=1))["job_id"]
    assert finished(client, next_id)["state"] == "done"


def test_requests_without_or_with_a_wrong_token_get_401(farm):
    for token in ("", "not-the-token-at-all-0000"):
        with pytest.raises(FarmError) as refused:
            farm.client(token).health()
        assert refused.value.status == 401
    request = urllib.request.Request(farm.url + wire.HEALTH)      # no header at all
    with pytest.raises(urllib.error.HTTPError) as bare:
        urllib.request.urlopen(request, timeout=30)
    assert bare.value.code == 401
    assert json.loads(bare.value.read())["detail"] == "a valid bearer token is required"


@pytest.mark.parametrize("content, words", [
    (base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).decode(), "damaged"),
    (base64.b64encode(png_bomb_header()).decode(), "too large"),
    (base64.b64encode(b"hello, this is text").decode(), "not a PNG, JPEG or WebP"),
    ("%%% not base64 %%%", "not valid base64"),
])
def test_bad_uploads_get_400_with_a_reason_and_the_farm_keeps_serving(farm, content, words):
    client = farm.client()
    bad = body(test_behaviour="echo")
    bad["content"] = content
    with pytest.raises(FarmError) as refused:
        client.submit(bad)
    assert refused.value.status == 400 and words in refused.value.reason
    assert "\n" not in refused.value.reason
    good = client.submit(body(seed=7, test_behaviour="echo"))["job_id"]
    assert finished(client, good)["state"] == "done"


def test_oversized_bodies_and_bad_fields_get_4xx(farm):
    client = farm.client()
    huge = body(test_behaviour="echo")
    huge["settings"]["padding"] = "x" * (MAX_BODY + 10)
    with pytest.raises(FarmError) as refused:
        client.submit(huge)
    assert refused.value.status == 413
    for change, words in (({"engine": "dall-e"}, "engine must be"),
                          ({"strength": 7}, "strength must be"),
                          ({"styles": []}, "styles must be")):
        with pytest.raises(FarmError) as refused:
            client.submit({**body(test_behaviour="echo"), **change})
        assert refused.value.status == 400 and words in refused.value.reason
    assert client.health()["ok"] is True


def test_a_pair_rendered_once_is_cached_for_the_next_kiosk(farm):
    first, second = farm.client(TOKENS[0]), farm.client(TOKENS[1])
    job_id = first.submit(body(seed=11))["job_id"]           # the studio filter stand-in
    finished(first, job_id)
    made = first.result(job_id)
    again = second.submit(body(seed=11))
    assert again["cached"] is True and again["state"] == "done"
    hit = second.result(again["job_id"])
    assert hit["image"] == made["image"] and hit["label"] == made["label"]
    assert hit["fingerprint"] == made["fingerprint"]
    assert any("farm's result cache" in note for note in hit["notes"])


def test_farm_result_carries_snapshots(farm):
    """Gatys's reel for the duel replay: in the result's JSON as JPEGs, decoded by the kiosk,
    and kept by the farm's cache, so the next kiosk's pair replays too."""
    first, second = farm.client(TOKENS[0]), farm.client(TOKENS[1])
    job = body("gatys", seed=50, test_behaviour="slow", seconds=1, step=0.1)
    job_id = first.submit(job)["job_id"]
    finished(first, job_id)
    made = first.result(job_id)
    assert 2 <= len(made["snapshots"]) <= MAX_SNAPSHOTS
    reel = to_message(made, job_id).snapshots
    assert [s.seconds for s in reel] == [e["seconds"] for e in made["snapshots"]]
    assert (reel[-1].image == through_jpeg(picture(seed=50))).all()   # the finished one, last
    assert base64.b64decode(made["image"])[:4] == b"\x89PNG"          # the picture: lossless
    assert reel[0].image.mean() < reel[-1].image.mean()      # forming from black
    again = second.submit(job)
    assert again["cached"] is True
    hit = to_message(second.result(again["job_id"]), again["job_id"])
    assert len(hit.snapshots) == len(reel)
    assert all((a.image == b.image).all() for a, b in zip(hit.snapshots, reel))


def test_each_client_has_a_cap_on_jobs_in_flight(farm):
    client = farm.client()
    slow = [client.submit(body("gatys", seed=20 + n, test_behaviour="slow", seconds=60))
            for n in range(3)]
    with pytest.raises(FarmError) as refused:
        client.submit(body("gatys", seed=30, test_behaviour="slow", seconds=60))
    assert refused.value.status == 429 and "in flight" in refused.value.reason
    for job in slow:
        client.cancel(job["job_id"])
    for job in slow:
        finished(client, job["job_id"])


def test_a_replica_killed_mid_job_fails_that_job_and_is_restarted(farm):
    client = farm.client()
    job_id = client.submit(body("gatys", seed=40, test_behaviour="slow", seconds=60))["job_id"]
    wait_for(lambda: client.job(job_id)["state"] == "running", JOB_BOUND_S, "the job to run")
    pids = [r["pid"] for r in client.status()["replicas"] if r["role"] == "gatys"]
    assert pids
    os.kill(pids[-1], signal.SIGKILL)
    lost = finished(client, job_id)
    assert lost["state"] == "failed" and lost["retry_local"] is True
    assert "replica" in lost["reason"]
    # Ray Serve starts a new replica; the next job runs on it.
    next_id = client.submit(body("gatys", seed=41, test_behaviour="slow", seconds=1))["job_id"]
    assert finished(client, next_id)["state"] == "done"
    replicas = [r["pid"] for r in client.status()["replicas"] if r["role"] == "gatys"]
    assert replicas[-1] != pids[-1]
