"""How fast a stop signal ends the game: SIGTERM to the process group, as systemctl does.

Each run starts the kiosk demo (real NST worker processes, offline stand-ins), waits until
both workers are up and `--settle` seconds more (they are then importing TensorFlow or
working), sends the signal to the whole group and times until the game has exited and no
worker is left. Target: exit code 0 within 5 s. JSON on stdout.

    python bench/stop_signal.py [--runs 3] [--signal TERM|INT] [--settle 5]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 5.0


def workers_of(game: psutil.Process) -> list[psutil.Process]:
    return [child for child in game.children(recursive=True)
            if "spawn_main" in " ".join(child.cmdline())]     # not the resource tracker


def one_run(sig: signal.Signals, settle_s: float, scratch: Path) -> dict:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               STYLE_DUEL_HOME=str(scratch / "home"),
               STYLE_DUEL_MODELS=str(scratch / "no-models"))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "demo", "--kiosk",
                             "--rounds", "3", "--realtime"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    game = psutil.Process(proc.pid)
    while len(workers := workers_of(game)) < 2:
        if proc.poll() is not None:
            raise RuntimeError("the game ended before its workers started")
        time.sleep(0.1)
    time.sleep(settle_s)
    start = time.monotonic()
    os.killpg(proc.pid, sig)
    try:
        _, stderr = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
    game_s = time.monotonic() - start
    psutil.wait_procs(workers, timeout=120)
    all_s = time.monotonic() - start
    return {"exit_code": proc.returncode, "game_exit_s": round(game_s, 2),
            "workers_gone_s": round(all_s, 2), "restarted": "restarted" in stderr}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--signal", default="TERM", choices=("TERM", "INT"))
    parser.add_argument("--settle", type=float, default=5.0)
    args = parser.parse_args()
    sig = signal.Signals[f"SIG{args.signal}"]
    with tempfile.TemporaryDirectory(prefix="stop-signal-") as scratch:
        runs = [one_run(sig, args.settle, Path(scratch) / str(i)) for i in range(args.runs)]
    gone = [run["workers_gone_s"] for run in runs]
    print(json.dumps({
        "signal": sig.name, "runs": runs,
        "stop_s_median": round(statistics.median(gone), 2), "stop_s_max": max(gone),
        "all_exit_0": all(run["exit_code"] == 0 for run in runs),
        "any_worker_restarted": any(run["restarted"] for run in runs),
        "target_s": TARGET_S, "load_1min": round(os.getloadavg()[0], 1),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
