"""bench/soak.py's code path in miniature: two kiosk rounds, then its JSON.

Round 1 signs on the on-screen keyboard before the score lands, round 2 walks away and is
discarded; the measurements themselves are only checked for being there (no timings).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from game.demo_soak import round_kind

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("rounds_played", "crashes", "rss_mb", "rss_growth_after_round_20_mb", "fds",
          "fds_growth_after_round_20", "threads", "workers", "outcomes", "reveal_timeouts",
          "wall_s", "wall_s_per_round_median", "gallery_entries", "leaderboard_rows",
          "targets", "pass")


def test_round_kinds_follow_the_schedule():
    kinds = [round_kind(n, 7, 10) for n in range(1, 71)]
    assert kinds[6] == kinds[13] == kinds[69] == "walk_away"    # walking away wins at 70
    assert kinds[9] == kinds[19] == "full"
    assert kinds[4] == kinds[14] == "sign_early"
    assert kinds.count("leave") == 70 - 10 - 6 - 6
    assert {round_kind(n, 0, 0) for n in range(1, 30)} == {"leave"}


def test_two_round_soak_reports_every_field(tmp_path):
    out = tmp_path / "soak.json"
    # TMPDIR: the soak's throw-away home lands inside this test's folder.
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               TMPDIR=str(tmp_path))
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "soak.py"), "--rounds", "2",
                           "--walk-away-every", "2", "--full-every", "2", "--json-out",
                           str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert [key for key in FIELDS if key not in result] == []
    assert result["rounds_played"] == 2 and result["crashes"] == 0, result["crash"]
    assert result["outcomes"] == {"signed_early": 1, "discarded": 1}
    assert set(result["workers"]) == {"magenta", "gatys"}
    # The signed painting is kept and on the board; the discarded one is nowhere.
    assert result["gallery_entries"] == 1 and result["leaderboard_rows"] == 1
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [s["round"] for s in written["samples"]] == [1, 2]
    assert all(s["rss_mb"] > 0 and s["fds"] > 0 for s in written["samples"])
