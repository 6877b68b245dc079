"""bench/score_validity.py --quick end to end: one JSON document with every issue-10 target,
the whole ladder and the score's real behaviour on it (a copy is 10, a flat fill is near 0).

The first run makes its machine pictures and bot paintings (a couple of minutes on two cores;
stand-ins when the real models are not installed), later runs read them from
out/score_bench_cache/. No timing is asserted: the machine is shared.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import score_rungs  # noqa: E402


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    # Module-scoped, so conftest's private home is not set yet: give the run its own.
    env = {**os.environ, "STYLE_DUEL_HOME": str(tmp_path_factory.mktemp("home"))}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "score_validity.py"), "--quick"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.timeout(960)
def test_every_target_has_value_target_and_met(report):
    targets = report["targets"]
    assert set(targets) == {*score_rungs.PASS, "attack_max_end"}
    for name, entry in targets.items():
        assert {"value", "target", "met"} <= set(entry), name
        assert isinstance(entry["value"], float), name
        assert entry["met"] in (True, False), name
    assert report["all_met"] == all(t["met"] for t in targets.values())


@pytest.mark.timeout(960)
def test_the_ladder_has_every_rung_and_the_score_behaves(report):
    ladder = report["ladder"]
    assert set(ladder) == set(score_rungs.ORDER)
    for rung, row in ladder.items():
        assert {"n", "mean", "min", "max", *score_rungs.PARTS, "old_mean"} <= set(row), rung
    assert ladder["copy"]["mean"] == 10.0
    assert ladder["flat"]["max"] <= 1.5
    assert report["pictures"]["references"]["magenta"] == 4       # 2 contents x 2 styles


@pytest.mark.timeout(960)
def test_attack_speed_and_fairness_are_reported(report):
    attack = report["attack"]
    assert attack["steps"] == 100 and attack["pairs"] == 4
    assert len(attack["per_pair"]) == 4
    assert {"ms_per_comparison", "ms_per_comparison_p90", "ms_reference_setup",
            "load_1min"} <= set(report["speed"])
    assert set(report["fairness"]) == {"bot", "photo", "posterised"}
    assert set(report["pictures"]["engines"]) == {"magenta", "gatys", "bot"}


def test_targets_follow_the_study_on_a_hand_made_ladder():
    """The order and fairness arithmetic on two references whose numbers are known."""
    def row(style, bot, flat):
        scores = {"copy": 10.0, "photo": 6.0, "blurred": 5.0, "posterised": 5.5, "bot": bot,
                  "bot_other": 0.1, "flat": flat, "blobs": 0.0, "blank": 0.0, "scribble": 0.0,
                  "tiles": 0.5, "upside": 0.0, "other_photo": 0.2, "machine_same": 7.5,
                  "machine_other": 0.0}
        return {"style": style, "scores": scores, "old": scores}

    rows = [row("a", bot=6.0, flat=0.0), row("b", bot=2.0, flat=3.0)]
    t = score_rungs.targets(rows)
    assert t["order_pct"] == 50.0            # b's flat (3.0) beats its bot painting (2.0)
    assert t["flat_max"] == 3.0
    assert t["fairness_max_dev"] == 2.0      # per style 6 and 2, over all 4
    report = score_rungs.target_report(t, t, {"max_end": 1.0})
    assert report["flat_max"]["met"] is False and report["attack_max_end"]["met"] is True
