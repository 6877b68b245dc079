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
from game.ui.layout import line_height
from game.ui.theme import Theme
from game.ui.widgets import PAD, Button

PANEL = pygame.Rect(8, 68, 204, 644)
TOOL_LABELS = (("acrylic", Msg("paint.tool_acrylic"), "A"),
               ("watercolour", Msg("paint.tool_water"), "W"),
               ("eraser", Msg("paint.tool_eraser"), "E"),
               ("eyedropper", Msg("paint.tool_picker"), "I"))


COMMANDS = (Msg("paint.undo"), Msg("paint.redo"), Msg("paint.clear"))
GAP = 4                  # between the canvas-command buttons


class ToolPanel:
    def __init__(self, theme: Theme, toolbox: ToolBox) -> None:
        self.theme, self.toolbox = theme, toolbox
        x0 = PANEL.x + 8
        self.tool_buttons = {
            kind: Button(pygame.Rect(x0 + (i % 2) * 96, 0, 92, 40),
                         label, lambda k=kind: toolbox.set_kind(k), key_hint=key)
            for i, (kind, label, key) in enumerate(TOOL_LABELS)}
        self.size_bar = pygame.Rect(x0, 0, 188, 12)
        self.opacity_bar = pygame.Rect(x0, 0, 188, 12)
        self.swatches = [(pygame.Rect(x0 + (i % 4) * 47, 0, 44, 29), tuple(color))
                         for i, color in enumerate(PALETTE[:20])]
        self.current_rect = pygame.Rect(x0, 0, 188, 26)
        self.picker = HSVPicker(pygame.Rect(x0, 0, 188, 90), pygame.Rect(x0, 0, 188, 14))
        self.picker.set_color(toolbox.settings.color)
        self.command_buttons = [Button(pygame.Rect(x0, 0, 60, 36), label, lambda: None)
                                for label in COMMANDS]
        self.dragging: str | None = None      # "size" | "opacity" | "picker" while held
        self._placed: tuple = ()
        self.place()

    def place(self) -> None:
        """Rows top to bottom, again whenever the text size or the language changes: the
        tool buttons as tall as a label over its key hint needs at the large size, and the
        canvas commands as wide as their words, Clear on a row of its own when one row is
        too narrow for all three (Romanian, or the large size)."""
        theme = self.theme
        words = tuple(theme.strings(label) for label in COMMANDS)
        if self._placed == (theme.text_size, words):
            return
        self._placed = (theme.text_size, words)
        tool_h = max(40, min(50, line_height(theme, "body") + line_height(theme, "small") + 4))
        for i, button in enumerate(self.tool_buttons.values()):
            button.rect.height = tool_h
            button.rect.y = 76 + (i // 2) * (tool_h + 6)
        y = 76 + 2 * tool_h + 6            # under the tools: 162 at the usual height
        self.size_bar.y, self.opacity_bar.y = y + 38, y + 84
        for i, (rect, _) in enumerate(self.swatches):
            rect.y = y + 106 + (i // 4) * 32
        rows = (len(self.swatches) + 3) // 4
        top = y + 106 + rows * 32 + 6
        self.current_rect.y = top
        self.picker.square.y, self.picker.bar.y = top + 34, top + 130
        self._place_commands(top + 156)

    def _place_commands(self, y: int) -> None:
        needs = [self.theme.text(label, "small").get_width() + 2 * PAD for label in COMMANDS]
        x0, width = self.size_bar.x, self.size_bar.width
        rows = ([self.command_buttons] if sum(needs) + GAP * 2 <= width
                else [self.command_buttons[:2], self.command_buttons[2:]])
        height = 36 if len(rows) == 1 else 32      # two rows stay clear of the keys line
        for r, row in enumerate(rows):
            row_needs = [needs[self.command_buttons.index(b)] for b in row]
            spare = (width - GAP * (len(row) - 1) - sum(row_needs)) // len(row)
            x = x0
            for button, need in zip(row, row_needs):
                # The last one takes what rounding left, so the row ends at the panel's edge.
                w = need + spare if button is not row[-1] else x0 + width - x
                button.rect = pygame.Rect(x, y + r * (height + GAP), w, height)
                x += w + GAP

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
        self.place()
        theme, c, box = self.theme, self.theme.colors, self.toolbox
        pygame.draw.rect(surface, c.panel, PANEL, border_radius=10)
        for kind, button in self.tool_buttons.items():
            button.selected = box.kind == kind
            button.draw(surface, theme)
        settings = box.settings
        label_y = self.size_bar.y - 24
        theme.blit_text(surface, Msg("paint.size", size=settings.size),
                        (self.size_bar.x, label_y), "small")
        theme.blit_text(surface, "[  ]", (self.size_bar.right, label_y), "small", c.accent,
                        "topright")
        self._draw_bar(surface, self.size_bar,
                       SIZES.index(min(SIZES, key=lambda s: abs(s - settings.size)))
                       / (len(SIZES) - 1))
        theme.blit_text(surface, Msg("paint.opacity", percent=round(settings.opacity * 100)),
                        (self.opacity_bar.x, self.opacity_bar.y - 24), "small")
        theme.blit_text(surface, ",  .", (self.opacity_bar.right, self.opacity_bar.y - 24),
                        "small", c.accent, "topright")
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
