"""The paint scene's left panel: tools, size, opacity, palette, HSV picker, undo/redo/clear.

Clicks change the ToolBox directly; canvas commands (undo, redo, clear) come back to the
scene as strings, because only the scene owns the canvas and its history.
"""
from __future__ import annotations

import pygame

from brushes import PALETTE
from game.i18n import Msg
from game.toolbox import SIZES, ToolBox
from game.ui.hsv_picker import HSVPicker
from game.ui.theme import Theme
from game.ui.widgets import Button

PANEL = pygame.Rect(8, 68, 204, 644)
TOOL_LABELS = (("acrylic", Msg("paint.tool_acrylic"), "A"),
               ("watercolour", Msg("paint.tool_water"), "W"),
               ("eraser", Msg("paint.tool_eraser"), "E"),
               ("eyedropper", Msg("paint.tool_picker"), "I"))


class ToolPanel:
    def __init__(self, theme: Theme, toolbox: ToolBox) -> None:
        self.theme, self.toolbox = theme, toolbox
        x0 = PANEL.x + 8
        self.tool_buttons = {
            kind: Button(pygame.Rect(x0 + (i % 2) * 96, 76 + (i // 2) * 46, 92, 40),
                         label, lambda k=kind: toolbox.set_kind(k), key_hint=key)
            for i, (kind, label, key) in enumerate(TOOL_LABELS)}
        self.size_bar = pygame.Rect(x0, 200, 188, 12)
        self.opacity_bar = pygame.Rect(x0, 246, 188, 12)
        cols = 4
        self.swatches = [(pygame.Rect(x0 + (i % cols) * 47, 268 + (i // cols) * 32, 44, 29),
                          tuple(color)) for i, color in enumerate(PALETTE[:20])]
        rows = (len(self.swatches) + cols - 1) // cols
        top = 268 + rows * 32 + 6
        self.current_rect = pygame.Rect(x0, top, 188, 26)
        self.picker = HSVPicker(pygame.Rect(x0, top + 34, 188, 90),
                                pygame.Rect(x0, top + 130, 188, 14))
        self.picker.set_color(toolbox.settings.color)
        y = top + 156
        self.command_buttons = [
            Button(pygame.Rect(x0 + i * 64, y, 60, 36), label, lambda: None, key_hint="")
            for i, label in enumerate((Msg("paint.undo"), Msg("paint.redo"),
                                       Msg("paint.clear")))]
        self.dragging: str | None = None      # "size" | "opacity" | "picker" while held

    # -- input ---------------------------------------------------------------------
    def handle_mouse_down(self, pos: tuple[int, int]) -> str | None:
        """Returns 'undo' | 'redo' | 'clear' | 'used' | None (not on the panel)."""
        if not PANEL.collidepoint(pos):
            return None
        for button in self.tool_buttons.values():
            if button.rect.collidepoint(pos):
                button.press()
                return "used"
        for button, command in zip(self.command_buttons, ("undo", "redo", "clear")):
            if button.rect.collidepoint(pos):
                return command
        for rect, color in self.swatches:
            if rect.collidepoint(pos):
                self.set_color(color)
                return "used"
        for name, bar in (("size", self.size_bar.inflate(0, 14)),
                          ("opacity", self.opacity_bar.inflate(0, 14))):
            if bar.collidepoint(pos):
                self.dragging = name
                self.handle_drag(pos)
                return "used"
        if self.picker.hit(pos) is not None:
            self.dragging = "picker"
            self.handle_drag(pos)
        return "used"

    def handle_drag(self, pos: tuple[int, int]) -> None:
        if self.dragging == "size":
            frac = self._fraction(self.size_bar, pos[0])
            self.toolbox.set_size(SIZES[round(frac * (len(SIZES) - 1))])
        elif self.dragging == "opacity":
            self.toolbox.set_opacity(0.1 + 0.9 * self._fraction(self.opacity_bar, pos[0]))
        elif self.dragging == "picker":
            clamped = (max(self.picker.square.left, min(pos[0], self.picker.square.right - 1)),
                       pos[1])
            on_bar = self.picker.bar.inflate(0, 10).collidepoint(pos)
            if not on_bar:
                clamped = (clamped[0], max(self.picker.square.top,
                                           min(pos[1], self.picker.square.bottom - 1)))
            color = self.picker.hit(clamped)
            if color is not None:
                self.toolbox.set_color(color)

    def handle_mouse_up(self) -> None:
        self.dragging = None

    @staticmethod
    def _fraction(bar: pygame.Rect, x: int) -> float:
        return max(0.0, min(1.0, (x - bar.x) / bar.width))

    def set_color(self, color: tuple[int, int, int]) -> None:
        self.toolbox.set_color(color)
        self.picker.set_color(color)

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, can_undo: bool, can_redo: bool) -> None:
        theme, c, box = self.theme, self.theme.colors, self.toolbox
        pygame.draw.rect(surface, c.panel, PANEL, border_radius=10)
        for kind, button in self.tool_buttons.items():
            button.selected = box.kind == kind
            button.draw(surface, theme)
        settings = box.settings
        theme.blit_text(surface, Msg("paint.size", size=settings.size), (self.size_bar.x, 176),
                        "small")
        theme.blit_text(surface, "[  ]", (self.size_bar.right, 176), "small", c.accent,
                        "topright")
        self._draw_bar(surface, self.size_bar,
                       SIZES.index(min(SIZES, key=lambda s: abs(s - settings.size)))
                       / (len(SIZES) - 1))
        theme.blit_text(surface, Msg("paint.opacity", percent=round(settings.opacity * 100)),
                        (self.opacity_bar.x, 222), "small")
        theme.blit_text(surface, ",  .", (self.opacity_bar.right, 222), "small", c.accent,
                        "topright")
        self._draw_bar(surface, self.opacity_bar, (settings.opacity - 0.1) / 0.9)
        for rect, color in self.swatches:
            pygame.draw.rect(surface, color, rect, border_radius=4)
            if tuple(settings.color) == color:
                pygame.draw.rect(surface, c.accent, rect.inflate(4, 4), 2, border_radius=5)
        pygame.draw.rect(surface, settings.color, self.current_rect, border_radius=5)
        pygame.draw.rect(surface, c.text_dim, self.current_rect, 1, border_radius=5)
        hex_code = "#%02X%02X%02X" % tuple(settings.color)
        ink = (0, 0, 0) if sum(settings.color) > 380 else (255, 255, 255)
        theme.blit_text(surface, hex_code, self.current_rect.center, "small", ink, "center")
        self.picker.draw(surface, c.text_dim)
        for button, enabled in zip(self.command_buttons, (can_undo, can_redo, True)):
            button.enabled = enabled
            button.draw(surface, theme)
        theme.blit_text(surface, Msg("paint.panel_keys"), (PANEL.centerx, PANEL.bottom - 8),
                        "small", c.text_dim, "midbottom")

    def _draw_bar(self, surface: pygame.Surface, bar: pygame.Rect, frac: float) -> None:
        c = self.theme.colors
        pygame.draw.rect(surface, c.panel_light, bar, border_radius=6)
        filled = bar.copy()
        filled.width = max(6, round(bar.width * frac))
        pygame.draw.rect(surface, c.accent, filled, border_radius=6)
