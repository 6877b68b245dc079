"""Kiosk soak: the soak bot plays many kiosk rounds with both NST workers (JSON on stdout).

The real game runs in this process (dummy SDL drivers, FastClock: game time races, but the
workers and the bot's waits on them run on the wall clock) with kiosk mode on, 30 s rounds
and a throw-away STYLE_DUEL_HOME. game.demo_soak's visitor plays every kind of kiosk round:
walks off after Magenta's picture (Gatys cancelled), waits for the score and signs (on-screen
keyboard or anonymous), signs before the score lands, walks away mid-painting (discarded).

After every round (when attract mode is back) it samples the game process's resident memory,
its live malloc'ed bytes (glibc mallinfo2: a leak climbs there, fragmentation does not), open
file descriptors and threads, each worker's memory, pid and restarts (with the reason the
service gives), and the Machines bookkeeping. Targets: no crash; resident memory grows
less than 50 MB after round 20; open file handles flat after round 20 (FD_SLACK allows a
pipe or two of a restart in flight). Per-round progress goes to stderr.

    python bench/soak.py [--rounds 200] [--seed 0] [--json-out PATH] [--tracemalloc]

--json-out writes the summary plus every round's sample; --tracemalloc adds the top Python
allocation growth between the baseline round and the last (slow: use it to find a leak);
--gc-each-round collects cyclic garbage before each sample (how much of the RSS is garbage
waiting for a full collection); --kill-worker-every N kills a worker now and then, to see
restarts counted and explained.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402

BASELINE_ROUND = 20         # caches and the result cache warm up before this round
RSS_GROWTH_MB_MAX = 50.0
FD_SLACK = 2                # a restart's queue pipes may be open at the moment of sampling
MB = 1024 * 1024
TRACE_TOP = 15


def mb(value: float | None) -> float | None:
    return None if value is None else round(value / MB, 1)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def glibc_mallinfo2():
    """glibc's mallinfo2, or None (another libc): live malloc bytes, unlike RSS."""
    try:
        function = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return None
    function.restype = _MallInfo2
    return function


def malloc_in_use(mallinfo2) -> float | None:
    """MB the process has malloc'ed and not freed (heap in use plus mmap'ed blocks).

    RSS also holds freed memory the allocator keeps and pages of half-empty heaps; this
    counts only live blocks, so a steady climb here is a leak and not fragmentation.
    """
    if mallinfo2 is None:
        return None
    info = mallinfo2()
    return mb(info.uordblks + info.hblkhd)


class Sampler:
    """Collects one sample per round from the running app (called by the soak director)."""

    def __init__(self, total: int, trace: bool, collect: bool = False,
                 kill_every: int = 0) -> None:
        self.total = total
        self.trace = trace
        self.collect = collect
        self.kill_every = kill_every
        self.samples: list[dict] = []
        self.snapshots: dict[str, object] = {}
        self.process = psutil.Process()
        self.mallinfo2 = glibc_mallinfo2()
        self.started = time.monotonic()

    def __call__(self, app, report) -> None:
        collect_ms = None
        if self.collect:        # --gc-each-round: what memory would be without cycle lag
            start = time.perf_counter()
            gc.collect()
            collect_ms = round((time.perf_counter() - start) * 1000, 1)
        machines = app.services.machines
        workers = {engine: self._worker(status)
                   for engine, status in machines.status().items()}
        service = machines._service      # diagnostics only: the bookkeeping must not grow
        sample = {
            "round": report.number, "kind": report.kind, "outcome": report.outcome,
            "score_status": report.score_status, "reveal_timeout": report.reveal_timeout,
            "reveal_wait_s": report.reveal_wait_s, "wall_s": round(report.wall_s, 2),
            "rss_mb": mb(self.process.memory_info().rss),
            "malloc_in_use_mb": malloc_in_use(self.mallinfo2),
            "fds": self.process.num_fds(), "threads": self.process.num_threads(),
            "children": len(self.process.children()),
            "workers": workers,
            "machines": {"slots": len(machines._slots), "unscored": len(machines._unscored),
                         "scoring": len(machines._scoring),
                         "live_jobs": len(service.live_jobs()) if service else 0},
            "service": vars(service.stats).copy() if service else {},
            "image_cache": {"arrays": len(app.services.images._arrays),
                            "surfaces": len(app.services.images._surfaces)},
            "text_cache": len(app.theme._cache),
            # Full collections so far: dead scenes sit in reference cycles until one runs.
            "gc_full_collections": gc.get_stats()[2]["collections"],
            "gc_collect_ms": collect_ms,
            "elapsed_s": round(time.monotonic() - self.started, 1),
        }
        self.samples.append(sample)
        if self.trace and report.number in (min(BASELINE_ROUND, self.total), self.total):
            import tracemalloc
            self.snapshots["baseline" if "baseline" not in self.snapshots else "last"] = \
                tracemalloc.take_snapshot()
        # Never after the last round: its restart would not be seen.
        if self.kill_every and report.number % self.kill_every == 0 \
                and report.number < self.total:
            sample["killed"] = self._kill(workers, report.number // self.kill_every)
        workers_text = " ".join(f"{e}={w['rss_mb']}MB/{w['restarts']}r"
                                for e, w in workers.items())
        print(f"soak round {report.number}/{self.total} {report.kind:<10} "
              f"{report.outcome:<16} {sample['wall_s']:6.1f}s rss={sample['rss_mb']}MB "
              f"malloc={sample['malloc_in_use_mb']}MB "
              f"fds={sample['fds']} threads={sample['threads']} workers: {workers_text}",
              file=sys.stderr, flush=True)

    @staticmethod
    def _kill(workers: dict, turn: int) -> str | None:
        """--kill-worker-every: SIGKILL the engines' workers in turn (tests restarts)."""
        engines = sorted(workers)
        engine = engines[turn % len(engines)] if engines else None
        pid = workers[engine]["pid"] if engine else None
        if pid is None:
            return None
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            return None
        return engine

    @staticmethod
    def _worker(status) -> dict:
        rss = None
        if status.pid is not None:
            try:
                rss = psutil.Process(status.pid).memory_info().rss
            except psutil.Error:
                pass            # it exited between status() and now: a restart is coming
        return {"state": status.state, "pid": status.pid, "rss_mb": mb(rss),
                "restarts": status.restarts, "last_reason": status.last_reason}


def trace_growth(snapshots: dict) -> dict | None:
    """Python allocations (numpy buffers included) that grew from baseline to last."""
    if "last" not in snapshots:
        return None
    stats = snapshots["last"].compare_to(snapshots["baseline"], "lineno")
    return {"total_kb": round(sum(stat.size_diff for stat in stats) / 1024, 1),
            "top": [str(stat) for stat in stats[:TRACE_TOP]]}


def at_round(samples: list[dict], number: int, key: str):
    for sample in samples:
        if sample["round"] == number:
            return sample[key]
    return None


def slope_per_100(rounds: list[int], values: list[float]) -> float | None:
    """Least-squares trend: a leak climbs steadily, allocator noise goes up and down."""
    if len(rounds) < 3:
        return None
    return round(statistics.linear_regression(rounds, values).slope * 100, 1)


def series(samples: list[dict], key: str, baseline: int) -> dict:
    values = [s[key] for s in samples]
    base = at_round(samples, baseline, key)
    after = [s for s in samples if s["round"] >= baseline]
    tail = [s[key] for s in after][-10:]
    return {"round_1": values[0], f"round_{baseline}": base, "last": values[-1],
            "max": max(values), "growth_after_baseline": round(values[-1] - base, 1),
            "growth_median_last_10": round(statistics.median(tail) - base, 1),
            "min_after_baseline": min(s[key] for s in after),
            "max_after_baseline": max(s[key] for s in after),
            "trend_per_100_rounds": slope_per_100([s["round"] for s in after],
                                                  [s[key] for s in after])}


def worker_summary(samples: list[dict]) -> dict:
    """Per engine: memory first/last/max, and every restart with the round and the reason."""
    out = {}
    for engine in samples[-1]["workers"]:
        seen = [s["workers"][engine] for s in samples if engine in s["workers"]]
        rss = [w["rss_mb"] for w in seen if w["rss_mb"] is not None]
        events, before = [], 0
        for sample in samples:
            worker = sample["workers"].get(engine)
            if worker and worker["restarts"] > before:
                events.append({"round": sample["round"], "restarts": worker["restarts"],
                               "reason": worker["last_reason"]})
                before = worker["restarts"]
        out[engine] = {"rss_mb_first": rss[0] if rss else None,
                       "rss_mb_last": rss[-1] if rss else None,
                       "rss_mb_max": max(rss) if rss else None,
                       "pids": len({w["pid"] for w in seen if w["pid"]}),
                       "restarts": seen[-1]["restarts"], "restart_events": events}
    return out


def on_disk(home: Path, gallery_size: int) -> dict:
    gallery = home / "data" / "gallery"
    entries = [p for p in gallery.iterdir() if (p / "meta.json").is_file()] \
        if gallery.is_dir() else []
    rows = scored = None
    board = home / "data" / "leaderboard.sqlite3"
    if board.is_file():
        with sqlite3.connect(board) as db:
            rows = db.execute("SELECT COUNT(*) FROM scores").fetchone()[0]
            scored = db.execute("SELECT COUNT(*) FROM scores WHERE score IS NOT NULL"
                                ).fetchone()[0]
    return {"gallery_entries": len(entries), "gallery_size": gallery_size,
            "leaderboard_rows": rows, "leaderboard_rows_scored": scored}


def summarize(args, sampler: Sampler, crash: str | None, home: Path, config,
              wall_s: float) -> dict:
    samples = sampler.samples
    played = len(samples)
    result: dict = {"rounds_requested": args.rounds, "rounds_played": played,
                    "crashes": 1 if crash else 0, "crash": crash, "seed": args.seed,
                    "gc_each_round": args.gc_each_round}
    if not samples:
        result["pass"] = False
        return result
    baseline = min(BASELINE_ROUND, played)
    rss, fds = series(samples, "rss_mb", baseline), series(samples, "fds", baseline)
    in_use = series(samples, "malloc_in_use_mb", baseline) \
        if samples[-1]["malloc_in_use_mb"] is not None else None
    threads = series(samples, "threads", baseline)
    walls = [s["wall_s"] for s in samples]
    by_kind: dict[str, list[float]] = {}
    for sample in samples:
        by_kind.setdefault(sample["kind"], []).append(sample["wall_s"])
    last = samples[-1]
    disk = on_disk(home, config.kiosk.gallery_size)
    result.update({
        "baseline_round": baseline,
        "rss_mb": rss,
        "rss_growth_after_round_20_mb": rss["growth_after_baseline"],
        "rss_growth_median_last_10_mb": rss["growth_median_last_10"],
        "malloc_in_use_mb": in_use,
        "fds": fds,
        "fds_growth_after_round_20": fds["growth_after_baseline"],
        "threads": threads,
        "children_last": last["children"],
        "workers": worker_summary(samples),
        "kinds": dict(Counter(s["kind"] for s in samples)),
        "outcomes": dict(Counter(s["outcome"] for s in samples)),
        "reveal_timeouts": sum(s["reveal_timeout"] for s in samples),
        "workers_killed_by_soak": dict(Counter(s["killed"] for s in samples
                                               if s.get("killed"))),
        "reveal_wait_s_median": {kind: statistics.median(
            s["reveal_wait_s"] for s in samples if s["kind"] == kind)
            for kind in by_kind if kind != "walk_away"},
        "wall_s": round(wall_s, 1),
        "wall_s_per_round_median": round(statistics.median(walls), 2),
        "wall_s_per_round_median_by_kind": {k: round(statistics.median(v), 2)
                                            for k, v in by_kind.items()},
        "machines_bookkeeping_last": last["machines"],
        "machines_bookkeeping_max": {k: max(s["machines"][k] for s in samples)
                                     for k in last["machines"]},
        "service_stats": last["service"],
        "image_cache_last": last["image_cache"],
        "gc_full_collections": last["gc_full_collections"],
        "gc_collect_ms_median": statistics.median(s["gc_collect_ms"] for s in samples)
        if args.gc_each_round else None,
        **disk,
        "machine_load_1min": round(os.getloadavg()[0], 2),
        "targets": {"rss_growth_mb_max": RSS_GROWTH_MB_MAX, "fds_growth_max": FD_SLACK,
                    "crashes": 0},
    })
    if sampler.trace:
        result["tracemalloc_growth"] = trace_growth(sampler.snapshots)
    result["pass"] = bool(
        not crash and played == args.rounds
        and rss["growth_after_baseline"] < RSS_GROWTH_MB_MAX
        and rss["growth_median_last_10"] < RSS_GROWTH_MB_MAX
        and fds["growth_after_baseline"] <= FD_SLACK
        and disk["gallery_entries"] <= config.kiosk.gallery_size)
    return result


def run(args, home: Path) -> tuple[Sampler, str | None, object]:
    from game.config import GameConfig
    from game.demo_soak import SoakDirector
    from game.launcher import run_game
    from game.paths import default_config_path

    config = GameConfig()
    config.kiosk.enabled = True
    config.round.seconds = 30           # the shortest round the settings allow
    sampler = Sampler(args.rounds, args.tracemalloc, args.gc_each_round,
                      args.kill_worker_every)
    director = SoakDirector(rounds=args.rounds, screenshots=None, seed=args.seed,
                            on_round_end=sampler, walk_every=args.walk_away_every,
                            full_every=args.full_every, reveal_wait_s=args.reveal_wait_s)
    crash = None
    try:
        code = run_game(config, default_config_path(), [], seed=args.seed, director=director,
                        fast_clock=True)
        if code != 0:
            crash = f"run_game returned {code}"
    except (Exception, KeyboardInterrupt):      # noqa: BLE001 - the soak reports any crash
        crash = traceback.format_exc()
        app = director.app
        if app is not None:
            try:
                app.services.close()        # the workers must not outlive a crashed soak
            except Exception:               # noqa: BLE001
                crash += "\nwhile closing the services:\n" + traceback.format_exc()
    return sampler, crash, config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json-out", type=Path, help="also write the JSON (with samples) here")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="trace Python allocations (slow) and report the top growth")
    parser.add_argument("--gc-each-round", action="store_true",
                        help="gc.collect() before each sample (compare: cyclic garbage lag)")
    parser.add_argument("--keep-home", action="store_true",
                        help="keep the throw-away STYLE_DUEL_HOME (gallery, scores) to look at")
    parser.add_argument("--kill-worker-every", type=int, default=0, metavar="N",
                        help="SIGKILL a worker (engines in turn) after every Nth round, "
                             "to check restarts are counted and explained (0: never)")
    parser.add_argument("--walk-away-every", type=int, default=7,
                        help="every Nth round the visitor walks away mid-painting (0: never)")
    parser.add_argument("--full-every", type=int, default=10,
                        help="every Nth round waits for the score and signs (0: never)")
    parser.add_argument("--reveal-wait-s", type=float, default=90.0,
                        help="wall-clock cap on waiting for the machines in one reveal")
    args = parser.parse_args(argv)
    if args.tracemalloc:
        import tracemalloc
        tracemalloc.start(1)     # one frame: growth by line is enough, and cheaper
    from models.cache import MODELS_ENV, default_models_dir
    # Installed networks stay in use (the workers run what a kiosk would); scores, the
    # gallery and the result cache land in a throw-away home.
    os.environ.setdefault(MODELS_ENV, str(default_models_dir()))
    home = Path(tempfile.mkdtemp(prefix="style-duel-soak-"))
    os.environ["STYLE_DUEL_HOME"] = str(home)
    start = time.monotonic()
    sampler, crash, config = run(args, home)
    result = summarize(args, sampler, crash, home, config, time.monotonic() - start)
    if args.keep_home:
        result["home"] = str(home)
    else:
        shutil.rmtree(home, ignore_errors=True)     # a 200-round home holds ~85 MB
    print(json.dumps(result, indent=2))
    if args.json_out is not None:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({**result, "samples": sampler.samples}, indent=2),
                                 encoding="utf-8")
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
