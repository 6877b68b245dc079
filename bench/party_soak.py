"""Loaded party soak: N party demos in a row while other processes keep every core busy.

Issue 9's acceptance run: `python main.py demo --party 3 --rounds 2` once froze at round 1's
reveal on a busy machine (a worker's inbox thread died at start-up, nothing noticed). Each
party here is a fresh game process with a throw-away STYLE_DUEL_HOME and no pretrained
models (the offline stand-ins; --models DIR uses real ones), while one busy-loop process
per core runs beside it. A party counts as reaching the podium when the demo's report
(--report) says: podium reached and saved, both machines' pictures done for every pair,
and every painting scored. A party that does not end within --party-timeout counts as
frozen. JSON on stdout; progress on stderr.

    python bench/party_soak.py [--parties 20] [--players 3] [--rounds 2] [--load N]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def busy_loop() -> None:
    """One core's worth of someone else's work, at normal priority."""
    value = 0
    while True:
        value = (value * 1103515245 + 12345) % 2147483648


def start_load(processes: int) -> list[multiprocessing.Process]:
    load = [multiprocessing.Process(target=busy_loop, daemon=True) for _ in range(processes)]
    for process in load:
        process.start()
    return load


def run_party(index: int, args: argparse.Namespace, scratch: Path) -> dict:
    """One party demo in its own process group; its report and how it ended."""
    home, report = scratch / f"home-{index}", scratch / f"report-{index}.json"
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               STYLE_DUEL_HOME=str(home),
               STYLE_DUEL_MODELS=str(args.models or scratch / "no-models"))
    command = [sys.executable, str(ROOT / "main.py"), "demo", "--party", str(args.players),
               "--rounds", str(args.rounds), "--seed", str(args.seed + index),
               "--report", str(report)]
    start = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=args.party_timeout)
        frozen = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, stderr = proc.communicate()
        frozen = True
    seconds = time.monotonic() - start
    outcome = (json.loads(report.read_text(encoding="utf-8")) if report.is_file()
               else {"podium": False, "complete": False})
    lines = [line for line in stderr.splitlines()
             if "Exception" in line or "restarted" in line or "Error" in line]
    return {"party": index, "seconds": round(seconds, 1), "exit_code": proc.returncode,
            "frozen": frozen, "podium": outcome.get("podium", False),
            "complete": outcome.get("complete", False) and proc.returncode == 0,
            "pairs": outcome.get("pairs"), "problems": lines[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=20)
    parser.add_argument("--players", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--load", type=int, default=os.cpu_count() or 2,
                        help="busy-loop processes beside the game (default: one per core)")
    parser.add_argument("--party-timeout", type=float, default=1200.0,
                        help="seconds after which a party counts as frozen")
    parser.add_argument("--models", type=Path, help="a models folder (default: none, offline)")
    parser.add_argument("--stop-at-first-failure", action="store_true")
    parser.add_argument("--json-out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    load = start_load(args.load)
    results: list[dict] = []
    try:
        with tempfile.TemporaryDirectory(prefix="party-soak-") as scratch:
            for index in range(args.parties):
                result = run_party(index, args, Path(scratch))
                results.append(result)
                print(f"party {index + 1}/{args.parties}: "
                      f"{'podium' if result['complete'] else 'FAILED'} "
                      f"in {result['seconds']} s {result['problems'] or ''}",
                      file=sys.stderr, flush=True)
                if args.stop_at_first_failure and not result["complete"]:
                    break
    finally:
        for process in load:
            process.kill()
    reached = [r for r in results if r["complete"]]
    in_a_row = 0
    for result in results:
        if not result["complete"]:
            break
        in_a_row += 1
    summary = {
        "parties": len(results), "players": args.players, "rounds": args.rounds,
        "load_processes": args.load, "cores": os.cpu_count(),
        "reached_podium_complete": len(reached), "in_a_row": in_a_row,
        "frozen": sum(r["frozen"] for r in results),
        "party_seconds_median": (round(statistics.median(r["seconds"] for r in results), 1)
                                 if results else None),
        "failures": [r for r in results if not r["complete"]],
    }
    text = json.dumps(summary, indent=1)
    print(text)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({**summary, "runs": results}, indent=1),
                                 encoding="utf-8")
    return 0 if in_a_row == len(results) == args.parties else 1


if __name__ == "__main__":
    sys.exit(main())
