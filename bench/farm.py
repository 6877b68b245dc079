"""One render farm against every kiosk painting for itself, on this machine (issue 12).

    python bench/farm.py [--kiosks 1 2 4] [--window 90] [--gatys-budget 12] [--json-out F]

For N simulated kiosks, each runs rounds back to back (a visitor presses Start the moment
the last round's pictures are in): submit Magenta and Gatys for a new pair, wait for both
final pictures. Once against one farm (Ray Serve on this machine, one replica per role,
each kiosk with its own FarmBackend as the game has), once with a NSTService of its own per
kiosk (two worker processes each). Per setting: rounds completed per minute, p50 / p95
seconds from Start to Magenta's and to Gatys's final picture, CPU seconds per round (this
process and everything it started: Ray's processes or the workers), and for the farm the
Magenta batch sizes reached. Pairs never repeat, so the farm's cache does not help.
Prints one JSON object with the figures and the farm / local ratios. Real models come from
$STYLE_DUEL_SHARED_MODELS (else the model cache; without any, the offline stand-ins).
Also `reel_bytes`: a Gatys result's JSON with a 24-snapshot reel of an eval photo turning
into a painting, its snapshots as JPEG (as sent) and as PNG (as the version before sent
them); `--reel-only` prints just that (a second, no farm).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.nst.farm_backend import FarmBackend, FarmConnection  # noqa: E402
from game.nst.service import NSTService  # noqa: E402
from models.messages import Progress, Result  # noqa: E402

TOKEN = "bench-token-0123456789abcdef"
READY_BOUND_S = 600.0


def pair(kiosk: int, round_: int, side: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """A new smooth photo-like picture and a striped painting for every (kiosk, round)."""
    rng = np.random.default_rng(kiosk * 10_000 + round_)
    yy, xx = np.mgrid[0:side, 0:side] / side
    phase = rng.random(3) * 6
    photo = np.stack([np.sin(xx * 4 + phase[c]) * 90 + yy * 80 + 60 for c in range(3)], -1)
    stripes = np.sin(xx * rng.integers(8, 30) + yy * rng.integers(3, 12))[..., None]
    paint = 128 + stripes * rng.integers(40, 120, 3) + rng.normal(0, 12, (side, side, 3))
    return photo.clip(0, 255).astype(np.uint8), paint.clip(0, 255).astype(np.uint8)


def cpu_seconds() -> float:
    """CPU time of this process and every process it started (alive now)."""
    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def kiosk_loop(service, kiosk: int, until: float, budget: float, out: list) -> None:
    round_ = 0
    while time.monotonic() < until:
        content, style = pair(kiosk, round_)
        start = time.monotonic()
        ids = {service.submit(f"k{kiosk}-{round_}", engine, content, [(style, 1.0)],
                              budget_s=budget): engine for engine in ("magenta", "gatys")}
        done: dict[str, float] = {}
        where = {}
        while len(done) < 2:
            for message in service.poll():
                if message.job_id in ids and not isinstance(message, Progress):
                    done[ids[message.job_id]] = time.monotonic() - start
                    where[ids[message.job_id]] = (
                        (message.where or "local workers") if isinstance(message, Result)
                        else f"failed: {message.reason}")
            time.sleep(0.02)
        out.append({"kiosk": kiosk, "magenta_s": done["magenta"], "gatys_s": done["gatys"],
                    "where": where, "finished": time.monotonic()})
        round_ += 1


def percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 2) if values else None


def run_setting(services: list, window: float, budget: float, first_kiosk: int = 0) -> dict:
    rows: list = []
    cpu_before, start = cpu_seconds(), time.monotonic()
    until = start + window
    threads = [threading.Thread(target=kiosk_loop, args=(s, n, until, budget, rows))
               for n, s in enumerate(services, first_kiosk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.monotonic() - start, cpu_seconds() - cpu_before
    load = round(os.getloadavg()[0], 1)      # other jobs sharing the cores show here
    places = sorted({w for row in rows for w in row["where"].values()})
    return {"rounds": len(rows), "seconds": round(elapsed, 1),
            "rounds_per_minute": round(len(rows) / elapsed * 60, 2),
            "magenta_p50_s": percentile([r["magenta_s"] for r in rows], 50),
            "magenta_p95_s": percentile([r["magenta_s"] for r in rows], 95),
            "gatys_p50_s": percentile([r["gatys_s"] for r in rows], 50),
            "gatys_p95_s": percentile([r["gatys_s"] for r in rows], 95),
            "cpu_s_per_round": round(cpu / len(rows), 2) if rows else None,
            "painted_by": places, "load_1min_at_end": load}


def wait_ready(service) -> None:
    deadline = time.monotonic() + READY_BOUND_S
    while time.monotonic() < deadline:
        service.poll()
        if all(s.state == "ready" for s in service.status().values()):
            return
        time.sleep(0.2)
    raise SystemExit("local workers did not get ready in time")


def local_setting(kiosks: int, models_dir: Path, window: float, budget: float) -> dict:
    services = [NSTService(None, models_dir=models_dir) for _ in range(kiosks)]
    try:
        for service in services:
            service.start()
        for service in services:
            wait_ready(service)
        # A first round each, as the farm had: Gatys's first job builds its network.
        run_setting(services, 1.0, budget, first_kiosk=90)
        return run_setting(services, window, budget, first_kiosk=10 * kiosks)
    finally:
        for service in services:
            service.shutdown(timeout=10.0)


def refuse_fallback():
    """The farm figures must be the farm's: a job it could not paint ends the bench."""
    raise SystemExit("a kiosk fell back to local workers: the farm failed")


def farm_setting(kiosks: int, url: str, window: float, budget: float) -> tuple[dict, dict]:
    from models.farm.client import FarmAddress, FarmClient

    backends = [FarmBackend(FarmConnection(url, TOKEN, timeout_s=60.0), refuse_fallback)
                for _ in range(kiosks)]
    client = FarmClient(FarmAddress(url, TOKEN, 60.0))
    before = dict(client.status()["magenta_batch_sizes"])
    try:
        for backend in backends:
            backend.start()
        figures = run_setting(backends, window, budget, first_kiosk=10 * kiosks)
    finally:
        for backend in backends:
            backend.shutdown()
    after = client.status()["magenta_batch_sizes"]
    batches = {size: after[size] - before.get(size, 0) for size in after
               if after[size] - before.get(size, 0)}
    return figures, batches


def start_bench_farm(models_dir: Path) -> str:
    from models.farm.auth import digest
    from models.farm.cluster import ClusterOptions, start_farm
    from models.farm.options import FarmOptions

    options = FarmOptions(port=8719, token_digests=(digest(TOKEN),), models_dir=str(models_dir))
    url = start_farm(options, ClusterOptions(object_store_bytes=200 * 1024 * 1024))
    from models.farm.client import FarmAddress, FarmClient, FarmError

    client, deadline = FarmClient(FarmAddress(url, TOKEN, 30.0)), time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            client.health()
            return url
        except FarmError:
            time.sleep(1.0)
    raise SystemExit("the farm did not come up")


def warm_farm(url: str, budget: float) -> None:
    """One round first, so the farm's replicas have loaded their engines (as in a museum)."""
    backend = FarmBackend(FarmConnection(url, TOKEN, timeout_s=60.0), refuse_fallback)
    backend.start()
    try:
        run_setting([backend], 1.0, budget, first_kiosk=99)   # a pair no kiosk paints
    finally:
        backend.shutdown()


def reel_bytes(eval_dir: Path, count: int = 24) -> dict | None:
    """Bytes of a Gatys result's JSON (a 256 px picture, `count` snapshots of chelsea.png
    turning into starry_night.jpg at SNAPSHOT_SIDE) with the reel as JPEG and as PNG."""
    from PIL import Image

    from models.farm.dispatch import result_json
    from models.farm.replicas import ReplicaAnswer
    from models.farm.wire import encode_png
    from models.messages import SNAPSHOT_SIDE, Snapshot

    photo = eval_dir / "content" / "chelsea.png"
    painting = eval_dir / "styles" / "starry_night.jpg"
    if not (photo.is_file() and painting.is_file()):
        return None

    def forming(side: int) -> list[np.ndarray]:        # (h, w, 3) uint8, photo to painting
        art = Image.open(painting).convert("RGB")
        art.thumbnail((side, side), Image.LANCZOS)
        start = np.asarray(Image.open(photo).convert("RGB").resize(art.size), float)
        return [((1 - t) * start + t * np.asarray(art, float)).astype(np.uint8)
                for t in np.linspace(0, 1, count)]
    reel = [Snapshot(i * 0.5, i * 10, frame) for i, frame in enumerate(forming(SNAPSHOT_SIDE))]
    result = Result("bench", "gatys", "Gatys", forming(256)[-1], 12.0, 10 * count, False,
                    snapshots=reel)
    sent = result_json("bench", ReplicaAnswer(result, {}))
    before = {**sent, "snapshots": [{**entry, "image": encode_png(snapshot.image)}
                                    for entry, snapshot in zip(sent["snapshots"], reel)]}
    return {"snapshots": count, "snapshot_shape": list(reel[0].image.shape),
            "json_bytes_png_reel": len(json.dumps(before)),
            "json_bytes_jpeg_reel": len(json.dumps(sent)),
            "reel_bytes_png": sum(len(e["image"]) for e in before["snapshots"]),
            "reel_bytes_jpeg": sum(len(e["image"]) for e in sent["snapshots"])}


def ratio(farm: float | None, local: float | None) -> float | None:
    return round(farm / local, 2) if farm and local else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--window", type=float, default=90.0, help="seconds per setting")
    parser.add_argument("--gatys-budget", type=float, default=12.0)
    parser.add_argument("--json-out", type=Path)
    parser.add_argument("--reel-only", action="store_true",
                        help="print only the result JSON's bytes with a JPEG / PNG reel")
    args = parser.parse_args()
    eval_dir = Path(os.environ.get("STYLE_DUEL_EVAL_DIR", str(ROOT.parent / "shared" / "eval")))
    if args.reel_only:
        print(json.dumps(reel_bytes(eval_dir), indent=1))
        return 0
    shared = os.environ.get("STYLE_DUEL_SHARED_MODELS", str(ROOT.parent / "shared" / "models"))
    models_dir = Path(shared) if Path(shared).is_dir() else None
    from models.cache import default_models_dir
    models_dir = models_dir or default_models_dir()
    url = start_bench_farm(models_dir)
    warm_farm(url, args.gatys_budget)
    report = {"machine": f"{os.cpu_count()} CPUs, no GPU", "models_dir": str(models_dir),
              "window_s": args.window, "gatys_budget_s": args.gatys_budget, "settings": [],
              "reel_bytes": reel_bytes(eval_dir)}
    farm_rows = {}
    for kiosks in args.kiosks:
        farm_rows[kiosks] = farm_setting(kiosks, url, args.window, args.gatys_budget)
    from models.farm.cluster import stop_farm
    stop_farm()
    for kiosks in args.kiosks:
        local = local_setting(kiosks, models_dir, args.window, args.gatys_budget)
        farm, batches = farm_rows[kiosks]
        report["settings"].append({
            "kiosks": kiosks, "farm": farm, "local": local, "magenta_batch_sizes": batches,
            "ratio_farm_to_local": {key: ratio(farm[key], local[key]) for key in (
                "rounds_per_minute", "magenta_p50_s", "magenta_p95_s", "gatys_p50_s",
                "gatys_p95_s", "cpu_s_per_round")}})
    text = json.dumps(report, indent=1)
    print(text)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
