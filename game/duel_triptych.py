"""The duel's triptych: the painting, Magenta's and Gatys's pictures side by side, titled,
with the score; a PNG written whole or not at all (a hidden 0600 temp, then renamed).

Drawn by the export process (off-screen pygame, words already in the player's language).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pygame
from PIL import Image

from game.duel_view import scaled
from game.files import fsync_folder, make_folder, new_temp_file
from game.ui.layout import Panel, line_height, pair_text
from game.ui.theme import Theme

SIZE = (1800, 760)
MARGIN, GAP = 30, 30


def _surface(array: np.ndarray | None) -> pygame.Surface | None:
    if array is None:
        return None
    height, width = array.shape[:2]
    return pygame.image.frombuffer(np.ascontiguousarray(array).tobytes(), (width, height),
                                   "RGB")


def render_triptych(job, theme: Theme) -> pygame.Surface:
    """A DuelExportJob's three pictures, their names, the pair and the score."""
    c, texts = theme.colors, job.texts
    sheet = pygame.Surface(SIZE)
    sheet.fill(c.background)
    root = Panel(theme, Panel.screen(theme).report, "triptych", sheet.get_rect())
    top = line_height(theme, "h1")
    header = root.panel("header", pygame.Rect(MARGIN, 16, SIZE[0] - 2 * MARGIN, top))
    header.text_in(header.inner, pair_text(theme, texts.content, texts.style, "h1",
                                           header.inner.width), "h1", c.accent,
                   align="centre", valign="centre")
    foot_h = line_height(theme, "h1") + 16
    foot = root.panel("score", pygame.Rect(MARGIN, SIZE[1] - foot_h - 12,
                                           SIZE[0] - 2 * MARGIN, foot_h))
    width = (SIZE[0] - 2 * MARGIN - 2 * GAP) // 3
    pane_top = header.rect.bottom + 16
    pictures = [(texts.painter, job.painting),
                (texts.magenta, job.magenta[0] if job.magenta is not None else None),
                (texts.gatys_done, job.gatys[0] if job.gatys is not None else None)]
    for i, (name, array) in enumerate(pictures):
        rect = pygame.Rect(MARGIN + i * (width + GAP), pane_top, width,
                           foot.rect.y - 16 - pane_top)
        pane = root.panel(f"pane{i}", rect, padding=12)
        pygame.draw.rect(sheet, c.panel, rect, border_radius=12)
        cell = pane.take(pane.remaining - pane.measure(name, "h2") - 8, gap=8)
        picture = _surface(array)
        if picture is None:
            pygame.draw.rect(sheet, c.panel_light, cell, border_radius=8)
        else:
            fitted = scaled(picture, pane.picture(picture.get_size(), cell))
            sheet.blit(fitted, fitted.get_rect(center=cell.center))
        pane.text(name, "h2", align="centre")
    score = f"{texts.score_label} {texts.score}" if texts.parts else texts.score
    line = f"{score}   ·   {texts.parts}" if texts.parts else score
    foot.text_in(foot.inner, line, "h2", c.text, align="centre", valign="centre")
    root.report.draw_text(sheet, theme)
    return sheet


def save_png(surface: pygame.Surface, path: Path) -> Path:
    """`surface` as the PNG `path` (0600), complete or absent."""
    folder = make_folder(path.parent)
    handle, temp = new_temp_file(folder, ".partial-", ".png")
    try:
        with handle as file:
            pixels = pygame.image.tobytes(surface, "RGB")
            Image.frombytes("RGB", surface.get_size(), pixels).save(file, format="PNG")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    return path
