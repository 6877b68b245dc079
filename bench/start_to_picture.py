"""From Start to each machine's picture: are the machines ready when Start is pressed?

Drives the game's own NST client as the game does (game.nst.machines.Machines over the real
NSTService and its worker processes; Machines.update() every 1/60 s as the App's step calls
it). Each run is a fresh "launch": the title's first frame at t = 0, new worker processes,
no result cache. "Start" is what the setup screen's Start does: start_round on a catalogue
pair with the round's length. Seconds from Start to:

    magenta_first_s / magenta_final_s   Magenta's picture (one pass: first = final)
    gatys_first_s / gatys_final_s       Gatys's first preview in its slot / its Result

Two ways of starting the workers, the peers, in the same run (interleaved, same pairs):
    warm_start   at launch (Machines.warm_up after the first frame): this game
    at_setup     when the setup screen opens (STYLE_DUEL_WARM_MACHINES=0; the old way)
and two players:
    at_once      presses Start --navigate-s after the title appears (default 1 s: title ->
                 Play -> Start as fast as two key presses go); the setup screen opens then
    warm         presses Start once both workers are Ready and idle for --settle-s

Real models from $STYLE_DUEL_SHARED_MODELS (default ../shared/models) when that folder
exists, else the offline stand-ins (an empty model folder). Median of --runs runs.
Target: magenta_final_s <= 1 s for warm_start, at_once and warm.

    python bench/start_to_picture.py [--runs 5] [--navigate-s 1] [--seconds 90]
    python bench/start_to_picture.py --peers at_setup     # also runs on code before warm_up
    python bench/start_to_picture.py --pairs chelsea:pointillism,coffee:mosaic
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")   # stdout is the JSON alone

SHARED = Path(os.environ.get("STYLE_DUEL_SHARED_MODELS", ROOT.parent / "shared" / "models"))
FRAME_S = 1 / 60
PEERS = ("warm_start", "at_setup")
SCENARIOS = ("at_once", "warm")
FIGURES = ("magenta_first_s", "magenta_final_s", "gatys_first_s", "gatys_final_s")
STALL_S = 600.0          # a run with no picture for this long is reported as stuck
TARGET_MAGENTA_S = 1.0
ART_MAX_SIDE = 1024      # as game.services decodes the art (not imported: it brings pygame)


def frames(machines, seconds: float, until=None) -> bool:
    """Run the game's per-step update for `seconds` (or until `until()`); True if met."""
    end = time.monotonic() + seconds
    next_frame = time.monotonic()
    while time.monotonic() < end:
        machines.update()
        if until is not None and until():
            return True
        next_frame += FRAME_S
        time.sleep(max(0.0, next_frame - time.monotonic()))
    return False


def settled(machines) -> bool:
    """Both workers Ready, no job, and no model load under way (the old Magenta worker
    loaded the score's encoder right after Ready; a diagnostic read, as bench/soak does)."""
    status = machines.status()
    if len(status) < 2 or any(s.state != "ready" for s in status.values()):
        return False
    service = machines._service
    return all(slot.worker is not None and slot.worker.loading_since is None
               for slot in service._slots.values())


def one_run(peer: str, scenario: str, pair, images, args) -> dict:
    from game.nst.machines import Machines
    from game.round import Round

    machines = Machines(None)                            # no result cache: every run paints
    launch = time.monotonic()
    try:
        if peer == "warm_start":
            machines.warm_up()                           # App.run: after the first frame
        frames(machines, args.navigate_s)                # the player reaches the setup screen
        if peer == "at_setup":
            machines.start()                             # SetupScene.enter
        if scenario == "warm":
            deadline = time.monotonic() + STALL_S
            while time.monotonic() < deadline:           # Ready and idle for settle_s
                if frames(machines, STALL_S, lambda: settled(machines)) and not frames(
                        machines, args.settle_s, lambda: not settled(machines)):
                    break
        round_ = Round(pair[0], pair[1], args.seconds)
        start = time.monotonic()
        machines.start_round(round_, *images, score=False)   # Start
        seen: dict = {}

        def record() -> bool:
            now = time.monotonic() - start
            for engine, slot in round_.slots.items():
                if slot.image is not None:
                    seen.setdefault(f"{engine}_first_s", now)
                if slot.status in ("done", "failed"):
                    seen.setdefault(f"{engine}_final_s", now)
                    seen.setdefault(f"{engine}_status", slot.status)
            return all(f"{e}_final_s" in seen for e in round_.slots)

        done = frames(machines, args.seconds + STALL_S, record)
        labels = {e: s.label for e, s in machines.status().items()}
        return {"peer": peer, "scenario": scenario, "done": done,
                "start_after_launch_s": round(start - launch, 2),
                **{k: round(v, 3) if isinstance(v, float) else v for k, v in seen.items()},
                "labels": labels, "load_1min": round(os.getloadavg()[0], 2)}
    finally:
        machines.close()
        time.sleep(args.cooldown_s)                      # the last run's processes are gone


def summary(rows: list[dict]) -> dict:
    out = {}
    for figure in FIGURES:
        values = [r[figure] for r in rows if figure in r]
        out[figure] = round(statistics.median(values), 3) if values else None
        out[f"{figure}_all"] = values
    out["failed"] = sum(1 for r in rows for e in ("magenta", "gatys")
                        if r.get(f"{e}_status") != "done")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--navigate-s", type=float, default=1.0,
                        help="title's first frame -> Start for a player in a hurry")
    parser.add_argument("--settle-s", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=None,
                        help="the round's length, Gatys's budget (default: the game's)")
    parser.add_argument("--cooldown-s", type=float, default=3.0)
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--pairs", default="",
                        help="content:style catalogue ids, comma-separated, one a run "
                             "(default: pairs drawn with --seed)")
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p]
    scenarios = [s for s in args.scenarios.split(",") if s]
    if set(peers) - set(PEERS) or set(scenarios) - set(SCENARIOS):
        raise SystemExit(f"peers: {PEERS}; scenarios: {SCENARIOS}")

    home = tempfile.mkdtemp(prefix="style-duel-start-bench-")
    os.environ["STYLE_DUEL_HOME"] = home                 # nothing of the user's is touched
    real = SHARED.is_dir()
    os.environ["STYLE_DUEL_MODELS"] = str(SHARED if real else Path(home) / "no-models")

    from game.catalogue import default_art_dir, load_catalogue
    from game.config import GameConfig
    from game.image_loader import load_rgb

    if args.seconds is None:
        args.seconds = float(GameConfig().round.seconds)
    catalogue = load_catalogue(default_art_dir())
    if args.pairs:
        ids = [pair.split(":") for pair in args.pairs.split(",")]
        pairs = [(catalogue.item(c), catalogue.item(s)) for c, s in ids]
        pairs = [pairs[i % len(pairs)] for i in range(args.runs)]
    else:
        rng = random.Random(args.seed)
        pairs = [catalogue.random_pair(rng) for _ in range(args.runs)]
    rows = []
    for i, pair in enumerate(pairs):
        images = tuple(load_rgb(item.path, max_side=ART_MAX_SIDE) for item in pair)
        for scenario in scenarios:
            for peer in peers:
                row = one_run(peer, scenario, pair, images, args)
                row["run"], row["pair"] = i, [pair[0].id, pair[1].id]
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)

    result = {"runs": args.runs, "navigate_s": args.navigate_s, "settle_s": args.settle_s,
              "round_seconds": args.seconds,
              "models": str(SHARED) if real else "offline stand-ins",
              "labels": next((r["labels"] for r in rows if r["labels"]), {}),
              "load_1min_median": round(statistics.median(r["load_1min"] for r in rows), 2),
              "target_magenta_final_s": TARGET_MAGENTA_S}
    for scenario in scenarios:
        block = {peer: summary([r for r in rows if r["peer"] == peer
                                and r["scenario"] == scenario]) for peer in peers}
        if set(PEERS) <= set(peers):
            block["ratio_warm_start_over_at_setup"] = {
                figure: round(block["warm_start"][figure] / block["at_setup"][figure], 2)
                if block["warm_start"][figure] and block["at_setup"][figure] else None
                for figure in FIGURES}
        result[scenario] = block
    if "warm_start" in peers:
        result["meets_target"] = all(
            (result[s]["warm_start"]["magenta_final_s"] or 99) <= TARGET_MAGENTA_S
            for s in scenarios)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
