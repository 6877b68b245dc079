"""Is the score a fair judge? Five checks on pictures the encoder never saw (JSON on stdout).

    python bench/score_validity.py [--model DIR] [--gatys-seconds 20] [--quick]

Pictures: bench/score_ladders.unseen_images() (../shared/eval minus the two photos the
training used, plus the held-out catalogue pictures). Figures, each {name, figure, unit}:
1. monotonic_pct: six ladders (blur, noise, JPEG, colour cast, brush re-rendering by the demo
   bot, crop/shift), five levels each; a step from level i to i+1 counts when the score
   falls. Ranked on the unrounded grade; *_rounded counts a tie of the shown score as a miss.
   Target >= 95 %.
2. discrimination_pct: score(A, distorted A) > score(A, B) for every distorted version of
   every picture A and every other unseen picture B. Target >= 95 %.
3. kendall_tau_vs_ssim: per picture, all 30 distorted versions ranked by the score and by
   SSIM (scikit-image) against the original; mean Kendall tau over pictures. Target >= 0.7.
   kendall_tau_vs_ssim_within_ladder is the same inside each ladder (5 versions).
4. texture_tolerance_pct: Magenta(X, s) scores higher against Gatys(X, s) than against
   Gatys(Y, s), over styles s and content pairs X != Y. Target >= 90 %.
5. ms_per_comparison: score(a, b) of two new pictures (both encoded), model loaded; median.
   Target <= 50 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import score_ladders as ladders  # noqa: E402


def figure(name: str, value, unit: str) -> dict:
    return {"name": name, "figure": value, "unit": unit}


def monotonic(grades: dict, rounded: bool) -> tuple[float, dict]:
    """grades[(picture, ladder)] = [g1..g5] -> % of falling steps, overall and per ladder."""
    per_ladder: dict[str, list[bool]] = {}
    for (_, ladder), values in grades.items():
        values = [round(v, 1) for v in values] if rounded else values
        per_ladder.setdefault(ladder, []).extend(
            b < a for a, b in zip(values, values[1:]))
    every = [ok for oks in per_ladder.values() for ok in oks]
    return (100 * float(np.mean(every)),
            {k: round(100 * float(np.mean(v)), 1) for k, v in per_ladder.items()})


def kendall(a, b) -> float:
    from scipy.stats import kendalltau

    return float(kendalltau(a, b).statistic)


def ladder_figures(scorer, pictures: dict[str, np.ndarray], painter) -> list[dict]:
    """Figures 1-3: ladders, discrimination against unrelated pictures, SSIM agreement."""
    from skimage.metrics import structural_similarity

    make = ladders.distortions(painter)
    embeddings = {name: scorer.embed(image) for name, image in pictures.items()}
    grades, ssims = {}, {}
    wins, duels = 0, 0
    for name, image in pictures.items():
        rng = np.random.default_rng(7)
        others = [scorer.grade(embeddings[name], embeddings[o]) for o in pictures if o != name]
        for ladder, levels in ladders.LADDERS.items():
            versions = [ladders.fit_shape(make[ladder](image, level, rng), image.shape)
                        for level in levels]
            grades[name, ladder] = [scorer.grade(embeddings[name], scorer.embed(v))
                                    for v in versions]
            ssims[name, ladder] = [structural_similarity(image, v, channel_axis=2,
                                                         data_range=255) for v in versions]
            for g in grades[name, ladder]:
                wins += sum(g > o for o in others)
                duels += len(others)
    mono, per_ladder = monotonic(grades, rounded=False)
    mono_rounded, _ = monotonic(grades, rounded=True)
    pooled = [kendall([g for lad in ladders.LADDERS for g in grades[n, lad]],
                      [s for lad in ladders.LADDERS for s in ssims[n, lad]]) for n in pictures]
    within = [kendall(grades[key], ssims[key]) for key in grades]
    out = [figure("monotonic_pct", round(mono, 1), "% of ladder steps where the score falls"),
           figure("monotonic_rounded_pct", round(mono_rounded, 1),
                  "% of steps where the shown (one-decimal) score falls")]
    out += [figure(f"monotonic_{k}_pct", v, "% of steps") for k, v in per_ladder.items()]
    out += [figure("discrimination_pct", round(100 * wins / duels, 1),
                   f"% of {duels} (distorted A, unrelated B) pairs where A's version wins"),
            figure("kendall_tau_vs_ssim", round(float(np.mean(pooled)), 3),
                   "mean Kendall tau, 30 versions per picture (all ladders pooled)"),
            figure("kendall_tau_vs_ssim_min", round(float(np.min(pooled)), 3),
                   "worst picture's Kendall tau (all ladders pooled)"),
            figure("kendall_tau_vs_ssim_within_ladder", round(float(np.nanmean(within)), 3),
                   "mean Kendall tau inside one ladder (5 versions)")]
    for ladder in ladders.LADDERS:
        mean = float(statistics.mean(np.mean(grades[n, ladder]) for n in pictures))
        out.append(figure(f"mean_score_{ladder}", round(mean, 2), "score 0-10, all levels"))
    return out


def texture_figures(scorer, contents: dict, styles: dict, seconds: float) -> list[dict]:
    """Figure 4: Magenta(X, s) nearer Gatys(X, s) than Gatys(Y, s)."""
    pictures, label = ladders.nst_pairs(contents, styles, seconds)
    vectors = {key: scorer.embed(image) for key, image in pictures.items()}
    hits, cases, same, other = 0, 0, [], []
    for s in styles:
        for x in contents:
            mine = scorer.grade(vectors["magenta", x, s], vectors["gatys", x, s])
            same.append(mine)
            for y in contents:
                if y != x:
                    theirs = scorer.grade(vectors["magenta", x, s], vectors["gatys", y, s])
                    other.append(theirs)
                    hits += mine > theirs
                    cases += 1
    return [figure("texture_tolerance_pct", round(100 * hits / cases, 1),
                   f"% of {cases} cases ({label})"),
            figure("machines_agree_same_content", round(float(np.median(same)), 2),
                   "median score, Magenta(X, s) vs Gatys(X, s)"),
            figure("machines_agree_other_content", round(float(np.median(other)), 2),
                   "median score, Magenta(X, s) vs Gatys(Y, s)")]


def speed_figures(scorer, pictures: list[np.ndarray], runs: int) -> list[dict]:
    """Figure 5: one comparison = two pictures encoded + the grade, model already loaded."""
    scorer.score(pictures[0], pictures[1])                  # warm-up (graph, allocations)
    times = []
    for i in range(runs):
        a, b = pictures[i % len(pictures)], pictures[(i + 1) % len(pictures)]
        start = time.perf_counter()
        scorer.score(a, b)
        times.append(1000 * (time.perf_counter() - start))
    return [figure("ms_per_comparison", round(statistics.median(times), 1),
                   "ms, median (two pictures encoded + grade, 1 thread)"),
            figure("ms_per_comparison_p90", round(float(np.percentile(times, 90)), 1), "ms"),
            figure("machine_load_1min", round(os.getloadavg()[0], 2), "runnable processes")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="score model folder (default: committed)")
    parser.add_argument("--gatys-seconds", type=float, default=20.0,
                        help="Gatys budget per picture for the texture check (cached)")
    parser.add_argument("--quick", action="store_true", help="fewer pictures and runs")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from game.bot import bot_painter
    from models.score import Scorer
    from models.vgg import configure_threads

    configure_threads(1)
    scorer = Scorer.load(args.model)
    contents, styles, notes = ladders.unseen_images()
    for note in notes:
        print(note, file=sys.stderr)
    pictures = {**contents, **{f"style:{k}": v for k, v in styles.items()}}
    if args.quick:
        pictures = dict(list(pictures.items())[::3])
    out = [figure("pictures", len(pictures), "unseen pictures: " + ", ".join(pictures))]
    out += ladder_figures(scorer, pictures, bot_painter())
    texture_styles = {k: styles[k] for k in ("starry_night", "great_wave", "the_scream",
                                             "pointillism") if k in styles}
    out += texture_figures(scorer, contents, texture_styles, args.gatys_seconds)
    out += speed_figures(scorer, list(pictures.values()), 10 if args.quick else 40)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
