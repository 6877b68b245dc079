"""Colours, fonts and cached text rendering shared by every scene.

One Theme per App: fonts depend on the text-size setting, so they are rebuilt when it
changes (settings scene) rather than living in module globals.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.file_names import display_text
from game.i18n import Strings, Text

SCREEN_SIZE = (1280, 720)  # logical size; pygame.SCALED stretches it to the window

TEXT_SCALES = {"small": 0.85, "medium": 1.0, "large": 1.2}
ELLIPSIS = "…"
# Left off the end of a cut line before the ellipsis: "conv1,…" reads as a stutter.
TRAILING = " ,;:·-–"


@dataclass(frozen=True)
class Palette:
    background: tuple = (22, 22, 28)
    panel: tuple = (34, 35, 43)
    panel_light: tuple = (48, 50, 61)
    text: tuple = (242, 237, 228)
    text_dim: tuple = (158, 155, 150)
    accent: tuple = (232, 176, 74)      # gallery gold: buttons in focus, headings
    accent_dark: tuple = (120, 88, 36)
    urgent: tuple = (229, 72, 77)       # last ten seconds
    good: tuple = (98, 196, 132)
    disabled: tuple = (92, 92, 100)


class Theme:
    """Fonts by role, and a small cache of rendered text surfaces."""

    CACHE_LIMIT = 512  # rendered strings; cleared wholesale when full (cheap to re-render)
    FIT_LIMIT = 1024   # fitted texts (every layout asks again each frame)

    def __init__(self, text_size: str = "medium", strings: Strings | None = None) -> None:
        self.colors = Palette()
        # Widgets are handed a Msg or plain data; the theme puts a Msg into words when it
        # draws, so a language switch reaches text that is already on screen.
        self.strings = strings or Strings()
        self._cache: dict[tuple, pygame.Surface] = {}
        self._fits: dict[tuple, tuple[list[str], bool]] = {}
        self._sizes: dict[tuple, tuple[int, int]] = {}
        self.set_text_size(text_size)

    def set_text_size(self, text_size: str) -> None:
        scale = TEXT_SCALES.get(text_size, 1.0)
        self.text_size = text_size
        self.fonts = {
            role: pygame.font.Font(None, max(12, round(px * scale)))
            for role, px in {"title": 110, "h1": 52, "h2": 36, "body": 28, "small": 22,
                             "timer": 72}.items()
        }
        self._cache.clear()
        self._fits.clear()
        self._sizes.clear()

    def text(self, text: Text, role: str = "body", color: tuple | None = None) -> pygame.Surface:
        text = self.strings(text)
        key = (text, role, color)
        surface = self._cache.get(key)
        if surface is None:
            if len(self._cache) >= self.CACHE_LIMIT:
                self._cache.clear()
            surface = self._render(text, role, color or self.colors.text)
            self._cache[key] = surface
        return surface

    def _render(self, text: str, role: str, color: tuple) -> pygame.Surface:
        font = self.fonts[role]
        try:
            return font.render(text, True, color)
        except (UnicodeError, ValueError, pygame.error):
            # Text no font can take (a NUL, a lone surrogate, only zero-width characters):
            # draw what can be drawn, or nothing, but never stop the game over a name.
            safe = text.encode("utf-8", "replace").decode("utf-8").replace("\0", "")
            try:
                return font.render(safe, True, color)
            except (UnicodeError, ValueError, pygame.error):
                return pygame.Surface((1, font.get_height()), pygame.SRCALPHA)

    def blit_text(self, target: pygame.Surface, text: Text, pos: tuple, role: str = "body",
                  color: tuple | None = None, anchor: str = "topleft") -> pygame.Rect:
        surface = self.text(text, role, color)
        rect = surface.get_rect(**{anchor: pos})
        target.blit(surface, rect)
        return rect

    def wrap(self, text: Text, role: str, width: int) -> list[str]:
        """Greedy word wrap to a pixel width."""
        font = self.fonts[role]
        text = self.strings(text)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            # Measuring, like drawing, refuses a lone surrogate (a file name that is not
            # UTF-8 inside an error message); showing a replacement mark beats stopping.
            paragraph = display_text(paragraph)
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}".strip()
                if font.size(trial)[0] <= width or not line:
                    line = trial
                else:
                    lines.append(line)
                    line = word
            lines.append(line)
        return lines

    def size(self, line: str, role: str) -> tuple[int, int]:
        """A line's rendered (width, height), remembered: measuring a line with a '·' or an
        accent costs the font a fresh look-up each time, and layouts measure every frame."""
        key = (line, role)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) >= self.FIT_LIMIT:
                self._sizes.clear()
            size = self._sizes[key] = self.fonts[role].size(display_text(line))
        return size

    def line_pitch(self, line: str, role: str) -> int:
        """From one line's top to the next: the font's line height, or more for a line whose
        accents (Î, ț) make its rendering taller than that."""
        return max(self.fonts[role].get_linesize(), self.size(line, role)[1])

    def ellipsise(self, text: Text, role: str, width: int, force: bool = False) -> str:
        """The text cut to a pixel width with '…' at the end; whole when it fits (unless
        `force`: the caller knows more text followed and was left off)."""
        font = self.fonts[role]
        text = display_text(self.strings(text))
        if not force and font.size(text)[0] <= width:
            return text
        low, high = 0, len(text)        # the longest prefix that fits with its ellipsis
        while low < high:
            middle = (low + high + 1) // 2
            if font.size(text[:middle].rstrip(TRAILING) + ELLIPSIS)[0] <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip(TRAILING) + ELLIPSIS

    def fit(self, text: Text, role: str, width: int, max_lines: int = 1
            ) -> tuple[list[str], bool]:
        """The text wrapped to a pixel width in at most `max_lines` lines, the last one
        ellipsised when more was left off; and whether anything was cut."""
        text = self.strings(text)
        key = (text, role, width, max_lines)
        fitted = self._fits.get(key)
        if fitted is None:
            if len(self._fits) >= self.FIT_LIMIT:
                self._fits.clear()
            fitted = self._fit(text, role, width, max_lines)
            self._fits[key] = fitted
        return list(fitted[0]), fitted[1]

    def _fit(self, text: str, role: str, width: int, max_lines: int) -> tuple[list[str], bool]:
        font = self.fonts[role]
        shown = display_text(text)
        if "\n" not in shown and font.size(shown)[0] <= width:
            return ([shown] if shown.strip() else []), False   # as written: spaces kept
        lines = [line for line in self.wrap(text, role, width) if line] if text else []
        cut = len(lines) > max_lines
        if cut:
            lines = lines[:max_lines]
            lines[-1] = self.ellipsise(lines[-1], role, width, force=True)
        for i, line in enumerate(lines):     # one word wider than the line: cut it too
            if font.size(line)[0] > width:
                lines[i], cut = self.ellipsise(line, role, width), True
        return lines, cut
