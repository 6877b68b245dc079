"""Per-style / per-ref parts of the bot rung for one spec (sweep2 format)."""
import sys, numpy as np, analyze as A, sweep2 as S
SPEC = (("hp_lay_g16", "cos_lay_g32"), 0.0, ("refblur25", 0.8), ("de_ms",), ("brush_es",), "paper", 0.7, 0.5, 6.0, (0.6, 0.2, 0.2))
def parts(rows, spec):
    lk, mg, up, ck, bk, z, gl, gcb, gate, w = spec
    lay, dist, st = S.arrays(rows)
    L = 10*np.clip(lay(lk, mg, up), 0, 1)**gl; C = 10*np.clip(dist(ck, S.ZEROS[z]), 0, 1)**gcb; B = 10*np.clip(dist(bk, S.ZEROS[z]), 0, 1)**gcb
    g = np.minimum(1, L/gate); T = w[0]*L + g*(w[1]*C + w[2]*B)
    return L, C, B, T, st
if __name__ == "__main__":
    rows = A.load([sys.argv[1]])
    L, C, B, T, st = parts(rows, SPEC)
    j = S.RUNGS.index(sys.argv[2] if len(sys.argv) > 2 else "bot")
    for s in sorted(set(st)):
        m = st == s
        print("%-28s total %.2f  L %.2f C %.2f B %.2f" % (s, T[m, j].mean(), L[m, j].mean(), C[m, j].mean(), B[m, j].mean()))
    for i, r in enumerate(rows):
        if T[i, j] < 4:
            print("  low:", r["ref"][:3], r["content"], r["style"][:12], "T %.2f L %.2f C %.2f B %.2f" % (T[i, j], L[i, j], C[i, j], B[i, j]))
