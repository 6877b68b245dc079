"""The displayed picture of a Canvas: compositing, lighting and the dirty rectangle.

Displayed colour = refl * exp(-pigment * granulation) * shade(surface): glazes
multiply transmittance (subtractive), and the surface slopes are lit from the top
left so paper grain and bristle ridges show under both media.

`_rgb8` caches the picture as (Hp, Wp, 3) uint8; every change re-composes just its
rectangle and grows the dirty rectangle that `pop_dirty` hands to the game.

`Display` is a mixin of Canvas and works on the canvas's own state (canvas.py):
refl, surface, pigment, look, width/height and the padded _hp/_wp/_hc/_wc, _neg_gran,
_stain_box, _scratch; it owns _rgb8, _shade and _dirty.
"""

from __future__ import annotations

import numpy as np

from . import wet
from .boxes import grow, halo, overlaps


class Display:
    def rgb8_region(self, x: int, y: int, w: int, h: int) -> np.ndarray:
        """(h, w, 3) uint8 copy of a region of the displayed picture (clipped to the canvas).

        Cheap (a copy of the display cache); pop_dirty() says which regions changed.
        """
        x0, y0 = max(int(x), 0), max(int(y), 0)
        x1 = max(min(int(x) + int(w), self.width), x0)
        y1 = max(min(int(y) + int(h), self.height), y0)
        return self._rgb8[y0:y1, x0:x1].copy()

    def pop_dirty(self) -> tuple[int, int, int, int] | None:
        """(x, y, w, h) covering every pixel changed since the last call, or None."""
        d, self._dirty = self._dirty, None
        if d is None:
            return None
        return d[0], d[1], d[2] - d[0], d[3] - d[1]

    def compose(self, x0: int, y0: int, x1: int, y1: int, surface: bool = False) -> None:
        """Recompute the displayed pixels of a rectangle (px, half-open) and mark it dirty.

        surface=True: the surface height changed there too, so relight it first.
        """
        x0, y0 = max(int(x0) & ~1, 0), max(int(y0) & ~1, 0)
        x1, y1 = min(int(x1) + (int(x1) & 1), self._wp), min(int(y1) + (int(y1) & 1), self._hp)
        if x1 <= x0 or y1 <= y0:
            return
        if surface:
            self._relight(x0, y0, x1, y1)
        refl = self.refl[:, y0:y1, x0:x1]  # (3, h, w)
        cbox = (y0 // 2, y1 // 2, x0 // 2, x1 // 2)
        # The bilinear upsampling lets a cell tint one px into its neighbours.
        if self._stain_box is not None and overlaps(grow(cbox, 1, self._hc, self._wc),
                                                    self._stain_box):
            trans = wet.glaze_transmittance(halo(self.pigment, cbox),
                                            self._neg_gran[y0:y1, x0:x1], self._scratch)
            col = np.multiply(refl, trans, out=trans)
        else:
            col = refl
        out = self._scratch.get("compose", col.shape)
        np.multiply(col, self._shade[y0:y1, x0:x1], out=out)
        out += np.float32(0.5)
        np.minimum(out, np.float32(255.0), out=out)
        # Interleaving here costs less than in rgb8_region: dirty unions are bigger
        # than what actually gets re-composed.
        np.copyto(self._rgb8[y0:y1, x0:x1], out.transpose(1, 2, 0), casting="unsafe")
        self._mark_dirty(x0, y0, x1, y1)

    def _relight(self, x0: int, y0: int, x1: int, y1: int) -> None:
        """Update the light factor * 255 from the surface slope towards the top left."""
        ya, xa = max(y0 - 1, 0), max(x0 - 1, 0)
        big = self.surface[ya:y1, xa:x1]
        if y0 == 0:
            big = np.concatenate([big[:1], big], axis=0)
        if x0 == 0:
            big = np.concatenate([big[:, :1], big], axis=1)
        here = big[1:, 1:]
        look = self.look
        shade = (here - big[:-1, :-1]) * np.float32(look.relief * 255.0)
        shade += here * np.float32(look.cavity * 255.0)
        shade += np.float32((1.0 - 0.5 * look.cavity) * 255.0)
        lo, hi = look.shade_range
        np.clip(shade, np.float32(lo * 255.0), np.float32(hi * 255.0),
                out=self._shade[y0:y1, x0:x1])

    def _mark_dirty(self, x0: int, y0: int, x1: int, y1: int) -> None:
        x1, y1 = min(x1, self.width), min(y1, self.height)
        if x1 <= x0 or y1 <= y0:
            return
        d = self._dirty
        if d is None:
            self._dirty = [x0, y0, x1, y1]
        else:
            d[0], d[1] = min(d[0], x0), min(d[1], y0)
            d[2], d[3] = max(d[2], x1), max(d[3], y1)
