"""Hue bar + saturation/value square. Pixel maps are computed with numpy, once per hue."""
from __future__ import annotations

import colorsys

import numpy as np
import pygame


def hsv_square(hue: float, size: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) uint8: saturation rises left to right, value top to bottom (bright on top)."""
    w, h = size
    s = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]          # (1, W)
    v = np.linspace(1.0, 0.0, h, dtype=np.float32)[:, None]          # (H, 1)
    pure = np.array(colorsys.hsv_to_rgb(hue, 1.0, 1.0), dtype=np.float32)
    rgb = v[..., None] * (1.0 - s[..., None] + s[..., None] * pure)  # (H, W, 3) in [0, 1]
    return (rgb * 255 + 0.5).astype(np.uint8)


def hue_strip(size: tuple[int, int]) -> np.ndarray:
    w, h = size
    hues = np.linspace(0.0, 1.0, w, endpoint=False)
    row = np.array([colorsys.hsv_to_rgb(x, 1.0, 1.0) for x in hues], dtype=np.float32)
    return np.repeat((row * 255 + 0.5).astype(np.uint8)[None], h, axis=0)  # (H, W, 3)


def _surface(rgb: np.ndarray) -> pygame.Surface:
    return pygame.surfarray.make_surface(np.ascontiguousarray(rgb.swapaxes(0, 1)))


class HSVPicker:
    def __init__(self, square: pygame.Rect, bar: pygame.Rect) -> None:
        self.square, self.bar = square, bar
        self.hue, self.sat, self.val = 0.6, 0.7, 0.5
        self._bar_surface = _surface(hue_strip(bar.size))
        self._square_surface: pygame.Surface | None = None
        self._square_hue = -1.0

    def set_color(self, rgb: tuple[int, int, int]) -> None:
        h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
        if s > 0.02:            # greys have no hue: keep the old one so the square stays put
            self.hue = h
        self.sat, self.val = s, v

    def color(self) -> tuple[int, int, int]:
        return tuple(round(c * 255) for c in colorsys.hsv_to_rgb(self.hue, self.sat, self.val))

    def hit(self, pos: tuple[int, int]) -> tuple[int, int, int] | None:
        """A colour when pos is on the square or the bar, else None."""
        if self.square.collidepoint(pos):
            self.sat = (pos[0] - self.square.x) / max(1, self.square.width - 1)
            self.val = 1.0 - (pos[1] - self.square.y) / max(1, self.square.height - 1)
            return self.color()
        if self.bar.collidepoint(pos):
            self.hue = (pos[0] - self.bar.x) / self.bar.width
            if self.sat < 0.05:     # picking a hue on a grey should give a colour
                self.sat, self.val = 0.8, max(self.val, 0.6)
            return self.color()
        return None

    def draw(self, surface: pygame.Surface, edge: tuple) -> None:
        if self._square_surface is None or abs(self._square_hue - self.hue) > 1e-3:
            self._square_surface = _surface(hsv_square(self.hue, self.square.size))
            self._square_hue = self.hue
        surface.blit(self._square_surface, self.square)
        surface.blit(self._bar_surface, self.bar)
        pygame.draw.rect(surface, edge, self.square, 1)
        pygame.draw.rect(surface, edge, self.bar, 1)
        x = self.square.x + round(self.sat * (self.square.width - 1))
        y = self.square.y + round((1 - self.val) * (self.square.height - 1))
        pygame.draw.circle(surface, (255, 255, 255), (x, y), 5, 2)
        pygame.draw.circle(surface, (0, 0, 0), (x, y), 6, 1)
        hx = self.bar.x + round(self.hue * self.bar.width)
        marker = pygame.Rect(hx - 2, self.bar.y - 2, 4, self.bar.height + 4)
        pygame.draw.rect(surface, (255, 255, 255), marker, 1)
