"""A list of "label  ‹ value ›" rows changed with Left/Right: Settings and the party lobby."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pygame

from game.i18n import Msg
from game.ui.theme import Theme
from game.ui.widgets import draw_panel


@dataclass
class SettingRow:
    label: Msg
    show: Callable[[], str]
    change: Callable[[int], None]     # step -1 / +1


def draw_setting_row(surface: pygame.Surface, theme: Theme, rect: pygame.Rect,
                     row: SettingRow, focused: bool, inset: int = 24) -> None:
    c = theme.colors
    draw_panel(surface, theme, rect)
    if focused:
        pygame.draw.rect(surface, c.accent, rect, 2, border_radius=12)
    theme.blit_text(surface, row.label, (rect.x + inset, rect.centery), "body",
                    c.text if focused else c.text_dim, "midleft")
    theme.blit_text(surface, f"‹  {row.show()}  ›", (rect.right - inset, rect.centery),
                    "body", c.accent if focused else c.text, "midright")
