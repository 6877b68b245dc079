"""The issue-10 validity targets and the ladder table, from scored ladders (numpy only).

A row is one reference R (one machine's picture of one pair) and what every rung scored
against it: {"set", "content", "style", "ref", "scores": {rung: x}, "parts": {rung: {...}},
"old": {rung: x}}. `targets` is /work/score-lab/analyze.py's, so the benchmark measures what
the study measured: maxima over every reference for the trivial and wrong-layout rungs, the
share of references whose whole order holds, the bot's per-style fairness and the machines'
agreement.
"""
from __future__ import annotations

import numpy as np

PARTS = ("layout", "colour", "brushwork")
RIGHT = ("photo", "blurred", "posterised", "bot")
WRONG = ("flat", "blobs", "blank", "scribble", "tiles", "upside", "other_photo", "bot_other")
AGREEMENT = ("machine_same", "machine_other")     # scored as the machines' mutual agreement
ORDER = ("copy", *RIGHT, "bot_other", "flat", "blobs", "blank", "scribble", "tiles", "upside",
         "other_photo", *AGREEMENT)
# name -> (comparison, limit): the issue's targets
PASS = {"flat_max": ("<=", 1.5), "blobs_max": ("<=", 2.0), "blank_max": ("<=", 0.5),
        "scribble_max": ("<=", 0.5), "tiles_max": ("<=", 3.0), "upside_max": ("<=", 3.0),
        "other_photo_max": ("<=", 3.0), "order_pct": (">=", 95.0),
        "fairness_max_dev": ("<=", 1.5), "machines_same_median": (">=", 7.0),
        "machines_other_median": ("<=", 2.5)}
ATTACK_LIMIT = 2.5
FAIRNESS_RUNGS = ("bot", "photo", "posterised")   # the target is the bot's; the rest context


def values(rows: list[dict], rung: str, key: str = "scores") -> list[float]:
    return [r[key][rung] for r in rows if rung in r[key]]


def order_holds(scores: dict[str, float]) -> bool:
    """copy > every right rung > every wrong rung, on one reference."""
    right = [scores[k] for k in RIGHT if k in scores]
    wrong = [scores[k] for k in WRONG if k in scores]
    if not right:
        return False
    return scores["copy"] > max(right) and (not wrong or min(right) > max(wrong))


def fairness(rows: list[dict], rung: str, key: str = "scores") -> dict:
    """A rung's mean per style against its mean over every style: the largest deviation."""
    by_style: dict[str, list[float]] = {}
    for r in rows:
        if rung in r[key]:
            by_style.setdefault(r["style"], []).append(r[key][rung])
    if not by_style:
        return {"max_dev": None, "mean": None, "per_style": {}}
    overall = float(np.mean([x for v in by_style.values() for x in v]))
    per_style = {s: float(np.mean(v)) for s, v in by_style.items()}
    return {"max_dev": max(abs(v - overall) for v in per_style.values()), "mean": overall,
            "per_style": per_style}


def _max(xs: list[float]) -> float | None:
    return max(xs) if xs else None


def _median(xs: list[float]) -> float | None:
    return float(np.median(xs)) if xs else None


def targets(rows: list[dict], key: str = "scores") -> dict[str, float | None]:
    """The measured value of every target (None when no reference had that rung)."""
    t: dict[str, float | None] = {}
    for rung in ("flat", "blobs", "blank", "scribble", "tiles", "upside", "other_photo"):
        t[f"{rung}_max"] = _max(values(rows, rung, key))
    t["order_pct"] = (100 * float(np.mean([order_holds(r[key]) for r in rows]))
                      if rows else None)
    t["fairness_max_dev"] = fairness(rows, "bot", key)["max_dev"]
    t["machines_same_median"] = _median(values(rows, "machine_same", key))
    t["machines_other_median"] = _median(values(rows, "machine_other", key))
    return t


def met(value: float | None, comparison: str, limit: float) -> bool | None:
    if value is None:
        return None
    return value <= limit if comparison == "<=" else value >= limit


def target_report(new: dict, old: dict, attack: dict | None) -> dict[str, dict]:
    """{target: {"value", "target", "met", "old_score"}}; the old score's value is there for
    comparison only (it was never meant to meet these)."""
    out = {}
    for name, (comparison, limit) in PASS.items():
        out[name] = {"value": rounded(new[name]), "target": f"{comparison} {limit:g}",
                     "met": met(new[name], comparison, limit), "old_score": rounded(old[name])}
    end = attack.get("max_end") if attack else None
    out["attack_max_end"] = {"value": rounded(end), "target": f"<= {ATTACK_LIMIT:g}",
                             "met": met(end, "<=", ATTACK_LIMIT), "old_score": None}
    return out


def rounded(x, digits: int = 2):
    if isinstance(x, dict):
        return {k: rounded(v, digits) for k, v in x.items()}
    return None if x is None else round(float(x), digits)


def ladder_table(rows: list[dict]) -> dict[str, dict]:
    """Per rung: how many references, the new score's mean/min/max, each part's mean, and the
    old score's mean/max beside it."""
    table = {}
    for rung in ORDER:
        scores = values(rows, rung)
        if not scores:
            continue
        parts = [r["parts"][rung] for r in rows if rung in r["parts"]]
        old = values(rows, rung, "old")
        table[rung] = {"n": len(scores), "mean": rounded(np.mean(scores)),
                       "min": rounded(min(scores)), "max": rounded(max(scores)),
                       **{p: rounded(np.mean([q[p] for q in parts])) for p in PARTS},
                       "old_mean": rounded(np.mean(old)) if old else None,
                       "old_max": rounded(max(old)) if old else None}
    return table


def order_failures(rows: list[dict]) -> list[dict]:
    """References whose order broke: the weakest right rung and the strongest wrong one."""
    out = []
    for r in rows:
        s = r["scores"]
        if order_holds(s):
            continue
        right = min((k for k in RIGHT if k in s), key=lambda k: s[k])
        wrong = max((k for k in WRONG if k in s), key=lambda k: s[k], default=None)
        out.append({"reference": f"{r['ref']} {r['content']} x {r['style']}",
                    "copy": rounded(s["copy"]), "lowest_right": [right, rounded(s[right])],
                    "highest_wrong": [wrong, rounded(s[wrong]) if wrong else None]})
    return out


def fairness_report(rows: list[dict]) -> dict:
    """The bot's fairness (the target) and the photo's and posterised photo's as context:
    rungs the bot does not paint separate the score's bias from the bot's."""
    out = {}
    for rung in FAIRNESS_RUNGS:
        f = fairness(rows, rung)
        out[rung] = {"max_dev": rounded(f["max_dev"]), "mean": rounded(f["mean"]),
                     "per_style": rounded(f["per_style"]),
                     "old_max_dev": rounded(fairness(rows, rung, "old")["max_dev"])}
    return out
