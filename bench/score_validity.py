"""Is the score a fair judge? Issue 10's validity targets, measured on ladders (one JSON document).

    python bench/score_validity.py [--contents DIR] [--styles DIR] [--art] [--quick] [--jobs 2]
        [--gatys-seconds 20] [--gatys-pairs N] [--attack-steps 2000] [--attack-pairs N]

Pairs: every content x style of --contents and --styles (default ../shared/eval, or
$STYLE_DUEL_EVAL_DIR), plus the game's art/content x art/styles with --art. Each machine picture
of a pair (X, s) is a reference R, and a ladder of rungs is scored against it
(bench/score_ladders.rungs): copy; photo X, blurred, posterised; the demo bot's painting of X and
of Y (the next photo); R's flat fill, palette blobs, blank paper, scribble, shuffled tiles,
upside down; the same machine's picture of (Y, s); and the other machine's pictures of (X, s)
and (Y, s), scored as the machines' agreement (both directions averaged, as
Scorer.agreement, unrounded). Every rung gets the new score (unrounded) and the old one
(models.score_legacy) for comparison. Then the targets (bench/score_rungs), the 8-blob
hill-climb (bench/score_attack) on every Magenta reference, and the cost (bench/score_speed).

Generated pictures are cached in out/score_bench_cache/, so only the first run is long (about
40-60 minutes on 2 cores with --jobs 2). Progress goes to stderr.
"""
from __future__ import annotations

import os

# One thread per process for every numeric library, set before numpy loads: with --jobs 2 on
# two shared cores, extra threads only fight each other.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import score_attack  # noqa: E402
import score_ladders as ladders  # noqa: E402
import score_rungs  # noqa: E402
import score_speed  # noqa: E402

QUICK = {"pictures": 2, "attack_steps": 100, "bot_strokes": 120, "gatys_seconds": 5.0,
         "speed_references": 2}


@dataclass(frozen=True)
class BenchSettings:
    contents: Path
    styles: Path
    art: bool = False
    quick: bool = False
    jobs: int = 1
    gatys_pairs: int | None = None          # None: Gatys on every pair
    attack_pairs: int | None = None         # None: the attack on every Magenta reference
    attack: score_attack.AttackSettings = field(default_factory=score_attack.AttackSettings)
    machines: ladders.MachineSettings = field(default_factory=ladders.MachineSettings)
    model: Path | None = None
    speed_references: int = 8               # references timed; 5 paintings each


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class State:
    """What one process needs: the pair sets, the picture maker, the scorers (loaded lazily,
    one TensorFlow thread)."""

    def __init__(self, settings: BenchSettings):
        limit = QUICK["pictures"] if settings.quick else None
        self.sets = {"eval": ladders.load_set("eval", settings.contents, settings.styles, limit)}
        if settings.art:
            art = ROOT / "art"
            self.sets["art"] = ladders.load_set("art", art / "content", art / "styles", limit)
        self.settings = settings
        self.pictures = ladders.Pictures(
            self.sets, settings.machines, ladders.engine_labels(settings.machines),
            ladders.gatys_selection(self.sets, settings.gatys_pairs))
        self._scorer = self._legacy = None

    @property
    def scorer(self):
        if self._scorer is None:
            from models.score import Scorer
            from models.vgg import configure_threads

            configure_threads(1)
            self._scorer = Scorer.load(self.settings.model)
        return self._scorer

    @property
    def legacy(self):
        if self._legacy is None:
            from models.encoder import RECORD_FILE
            from models.score import model_dir
            from models.score_legacy import LegacyScorer

            folder = self.settings.model or model_dir()
            record = json.loads((Path(folder) / RECORD_FILE.name).read_text(encoding="utf-8"))
            self._legacy = LegacyScorer(self.scorer.model, record)
        return self._legacy


_STATE: State | None = None


def _init(settings: BenchSettings) -> None:
    global _STATE
    _STATE = State(settings)


def make_pictures(task: tuple[str, str, str]) -> dict:
    """Phase 1: one pair's machine pictures and bot painting, made or read from the cache."""
    seconds = {}
    for kind in ("magenta", "gatys", "bot"):
        start = time.monotonic()
        if _STATE.pictures.get(kind, *task) is not None:
            seconds[kind] = round(time.monotonic() - start, 1)
    return seconds


def score_pair(task: tuple[str, str, str]) -> list[dict]:
    """Phase 2: one pair's ladders, one row per machine picture of it."""
    set_name, content, style = task
    scorer, legacy, rows = _STATE.scorer, _STATE.legacy, []
    for kind in ladders.MACHINES:
        ref = _STATE.pictures.get(kind, *task)
        if ref is None:
            continue
        prepared, old_ref = scorer.reference(ref), legacy.embed(ref)
        row = {"set": set_name, "content": content, "style": style, "ref": kind,
               "scores": {}, "parts": {}, "old": {}}
        for rung, picture in ladders.rungs(_STATE.pictures, kind, *task).items():
            if rung in score_rungs.AGREEMENT:
                judgements = [scorer.judge(picture, ref), scorer.judge(prepared.features, picture)]
            else:
                judgements = [prepared.judge(scorer.features(picture))]
            row["scores"][rung] = float(np.mean([j.score for j in judgements]))
            row["parts"][rung] = {p: float(np.mean([j.parts[p] for j in judgements]))
                                  for p in score_rungs.PARTS}
            row["old"][rung] = legacy.grade(legacy.embed(picture), old_ref)
        rows.append(row)
    return rows


def attack_pair(task: tuple[str, str, str]) -> dict:
    """Phase 3: the 8-blob hill-climb against one pair's Magenta picture."""
    ref = _STATE.pictures.get("magenta", *task)
    result = score_attack.climb(_STATE.scorer, ref, _STATE.settings.attack)
    canvas = result.pop("canvas")
    folder = ladders.CACHE / "attack"           # the climber's best canvas, to look at
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(canvas).save(folder / f"{ladders.digest(ref)}.png")
    return {"set": task[0], "pair": f"{task[1]} x {task[2]}",
            **score_rungs.rounded({k: result[k] for k in ("start", "end", "seconds")}),
            "parts": score_rungs.rounded(result["parts"])}


def run_phase(name: str, fn, tasks: list, pool: ProcessPoolExecutor | None) -> list:
    """fn over tasks, in this process or the pool; results in task order, progress logged."""
    start, results = time.monotonic(), [None] * len(tasks)
    if pool is None:
        futures = None
        done = ((i, fn(task)) for i, task in enumerate(tasks))
    else:
        futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
        done = ((futures[f], f.result()) for f in as_completed(futures))
    for count, (i, result) in enumerate(done, 1):
        results[i] = result
        log(f"{name} {count}/{len(tasks)} {' x '.join(tasks[i][1:])} "
            f"({time.monotonic() - start:.0f} s)")
    return results


def benchmark(settings: BenchSettings) -> dict:
    wall, seconds = time.monotonic(), {}
    main = State(settings)
    pairs = [(name, c, s) for name, pair in main.sets.items() for c, s in pair.pairs()]
    attack_tasks = ladders.spread(pairs, settings.attack_pairs)
    log(f"{len(pairs)} pairs, Gatys on {len(main.pictures.gatys_pairs)}, attack on "
        f"{len(attack_tasks)}; {main.pictures.labels}")
    pool = None
    if settings.jobs > 1:
        pool = ProcessPoolExecutor(settings.jobs, multiprocessing.get_context("spawn"),
                                   initializer=_init, initargs=(settings,))
    else:
        global _STATE
        _STATE = main
    def phase(name: str, fn, tasks: list) -> list:
        start = time.monotonic()
        results = run_phase(name, fn, tasks, pool)
        seconds[name] = round(time.monotonic() - start)
        return results

    try:
        # In order: the ladders of (X, s) need the pictures of (Y, s) made by another task.
        made = phase("pictures", make_pictures, pairs)
        rows = [row for pair_rows in phase("ladders", score_pair, pairs) for row in pair_rows]
        attacks = phase("attack", attack_pair, attack_tasks)
    finally:
        if pool is not None:
            pool.shutdown()
    start = time.monotonic()
    cost = score_speed.speed(main.scorer, main.pictures, settings.speed_references)
    seconds["speed"] = round(time.monotonic() - start)
    seconds["total"] = round(time.monotonic() - wall)
    return report(settings, main, rows, attacks, made, cost, seconds)


def report(settings: BenchSettings, main: State, rows: list[dict], attacks: list[dict],
           made: list[dict], cost: dict, seconds: dict) -> dict:
    attack = score_attack.summary(attacks, score_rungs.ATTACK_LIMIT, settings.attack)
    targets = score_rungs.target_report(score_rungs.targets(rows),
                                        score_rungs.targets(rows, "old"), attack)
    refs = {kind: sum(r["ref"] == kind for r in rows) for kind in ladders.MACHINES}
    made_seconds = {kind: round(sum(m.get(kind, 0) for m in made)) for kind in
                    ("magenta", "gatys", "bot")}
    return {
        "benchmark": "score_validity (issue 10)", "score_model": main.scorer.label,
        "score_config": asdict(main.scorer.config),
        "settings": {"contents": str(settings.contents), "styles": str(settings.styles),
                     "art": settings.art, "quick": settings.quick, "jobs": settings.jobs,
                     "side": ladders.SIDE, "attack": asdict(settings.attack),
                     "machines": {k: str(v) if isinstance(v, Path) else v
                                  for k, v in asdict(settings.machines).items()}},
        "pictures": {"sets": {n: {"contents": list(p.contents), "styles": list(p.styles)}
                              for n, p in main.sets.items()},
                     "pairs": sum(len(p.pairs()) for p in main.sets.values()),
                     "references": refs, "engines": main.pictures.labels,
                     "seconds_to_make_or_read": made_seconds},
        "targets": targets,
        "all_met": all(t["met"] for t in targets.values()),
        "fairness": score_rungs.fairness_report(rows),
        "ladder": score_rungs.ladder_table(rows),
        "order_failures": score_rungs.order_failures(rows),
        "attack": attack,
        "speed": cost,
        "seconds": seconds,
    }


def parse(argv: list[str] | None = None) -> BenchSettings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contents", type=Path, default=ladders.EVAL / "content")
    parser.add_argument("--styles", type=Path, default=ladders.EVAL / "styles")
    parser.add_argument("--art", action="store_true",
                        help="also the game's art/content x art/styles pairs")
    parser.add_argument("--quick", action="store_true",
                        help="2 contents x 2 styles, short Gatys, 100 attack steps, 120 strokes")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1 thread each)")
    parser.add_argument("--gatys-seconds", type=float, help="Gatys budget per picture "
                        f"(default {ladders.MachineSettings.gatys_seconds:g}, quick "
                        f"{QUICK['gatys_seconds']:g})")
    parser.add_argument("--gatys-pairs", type=int, help="Gatys on N pairs spread over the "
                        "styles (default: every pair)")
    parser.add_argument("--attack-steps", type=int, help="hill-climb steps (default 2000, "
                        f"quick {QUICK['attack_steps']})")
    parser.add_argument("--attack-pairs", type=int, help="attack N Magenta references, spread "
                        "(default: all)")
    parser.add_argument("--model", type=Path, help="score model folder (default: committed)")
    args = parser.parse_args(argv)
    quick = args.quick
    steps = args.attack_steps or (QUICK["attack_steps"] if quick else 2000)
    gatys = args.gatys_seconds or (QUICK["gatys_seconds"] if quick
                                   else ladders.MachineSettings.gatys_seconds)
    strokes = QUICK["bot_strokes"] if quick else ladders.MachineSettings.bot_strokes
    return BenchSettings(
        args.contents, args.styles, art=args.art, quick=quick, jobs=max(1, args.jobs),
        gatys_pairs=args.gatys_pairs, attack_pairs=args.attack_pairs,
        attack=score_attack.AttackSettings(steps=steps),
        machines=ladders.MachineSettings(gatys_seconds=gatys, bot_strokes=strokes),
        model=args.model,
        speed_references=QUICK["speed_references"] if quick else 8)


def main() -> int:
    result = benchmark(parse())
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
