"""Start-up time: from `python main.py` to the title screen drawn (JSON on stdout).

Starts the real command with STYLE_DUEL_EXIT_AFTER_FIRST_FRAME=1, which makes the game
print a marker after its first frame and quit. Also checks that TensorFlow was never
imported into the game process. Median of several runs. Target: <= 2 s.

    python bench/startup.py [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(home: str) -> tuple[float, str]:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               STYLE_DUEL_EXIT_AFTER_FIRST_FRAME="1", STYLE_DUEL_HOME=home)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "main.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    marker = [line for line in proc.stdout.splitlines() if line.startswith("first-frame")]
    if proc.returncode != 0 or not marker:
        raise SystemExit(f"start-up run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, marker[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        one_run(home)                               # warm the file cache, like a second start
        results = [one_run(home) for _ in range(args.runs)]
    times = [t for t, _ in results]
    markers = [m for _, m in results]
    print(json.dumps({
        "runs": args.runs,
        "startup_to_title_s_median": round(statistics.median(times), 3),
        "startup_to_title_s_max": round(max(times), 3),
        "tensorflow_in_game_process": any("tensorflow=yes" in m for m in markers),
        "target_s": 2.0,
    }, indent=2))


if __name__ == "__main__":
    main()
