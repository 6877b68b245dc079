"""Replay the duel: the painting growing and Gatys's picture forming, in step, then the score.

Reached from the reveal (D). The plan (game/replay.py) gives each of its 30-a-second frames
the round clock, how many stroke points are painted by then and which Gatys snapshot is on
show: at most 20 s however long the round was. The painting is grown again from the stroke
log (game/timelapse.py), a bounded number of points per game frame so the frame rate holds;
when it falls behind, the replay's clock waits for it (in step, never ahead). An uploaded
picture has no strokes: it is shown whole, tagged. With no snapshots (an older cache entry,
a stand-in), Gatys's final picture stands in for the reel.

"Save the duel" (S) starts the export in a background process (game/duel_export.py) and
this screen shows how far it got; Space plays it again, Esc goes back to the reveal.
"""
from __future__ import annotations

import pygame

from game.catalogue import shown
from game.duel_export import DuelExport, start_export
from game.duel_view import (DuelTexts, DuelView, draw_duel, duel_layout, gatys_caption,
                             scaled)
from game.i18n import Msg
from game.replay import (END_SECONDS, FPS, MAX_SECONDS, ReplayFrame, clock_text, replay_plan,
                         replay_span)
from game.round import Round, worded
from game.scene import Scene
from game.scenes.replay_status import export_job, status_text
from game.services import array_to_surface
from game.timelapse import StrokeReplayer
from game.ui.engine_names import short_name
from game.ui.layout import LayoutReport
from game.ui.widgets import Button, Menu

MAX_POINTS_PER_FRAME = 40      # the stroke points one game frame may replay ...
FRAME_BUDGET_S = 0.006         # ... and the time they may take (the frame is 16.7 ms)


def painter_caption(round_: Round, player: str = "") -> Msg:
    """Whose picture is on the left: yours, or a party player's by name; painted or brought."""
    uploaded = round_.origin == "uploaded"
    if player:
        return Msg("replay.brought_by" if uploaded else "replay.painted_by", name=player)
    return Msg("replay.uploaded") if uploaded else Msg("reveal.your_painting")


def duel_texts(app, round_: Round, speed: float, player: str = "") -> DuelTexts:
    """The duel's words in the player's language (the export gets them as they are)."""
    strings = app.strings
    content, style = (shown(item, strings).title for item in (round_.content, round_.style))
    magenta, gatys = (strings(short_name(round_.slots[e])) for e in ("magenta", "gatys"))
    painter = painter_caption(round_, player)
    slot = round_.slots["gatys"]
    # One iteration is a stand-in's single pass: "finished", not "finished, 1 iterations".
    done = Msg("replay.gatys_done", name=gatys, iteration=slot.iteration) \
        if (slot.iteration or 0) > 1 else Msg("replay.gatys_final", name=gatys)
    scoring = round_.scoring
    parts = ""
    if round_.score is not None and scoring.parts:
        parts = strings(Msg("reveal.parts", **scoring.parts))
    if round_.score is not None:
        score = f"{round_.score:.1f}"
    elif scoring.status in ("waiting", "scoring"):      # still coming: say so, not "none"
        score = strings(worded("reveal.scoring", round_.origin))
    else:
        score = strings(scoring.detail or Msg("score.none"))
    speed_text = Msg("replay.speed", speed=f"{speed:.1f}") if speed > 1.05 else \
        Msg("replay.real_speed")
    return DuelTexts(content, style, strings(painter), magenta, gatys,
                     strings(Msg("replay.gatys_step", name=gatys, iteration="{iteration}")),
                     strings(done), strings(speed_text), strings(Msg("reveal.score")), score,
                     parts, strings(Msg("replay.gatys_starting", name=gatys)))


class ReplayScene(Scene):
    name = "replay"

    def __init__(self, app, round_: Round, stroke_log=None, on_kiosk_leave=None,
                 player: str = "") -> None:
        super().__init__(app)
        self.round = round_
        self.player = player            # a party player's name; "" in a solo round
        # The reveal's own leave-taking: a kiosk that times out here goes to attract mode
        # past the reveal, which must still keep the painting and let the machines go.
        self.on_kiosk_leave = on_kiosk_leave
        self.stroke_log = list(stroke_log or [])
        gatys, magenta = round_.slots["gatys"], round_.slots["magenta"]
        self.snapshots = list(gatys.snapshots)
        magenta_s = magenta.seconds if magenta.image is not None else None
        if magenta_s is not None:
            magenta_s = max(0.0, float(magenta_s))
        span_log = self.stroke_log if self._grows() else []
        self.plan = replay_plan(span_log, self.snapshots, magenta_s, round_.elapsed)
        self.speed = max(1.0, replay_span(span_log, self.snapshots, round_.elapsed)
                         / (MAX_SECONDS - END_SECONDS))
        self.texts = duel_texts(app, round_, self.speed, player)
        self.scoring_status = round_.scoring.status
        self._surfaces: dict[object, pygame.Surface] = {}     # source -> converted once
        self._scaled: dict[str, tuple[tuple, pygame.Surface]] = {}
        self.export: DuelExport | None = None
        self.status: Msg | str = ""
        self.restart()

    def _grows(self) -> bool:
        """The painting can be grown again from strokes (a painted round with its log)."""
        r = self.round
        return (r.origin == "painted" and bool(self.stroke_log) and r.canvas_size is not None
                and r.painting is not None)

    def restart(self) -> None:
        self.index, self.clock = 0, 0.0
        self.replayer: StrokeReplayer | None = None
        self.canvas_surface: pygame.Surface | None = None
        if self._grows():
            self.replayer = StrokeReplayer(self.stroke_log, self.round.canvas_size,
                                           self.round.canvas_seed)
            self.canvas_surface = pygame.Surface(self.round.canvas_size)
            self._blit_dirty()

    def enter(self) -> None:
        self.menu = Menu(vertical=False)
        self.save_button = self.menu.add(Button(pygame.Rect(560, 644, 330, 60),
                                                Msg("replay.save"), self.save,
                                                (pygame.K_s,), "S"))
        self.menu.add(Button(pygame.Rect(906, 644, 190, 60), Msg("replay.again"),
                             self.restart, (pygame.K_SPACE,), "Space"))
        self.menu.add(Button(pygame.Rect(1112, 644, 144, 60), Msg("replay.back"),
                             self.leave, (pygame.K_ESCAPE,), "Esc"))
        self.save_button.enabled = self.round.painting is not None

    # -- time ----------------------------------------------------------------------------
    @property
    def frame(self) -> ReplayFrame:
        return self.plan[min(self.index, len(self.plan) - 1)]

    @property
    def ended(self) -> bool:
        return self.index >= len(self.plan) - 1

    def update(self, dt: float) -> None:
        self._poll_export()
        if self.round.scoring.status != self.scoring_status:
            # The score landed while the replay played: the end card shows it.
            self.scoring_status = self.round.scoring.status
            self.texts = duel_texts(self.app, self.round, self.speed, self.player)
        if self.ended:
            return
        replayer = self.replayer
        if replayer is not None and not replayer.finished:
            # A bounded share of the frame: at most 40 points and 6 ms of replaying.
            target = min(self.frame.points, replayer.done + MAX_POINTS_PER_FRAME)
            replayer.advance_to(target, FRAME_BUDGET_S)
            self._blit_dirty()
            if not replayer.caught_up(self.frame.points):
                return          # behind: the replay's clock waits for the painting
        self.clock += dt
        self.index = min(len(self.plan) - 1, int(self.clock * FPS))

    def _blit_dirty(self) -> None:
        dirty = self.replayer.dirty()
        if dirty is None:
            return
        x, y, w, h = dirty
        if w > 0 and h > 0:
            region = self.replayer.canvas.rgb8_region(x, y, w, h)   # (h, w, 3), a copy
            self.canvas_surface.blit(pygame.image.frombuffer(region.tobytes(), (w, h),
                                                             "RGB"), (x, y))
            self._scaled.pop("painting", None)

    # -- export --------------------------------------------------------------------------
    def save(self) -> None:
        if self.export is not None and not self.export.poll().done:
            return                      # one save at a time
        job = export_job(self.app, self.round, self.stroke_log, self.texts)
        self.export = start_export(job)
        self.status = Msg("replay.saving", percent=0)

    def _poll_export(self) -> None:
        if self.export is not None:
            status = self.export.poll()
            self.status = status_text(status)
            self.save_button.enabled = status.done      # one save at a time

    def leave(self) -> None:
        """Going back keeps an export running: it finishes on its own."""
        self.app.pop()

    def kiosk_leave(self) -> None:
        """The kiosk's idle time-out: the reveal below leaves as it would have."""
        if self.on_kiosk_leave is not None:
            self.on_kiosk_leave()

    # -- drawing -------------------------------------------------------------------------
    def _sizes(self) -> dict:
        painting = self._painting_source()
        gatys = self._gatys_source()
        return {"painting": painting.get_size() if painting else None,
                "gatys": gatys.get_size() if gatys else None}

    def view(self) -> DuelView:
        frame = self.frame
        total = clock_text(self.plan[-1].round_s)
        caption = gatys_caption(self.texts, frame.ending, frame.gatys, self.snapshots)
        return duel_layout(self.app.theme, self.texts,
                           f"{clock_text(frame.round_s)} / {total}", caption, self._sizes(),
                           frame.ending, self.app.strings(self.status) if self.status else "")

    def layout(self) -> LayoutReport:
        return self.view().report

    def _painting_source(self) -> pygame.Surface | None:
        if self.canvas_surface is not None and not (self.replayer and self.replayer.failed):
            return self.canvas_surface
        return self._surface("painting", self.round.painting)

    def _gatys_source(self) -> pygame.Surface | None:
        frame, slot = self.frame, self.round.slots["gatys"]
        if self.snapshots and not frame.ending:
            if frame.gatys < 0:
                return None
            return self._surface(frame.gatys, self.snapshots[frame.gatys].image)
        return self._surface("gatys", slot.image)

    def _surface(self, key, array) -> pygame.Surface | None:
        if array is None:
            return None
        if key not in self._surfaces:
            self._surfaces[key] = array_to_surface(array)
        return self._surfaces[key]

    def _fitted(self, name: str, source, rect) -> pygame.Surface | None:
        if source is None or rect is None:
            return None
        key = (id(source), rect.size)
        cached = self._scaled.get(name)
        if cached is None or cached[0] != key:
            cached = (key, scaled(source, rect))
            self._scaled[name] = cached
        return cached[1]

    def draw(self, surface: pygame.Surface) -> None:
        view = self.view()
        magenta = self.round.slots["magenta"].image if self.frame.magenta_shown else None
        pictures = {
            "painting": self._fitted("painting", self._painting_source(), view.painting),
            "gatys": self._fitted("gatys", self._gatys_source(), view.gatys),
            "magenta": self._fitted("magenta", self._surface("magenta", magenta),
                                    view.magenta)}
        draw_duel(surface, self.app.theme, view, pictures)
        self.menu.draw(surface, self.app.theme)

    def handle_event(self, event: pygame.event.Event) -> None:
        self.menu.handle_event(event)
