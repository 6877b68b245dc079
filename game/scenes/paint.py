"""Paint: the canvas, the countdown, the tool panel and the two reference images.

Controls: drag on the canvas to paint. A acrylic, W watercolour, E eraser, I eyedropper
(click the canvas or either reference). [ ] size, , . opacity, Ctrl+Z undo, Ctrl+Y redo,
Delete clear, hold Tab to enlarge the references, F finish early, Esc pause.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
import pygame

from brushes import Canvas, History, sample_color
from game.i18n import Msg
from game.round import Round
from game.scene import Scene
from game.scenes.paint_layout import (REF_BOX, REF_RECTS, TIMER_BAR, draw_machines,
                                     layout_key, paint_layout)
from game.services import fit_surface
from game.toolbox import ToolBox
from game.ui.layout import LayoutReport
from game.ui.tool_panel import ToolPanel
from game.ui.widgets import Button

CANVAS_BOX = pygame.Rect(222, 68, 834, 644)
HISTORY_LIMIT = 100
HISTORY_BYTES = 256 * 1024 * 1024   # undo memory cap: oldest strokes go first beyond it


def canvas_size_for(image_shape: tuple[int, ...]) -> tuple[int, int]:
    """The canvas takes the photo's aspect ratio, as large as the box allows."""
    h, w = image_shape[:2]
    scale = min(CANVAS_BOX.width / w, CANVAS_BOX.height / h)
    return max(64, int(w * scale)), max(64, int(h * scale))


class PaintScene(Scene):
    name = "paint"

    def __init__(self, app, round_: Round,
                 on_done: Callable[["PaintScene"], None] | None = None,
                 on_quit: Callable[[], None] | None = None,
                 allow_upload: bool | None = None) -> None:
        super().__init__(app)
        self.round = round_
        # The pause menu's "Use a picture instead": solo play unless told (a party passes its
        # host's choice), never in a kiosk (a visitor must not open the museum's files).
        solo = on_done is None
        self.allow_upload = (solo if allow_upload is None else allow_upload) \
            and not app.config.kiosk.enabled
        # Where a finished painting goes: None is the solo reveal; party and kiosk pass
        # their own next step (the next player, the round's shared reveal).
        self.on_done = on_done
        self.on_quit = on_quit          # the pause menu's quit also ends a party
        images = app.services.images
        self.content_rgb = images.array(round_.content)      # (H, W, 3) uint8
        self.style_rgb = images.array(round_.style)
        width, height = canvas_size_for(self.content_rgb.shape)
        self.canvas = Canvas(width, height, seed=app.rng.randrange(1 << 30))
        round_.canvas_seed, round_.canvas_size = self.canvas.seed, (width, height)
        self.history = History(limit=HISTORY_LIMIT, max_bytes=HISTORY_BYTES)
        self.toolbox = ToolBox()
        self.panel = ToolPanel(app.theme, self.toolbox)
        self.canvas_rect = pygame.Rect(0, 0, width, height)
        self.canvas_rect.center = CANVAS_BOX.center
        self.canvas_surface = pygame.Surface((width, height))
        self._blit_region((0, 0, width, height))
        self.refs = {kind: fit_surface(images.surface(item, (600, 450)), REF_BOX)
                     for kind, item in (("content", round_.content), ("style", round_.style))}
        self.ref_rects = {k: s.get_rect(center=REF_RECTS[k].center) for k, s in self.refs.items()}
        self.big_refs = {kind: images.surface(item, (600, 560))
                         for kind, item in (("content", round_.content), ("style", round_.style))}
        self.stroking = False
        self.show_refs_large = False
        self._layout: tuple[tuple, LayoutReport] | None = None     # (its key, the layout)
        self.time = 0.0
        self.last_tick_second = -1
        self.finish_button = Button(pygame.Rect(1072, 640, 196, 60), Msg("paint.finish"),
                                    self.finish,
                                    (pygame.K_f,), "F")

    def enter(self) -> None:
        self.round.start()

    # -- canvas <-> screen ---------------------------------------------------------
    def _blit_region(self, rect: tuple[int, int, int, int]) -> None:
        x, y, w, h = rect
        if w <= 0 or h <= 0:
            return
        region = np.ascontiguousarray(self.canvas.rgb8_region(x, y, w, h))  # (h, w, 3) uint8
        self.canvas_surface.blit(pygame.image.frombuffer(region.tobytes(), (w, h), "RGB"), (x, y))

    def to_canvas(self, pos: tuple[int, int]) -> tuple[float, float]:
        x = min(max(pos[0] - self.canvas_rect.x, 0), self.canvas.width - 1)
        y = min(max(pos[1] - self.canvas_rect.y, 0), self.canvas.height - 1)
        return float(x), float(y)

    # -- actions (the demo bot calls these too) -----------------------------------------
    def begin_stroke(self, pos: tuple[int, int]) -> None:
        brush = self.toolbox.brush
        if brush is None or not self.round.phase == "painting":
            return
        self.history.begin(self.canvas, brush, *self.to_canvas(pos), self.time)
        self.stroking = True
        self.app.services.sound.play("brush")

    def extend_stroke(self, pos: tuple[int, int]) -> None:
        if self.stroking:
            self.history.extend(self.canvas, *self.to_canvas(pos), self.time)

    def end_stroke(self) -> None:
        if self.stroking:
            self.history.end(self.canvas)
            self.stroking = False

    def run_command(self, command: str) -> None:
        self.end_stroke()
        if command == "undo":
            self.history.undo(self.canvas)
        elif command == "redo":
            self.history.redo(self.canvas)
        elif command == "clear":
            self.history.clear(self.canvas)

    def eyedrop(self, pos: tuple[int, int]) -> bool:
        """Samples the canvas or a reference image under pos; True when it hit one."""
        if self.canvas_rect.collidepoint(pos):
            x, y = self.to_canvas(pos)
            color = sample_color(self.canvas.rgb8(), int(x), int(y))
        else:
            for kind, rect in self.ref_rects.items():
                if rect.collidepoint(pos):
                    source = self.content_rgb if kind == "content" else self.style_rgb
                    sx = int((pos[0] - rect.x) / rect.width * source.shape[1])
                    sy = int((pos[1] - rect.y) / rect.height * source.shape[0])
                    color = sample_color(source, sx, sy)
                    break
            else:
                return False
        self.toolbox.pick_color(color)
        self.panel.picker.set_color(color)
        return True

    def finish(self, uploaded: np.ndarray | None = None) -> None:
        """Early finish or time-out: stop painting and go to the reveal. `uploaded`, a
        picture fitted to the canvas size ((h, w, 3) uint8), replaces the canvas: the round
        is then the player's own attempt and its stroke log is dropped."""
        from game.scenes.reveal import RevealScene
        from game.scenes.title import TitleScene
        if self.round.phase == "finished" and self.round.painting is not None:
            return
        self.end_stroke()
        if uploaded is not None:
            self.round.origin = "uploaded"
            self.round.finish(uploaded)
        else:
            self.canvas.update(10.0)        # let wet watercolour settle into the final picture
            self.round.finish(self.canvas.rgb8().copy())
        self.app.services.sound.play("time_up")
        if self.on_done is not None:
            self.on_done(self)
            return
        self.app.replace(TitleScene(self.app))
        log = None if self.round.origin == "uploaded" else self.history.log
        self.app.push(RevealScene(self.app, self.round, log))

    def give_up(self) -> None:
        self.round.give_up()
        self.finish()

    def discard(self) -> None:
        """End the round and throw the painting away (kiosk privacy): no reveal, no score."""
        self.end_stroke()
        self.round.give_up()
        self.app.services.machines.abandon(self.round)

    # -- scene ---------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._mouse_down(event.pos)
        elif event.type == pygame.MOUSEMOTION:
            if self.stroking:
                self.extend_stroke(event.pos)
            elif self.panel.dragging:
                self.panel.handle_drag(event.pos)
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.end_stroke()
            self.panel.handle_mouse_up()
        elif event.type == pygame.KEYDOWN:
            self._key_down(event)
        elif event.type == pygame.KEYUP and event.key == pygame.K_TAB:
            self.show_refs_large = False
        elif event.type == pygame.WINDOWFOCUSLOST:
            self.end_stroke()

    def _mouse_down(self, pos: tuple[int, int]) -> None:
        if self.finish_button.rect.collidepoint(pos):
            self.finish_button.press()
            return
        if self.toolbox.kind == "eyedropper":
            if self.eyedrop(pos):
                return
        command = self.panel.handle_mouse_down(pos)
        if command in ("undo", "redo", "clear"):
            self.run_command(command)
        elif command is None and self.canvas_rect.collidepoint(pos):
            self.begin_stroke(pos)

    def _key_down(self, event: pygame.event.Event) -> None:
        ctrl = event.mod & pygame.KMOD_CTRL
        shift = event.mod & pygame.KMOD_SHIFT
        key = event.key
        if key == pygame.K_ESCAPE:
            from game.scenes.pause import PauseOverlay
            self.end_stroke()
            self.app.push(PauseOverlay(self.app, self))
        elif key == pygame.K_TAB:
            self.show_refs_large = True
        elif (key == pygame.K_z and ctrl and shift) or (key == pygame.K_y and ctrl):
            self.run_command("redo")
        elif key == pygame.K_z and ctrl:
            self.run_command("undo")
        elif key in (pygame.K_DELETE,):
            self.run_command("clear")
        elif key == pygame.K_f:
            self.finish()
        else:
            tools = {pygame.K_a: "acrylic", pygame.K_w: "watercolour", pygame.K_e: "eraser",
                     pygame.K_i: "eyedropper"}
            steps = {pygame.K_LEFTBRACKET: ("size", -1), pygame.K_RIGHTBRACKET: ("size", 1),
                     pygame.K_COMMA: ("opacity", -1), pygame.K_PERIOD: ("opacity", 1)}
            if key in tools:
                self.end_stroke()
                self.toolbox.set_kind(tools[key])
            elif key in steps:
                what, step = steps[key]
                (self.toolbox.step_size if what == "size" else self.toolbox.step_opacity)(step)

    def update(self, dt: float) -> None:
        self.time += dt
        timed_out = self.round.tick(dt)
        self.canvas.update(dt)
        dirty = self.canvas.pop_dirty()
        if dirty is not None:
            self._blit_region(dirty)
        if self.round.is_urgent:
            second = math.ceil(self.round.remaining)
            if second != self.last_tick_second:
                self.last_tick_second = second
                self.app.services.sound.play("tick")
        if timed_out:
            self.finish()

    # -- layout ------------------------------------------------------------------
    def layout(self) -> LayoutReport:
        key = layout_key(self)
        if self._layout is None or self._layout[0] != key:
            self._layout = (key, paint_layout(self))
        return self._layout[1]

    # -- drawing -------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        c = theme.colors
        urgent = self.round.is_urgent
        pulse = 0.5 + 0.5 * math.sin(self.time * 2 * math.pi * 2) if urgent else 0.0
        report = self.layout()
        self._draw_top_bar(surface, urgent, pulse)
        frame = self.canvas_rect.inflate(12, 12)
        edge = c.urgent if urgent else c.panel_light
        pygame.draw.rect(surface, edge, frame, width=3 + round(3 * pulse), border_radius=6)
        surface.blit(self.canvas_surface, self.canvas_rect)
        self._draw_cursor(surface)
        self.panel.draw(surface, self.history.can_undo, self.history.can_redo)
        self._draw_references(surface)
        draw_machines(surface, self, report)
        report.draw_text(surface, theme)
        self.finish_button.draw(surface, theme)
        if urgent:
            glow = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            pygame.draw.rect(glow, (*c.urgent, round(60 + 80 * pulse)), glow.get_rect(), 10)
            surface.blit(glow, (0, 0))
        if self.show_refs_large:
            self._draw_large_references(surface)

    def _draw_top_bar(self, surface: pygame.Surface, urgent: bool, pulse: float) -> None:
        theme = self.app.theme
        c = theme.colors
        remaining = self.round.remaining
        minutes, seconds = divmod(math.ceil(remaining), 60)
        timer = theme.text(f"{minutes}:{seconds:02d}", "timer", c.urgent if urgent else c.text)
        if urgent:
            scale = 1.0 + 0.18 * pulse
            timer = pygame.transform.smoothscale_by(timer, scale)
        surface.blit(timer, timer.get_rect(center=(640, 34)))
        bar = TIMER_BAR
        pygame.draw.rect(surface, c.panel_light, bar)
        frac = remaining / self.round.seconds if self.round.seconds else 0
        pygame.draw.rect(surface, c.urgent if urgent else c.accent,
                         (bar.x, bar.y, round(bar.width * frac), bar.height))

    def _draw_cursor(self, surface: pygame.Surface) -> None:
        pos = pygame.mouse.get_pos()
        if not self.canvas_rect.collidepoint(pos) or self.toolbox.kind == "eyedropper":
            return
        radius = max(2, self.toolbox.settings.size // 2)
        pygame.draw.circle(surface, (255, 255, 255), pos, radius + 1, 1)
        pygame.draw.circle(surface, (0, 0, 0), pos, radius, 1)

    def _draw_references(self, surface: pygame.Surface) -> None:
        c = self.app.theme.colors
        for kind in ("content", "style"):
            rect = self.ref_rects[kind]
            surface.blit(self.refs[kind], rect)
            pygame.draw.rect(surface, c.panel_light, rect.inflate(4, 4), 2)

    def _draw_large_references(self, surface: pygame.Surface) -> None:
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 200))
        surface.blit(shade, (0, 0))
        theme = self.app.theme
        for i, (kind, label) in enumerate((("content", Msg("paint.photo")),
                                           ("style", Msg("paint.style")))):
            big = self.big_refs[kind]
            rect = surface.blit(big, big.get_rect(center=(340 + i * 620, 380)))
            theme.blit_text(surface, label, (rect.x, rect.y - 8), "h2", theme.colors.accent,
                            "bottomleft")
