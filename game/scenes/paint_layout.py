"""The text around the paint scene's canvas, measured rather than placed by numbers.

The top bar's pair (a long catalogue title is cut with '…', not mid-word at a character
count), the keys on its right, the references' labels and hint, and the 'Machines at work'
panel, whose engine names are ellipsised to the panel's width so they never run off the
screen's edge. The tool panel (game/ui/tool_panel.py) lays out its own buttons.
"""
from __future__ import annotations

import pygame

from game.catalogue import shown
from game.i18n import Msg
from game.ui.layout import LayoutReport, Panel

TOP_BAR = pygame.Rect(0, 0, 1280, 64)            # the pair left, the clock centred, keys right
TIMER_BAR = pygame.Rect(440, 57, 400, 3)
REF_BOX = (196, 150)
REF_RECTS = {"content": pygame.Rect(1072, 96, *REF_BOX),
             "style": pygame.Rect(1072, 290, *REF_BOX)}
REFERENCES = pygame.Rect(1064, 66, 212, 424)     # the two references, their labels, a hint
MACHINES_BOX = pygame.Rect(1068, 492, 204, 130)


def layout_key(scene) -> tuple:
    """What the layout depends on: it is redone only when one of these changes, since the
    paint scene's frame time is the one the game watches."""
    strings = scene.app.strings
    return (strings.language, scene.app.theme.text_size, scene.toolbox.kind == "eyedropper",
            tuple(strings(slot.label) for slot in scene.round.slots.values()))


def paint_layout(scene) -> LayoutReport:
    """Every text box of the paint scene (a PaintScene) this frame."""
    theme = scene.app.theme
    c = theme.colors
    root = Panel.screen(theme, "paint")
    top = root.panel("top", TOP_BAR)
    top.widget(TIMER_BAR)
    pair = top.panel("pair", pygame.Rect(14, 10, TIMER_BAR.x - 26, TOP_BAR.height - 10))
    content, style = (shown(item, scene.app.strings).title    # in the player's language
                      for item in (scene.round.content, scene.round.style))
    pair.text(content, "body", c.text, gap=2)
    pair.text(Msg("paint.in_style_of", title=style), "small", c.text_dim)
    keys = top.panel("keys", pygame.Rect(TIMER_BAR.right + 12, 12,
                                         TOP_BAR.right - 12 - TIMER_BAR.right - 12, 50))
    keys.text(Msg("paint.keys"), "small", c.text_dim, lines=2, align="right")
    refs = root.panel("refs", REFERENCES)
    for kind, label in (("content", Msg("paint.photo")), ("style", Msg("paint.style"))):
        box = REF_RECTS[kind]
        refs.picture(scene.ref_rects[kind].size, scene.ref_rects[kind])
        refs.text_in(pygame.Rect(box.x, box.y - 22, box.width, 0), label, "small", c.text_dim)
    hint = Msg("paint.eyedropper_hint") if scene.toolbox.kind == "eyedropper" \
        else Msg("paint.tab_hint")
    refs.text_in(pygame.Rect(REF_RECTS["style"].x, 450, REF_BOX[0], 0), hint, "small",
                 c.accent, lines=2, align="centre")
    machines = root.panel("machines", MACHINES_BOX, padding=10)
    machines.text(Msg("paint.machines_at_work"), "small", c.accent, gap=4)
    for slot in scene.round.slots.values():     # each engine's name (what really runs)
        machines.text(slot.label, "small", c.text_dim, gap=2)
        machines.widget(machines.take(8, gap=8))             # its bar
    finish = scene.finish_button.rect
    root.panel("finish", finish).widget(finish)
    return root.report


def draw_machines(surface: pygame.Surface, scene, report: LayoutReport) -> None:
    """'Machines at work': how far each engine is, never what it has made (no peeking)."""
    c = scene.app.theme.colors
    pygame.draw.rect(surface, c.panel, MACHINES_BOX, border_radius=10)
    bars = report.find("paint.machines", "widget")
    for slot, laid in zip(scene.round.slots.values(), bars):
        bar = laid.rect
        pygame.draw.rect(surface, c.panel_light, bar, border_radius=4)
        done = {"done": 1.0, "failed": 0.0}.get(slot.status, slot.progress)
        if slot.status == "waiting":        # not started yet: a sliding light
            x = bar.x + round((scene.time * 60) % (bar.width - 30))
            pygame.draw.rect(surface, c.accent_dark, (x, bar.y, 30, bar.height),
                             border_radius=4)
        fill = bar.copy()
        fill.width = round(bar.width * done)
        color = c.urgent if slot.status == "failed" else (
            c.good if slot.status == "done" else c.accent)
        if fill.width:
            pygame.draw.rect(surface, color, fill, border_radius=4)
        if slot.status == "failed":
            pygame.draw.rect(surface, c.urgent, bar, 1, border_radius=4)
