"""Per-reference detail of one sweep2 spec: python inspect_cfg.py SET"""
import sys, numpy as np
import analyze as A, sweep2 as S
SPEC = (("hp_lay_g16",), ("de_ms",), ("std_log",), "paper", 0.7, 0.5, 5.0, (0.4, 0.3, 0.3))
rows = A.load([sys.argv[1]])
total, st = S.evaluate(rows, SPEC)
col = {g: j for j, g in enumerate(S.RUNGS)}
show = ["copy", "photo", "blurred", "posterised", "bot", "bot_other", "tiles", "upside", "other_photo", "mosaic_rung", "machine_same", "machine_other"]
print("%-30s" % "ref", " ".join("%6s" % g[:6] for g in show))
for i, r in enumerate(rows):
    right = [total[i, col[g]] for g in A.RIGHT]
    wrong = [total[i, col[g]] for g in A.WRONG]
    flag = "" if min(right) > max(wrong) else "  <-- order"
    print("%-30s" % f"{r['ref'][:3]} {r['content']} {r['style'][:12]}", " ".join("%6.2f" % total[i, col[g]] for g in show), flag)
t = S.targets(total, st)
print({k: round(v, 2) for k, v in t.items()})
bot = total[:, col["bot"]]
print({s: round(float(bot[st == s].mean()), 2) for s in sorted(set(st))})
