"""Panels, columns and rows of measured boxes: text that fits, in every language.

Screens used to put text at fixed coordinates that never saw how long a string is in the
current language, so a Romanian label or a long catalogue title ran into its neighbour or
off the screen. Here a Panel hands out space instead: its column stacks boxes top to bottom,
each text box measured with the Theme's fonts, wrapped to at most N lines and ellipsised
('…') past that; pictures are fitted into their cell keeping their aspect (portrait photos
too). Every placed box is recorded in the panel's LayoutReport as (rect, kind, owner panel),
so a test can check that no two texts overlap and nothing leaves its panel, without pixels,
and the scene draws the very boxes that were checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.i18n import Text
from game.ui.theme import ELLIPSIS, SCREEN_SIZE, Theme

ALIGNS = ("left", "centre", "right")
# An accent above, a comma below and a descender: the tallest a line of text gets.
TALLEST = "ÁȘg"


def line_height(theme: Theme, role: str) -> int:
    """The height to reserve for one line of `role` whatever its letters (Î, Ș, g)."""
    return theme.line_pitch(TALLEST, role)


def text_height(theme: Theme, text: Text, role: str, width: int, lines: int = 1) -> int:
    """How tall `text` is once fitted to `width` in at most `lines` lines (0: no text)."""
    fitted, _ = theme.fit(text, role, width, lines)
    return sum(theme.line_pitch(line, role) for line in fitted)


def pair_text(theme: Theme, first: str, second: str, role: str, width: int,
              joiner: str = " × ") -> str:
    """ "photo × painting" in `width`: when it does not fit, each title is cut to its
    share, so both stay recognisable (cutting the whole would lose the painting)."""
    font = theme.fonts[role]
    whole = theme.ellipsise(f"{first}{joiner}{second}", role, width)
    if not whole.endswith(ELLIPSIS):
        return whole
    room = width - font.size(joiner)[0]
    head = theme.ellipsise(first, role, max(room // 2, room - font.size(second)[0]))
    return head + joiner + theme.ellipsise(second, role, room - font.size(head)[0])


@dataclass
class Box:
    """One placed thing: where it is, what it is and which panel it must stay inside."""

    rect: pygame.Rect
    kind: str                        # "text", "picture" or "widget" (a bar, a button)
    owner: str                       # the name of the panel it belongs to
    lines: list[str] = field(default_factory=list)   # text: as drawn (wrapped, cut)
    role: str = "body"
    color: tuple | None = None
    align: str = "left"              # each line's place inside the rect
    cut: bool = False                # the text did not fit whole: some of it was left off
    pitches: list[int] = field(default_factory=list)  # each line's height
    full: str = ""                   # text: all of it, as it was before it was fitted

    def draw(self, surface: pygame.Surface, theme: Theme) -> None:
        y = self.rect.y
        for line, pitch in zip(self.lines, self.pitches):
            image = theme.text(line, self.role, self.color)
            if self.align == "right":
                x = self.rect.right - image.get_width()
            elif self.align == "centre":
                x = self.rect.centerx - image.get_width() // 2
            else:
                x = self.rect.x
            surface.blit(image, (x, y))
            y += pitch

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass
class LayoutReport:
    """Every panel and box one screen placed: what a test checks and what draw() uses."""

    screen: pygame.Rect = field(default_factory=lambda: pygame.Rect((0, 0), SCREEN_SIZE))
    panels: dict[str, pygame.Rect] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)
    boxes: list[Box] = field(default_factory=list)

    def texts(self, owner: str | None = None) -> list[Box]:
        return [box for box in self.boxes if box.kind == "text"
                and (owner is None or box.owner == owner or box.owner.startswith(owner + "."))]

    def find(self, owner: str, kind: str = "text") -> list[Box]:
        return [box for box in self.boxes if box.owner == owner and box.kind == kind]

    def overlaps(self) -> list[tuple[Box, Box]]:
        """Text over text, or text over a picture or widget it is not written on (a caption
        or a label sits in a panel of its own that lies on the picture or widget)."""
        texts = self.texts()
        found = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:]
                 if a.rect.colliderect(b.rect)]
        for other in (box for box in self.boxes if box.kind != "text"):
            found += [(text, other) for text in texts if text.rect.colliderect(other.rect)
                      and not other.rect.contains(self.panels[text.owner])]
        return found

    def strays(self) -> list[str]:
        """Boxes outside their panel, panels outside their parent or the screen, and
        sibling panels on top of each other."""
        found = [f"{box.kind} {box.text!r} leaves panel {box.owner}" for box in self.boxes
                 if not self.panels[box.owner].contains(box.rect)]
        for name, rect in self.panels.items():
            parent = self.parents[name]
            outer = self.screen if parent is None else self.panels[parent]
            if not outer.contains(rect):
                found.append(f"panel {name} leaves {parent or 'the screen'}")
        names = list(self.panels)
        found += [f"panels {a} and {b} overlap" for i, a in enumerate(names)
                  for b in names[i + 1:] if self.parents[a] == self.parents[b]
                  and self.panels[a].colliderect(self.panels[b])]
        return found

    def problems(self) -> list[str]:
        return self.strays() + [f"{a.text!r} overlaps {b.kind} {b.text!r}"
                                for a, b in self.overlaps()]

    def cut(self) -> list[Box]:
        """Texts that were wrapped short or ellipsised: the overflow report."""
        return [box for box in self.texts() if box.cut]

    def draw_text(self, surface: pygame.Surface, theme: Theme, owner: str | None = None
                  ) -> None:
        for box in self.texts(owner):
            box.draw(surface, theme)


class Panel:
    """A named rect whose column stacks boxes top to bottom inside its padding."""

    def __init__(self, theme: Theme, report: LayoutReport, name: str, rect: pygame.Rect,
                 padding: int = 0, parent: str | None = None) -> None:
        self.theme, self.report, self.name = theme, report, name
        self.rect = pygame.Rect(rect)
        self.inner = self.rect.inflate(-2 * padding, -2 * padding)
        self.y = self.inner.top                  # the column's cursor
        report.panels[name] = self.rect
        report.parents[name] = parent

    @classmethod
    def screen(cls, theme: Theme, name: str = "screen") -> Panel:
        """The root panel of a new report: the whole logical screen."""
        report = LayoutReport()
        return cls(theme, report, name, report.screen)

    def panel(self, name: str, rect: pygame.Rect, padding: int = 0) -> Panel:
        """A child panel at an absolute rect (names are dotted under this one's)."""
        return Panel(self.theme, self.report, f"{self.name}.{name}", rect, padding, self.name)

    @property
    def remaining(self) -> int:
        """Pixels left in the column."""
        return self.inner.bottom - self.y

    def take(self, height: int, gap: int = 0) -> pygame.Rect:
        """The next `height` pixels of the column, full width; `gap` more are skipped after."""
        rect = pygame.Rect(self.inner.x, self.y, self.inner.width, max(0, height))
        self.y += rect.height + gap
        return rect

    def close(self) -> pygame.Rect:
        """Shrink the panel to the column it holds (its height then depends on its text)."""
        padding = self.inner.x - self.rect.x
        self.rect.height = max(0, self.y - self.rect.y + padding)
        self.inner.height = max(0, self.rect.height - 2 * padding)
        return self.rect

    def columns(self, count: int, gap: int, height: int, names: list[str] | None = None,
                padding: int = 0) -> list[Panel]:
        """`count` equal child panels side by side across the column, all `height` tall."""
        row = self.take(height)
        width = (row.width - gap * (count - 1)) // count
        names = names or [str(i) for i in range(count)]
        return [self.panel(names[i], pygame.Rect(row.x + i * (width + gap), row.y, width,
                                                 height), padding) for i in range(count)]

    def measure(self, text: Text, role: str = "body", width: int | None = None,
                lines: int = 1) -> int:
        """How tall `text` would be in this column (0 for no text)."""
        return text_height(self.theme, text, role, width or self.inner.width, lines)

    def most_lines(self, text: Text, role: str, lines: int, room: int | None = None) -> int:
        """How many of up to `lines` lines of `text` fit in `room` (default: what is left)."""
        room = self.remaining if room is None else room
        return max((n for n in range(1, lines + 1) if self.measure(text, role, None, n) <= room),
                   default=0)

    def text(self, text: Text, role: str = "body", color: tuple | None = None, *,
             lines: int = 1, align: str = "left", gap: int = 0,
             width: int | None = None) -> Box:
        """The next text box of the column, wrapped to `lines` lines of the column's width."""
        cell = pygame.Rect(self.inner.x, self.y, width or self.inner.width, 0)
        box = self.text_in(cell, text, role, color, lines=lines, align=align)
        self.y += box.rect.height + gap
        return box

    def text_in(self, cell: pygame.Rect, text: Text, role: str = "body",
                color: tuple | None = None, *, lines: int = 1, align: str = "left",
                valign: str = "top") -> Box:
        """A text box inside `cell` (a rect of this panel's), as wide as its widest line."""
        assert align in ALIGNS, align
        fitted, cut = self.theme.fit(text, role, cell.width, lines)
        pitches = [self.theme.line_pitch(line, role) for line in fitted]
        width = max((self.theme.size(line, role)[0] for line in fitted), default=0)
        rect = pygame.Rect(cell.x, cell.y, width, sum(pitches))
        if align == "right":
            rect.right = cell.right
        elif align == "centre":
            rect.centerx = cell.centerx
        if valign == "centre" and cell.height:
            rect.centery = cell.centery
        elif valign == "bottom" and cell.height:
            rect.bottom = cell.bottom
        box = Box(rect, "text", self.name, fitted, role, color, align, cut, pitches,
                  self.theme.strings(text))
        self.report.boxes.append(box)
        return box

    def picture(self, size: tuple[int, int], cell: pygame.Rect) -> pygame.Rect:
        """A picture of `size` fitted into `cell` keeping its aspect, centred."""
        w, h = max(1, size[0]), max(1, size[1])
        scale = min(cell.width / w, cell.height / h)
        rect = pygame.Rect(0, 0, max(1, int(w * scale)), max(1, int(h * scale)))
        rect.center = cell.center
        self.report.boxes.append(Box(rect, "picture", self.name))
        return rect

    def widget(self, rect: pygame.Rect) -> pygame.Rect:
        """Something drawn by its own code (a bar, a button) that must stay in the panel."""
        self.report.boxes.append(Box(pygame.Rect(rect), "widget", self.name))
        return rect
