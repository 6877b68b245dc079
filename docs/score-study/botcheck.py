"""Is a low bot score the bot's fault or the reference's? hp_lay_g16 similarity of the bot
painting to the content PHOTO vs to the Magenta picture, and photo vs Magenta, per style."""
import sys, numpy as np, common as C, feats as F
e = F.Encoder()
for set_name in sys.argv[1:]:
    res = {}
    for c, s in C.pairs(set_name):
        fp = F.features(e, C.load_content(c)); fb = F.features(e, C.load_pic("bot", c, s)); fm = F.features(e, C.load_pic("magenta", c, s))
        res.setdefault(s, []).append((F.measures(fb, fp)["hp_lay_g16"], F.measures(fb, fm)["hp_lay_g16"], F.measures(fp, fm)["hp_lay_g16"]))
    for s, v in res.items():
        v = np.array(v)
        print("%-6s %-28s bot~photo %.2f  bot~magenta %.2f  photo~magenta %.2f" % (set_name, s, *v.mean(0)))
