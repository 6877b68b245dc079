"""Painting a plan onto a brushes Canvas through History, as a player would."""
from __future__ import annotations

from game.bot.stroke import ACRYLIC, WATERCOLOUR, PlannedStroke

PEN_LIFT_SECONDS = 0.1   # render_plan: pause between strokes
WASH_DRY_SECONDS = 6.0   # render_plan: most it waits for washes to dry before acrylic


def _let_dry(canvas, seconds: float, frame: float) -> None:
    """Advance the canvas frame by frame, as the game loop would, until it is dry or time is up.

    The engine runs a bounded number of drying ticks per update, so one long update would not
    dry anything; a canvas without ``is_wet`` simply waits the whole time.
    """
    for _ in range(max(1, round(seconds / frame))):
        if not _is_wet(canvas):
            return
        canvas.update(frame)


def _is_wet(canvas) -> bool:
    """Whether the canvas still has wet paint; assume so if it cannot tell."""
    wet = getattr(canvas, "is_wet", True)
    return bool(wet() if callable(wet) else wet)


def _paint_stroke(stroke: PlannedStroke, tool, canvas, history, t: float,
                  seconds_per_point: float) -> float:
    """One stroke through History, one point per frame; returns the time after it."""
    (x, y), rest = stroke.points[0], stroke.points[1:]
    history.begin(canvas, tool, x, y, t)
    for x, y in rest:
        t += seconds_per_point
        canvas.update(seconds_per_point)
        history.extend(canvas, x, y, t)
    history.end(canvas)
    return t


def render_plan(plan: list[PlannedStroke], canvas, history, seconds_per_point: float = 1 / 60):
    """Paint ``plan`` onto a brushes ``Canvas`` through ``History``, as a player would.

    One point per ``seconds_per_point`` (the plan's spacing makes that a moderate pointer
    speed), the canvas updated every frame so watercolour flows and dries, a pen lift between
    strokes, and, like a painter, a wait for the washes to dry before acrylic goes over them.
    """
    from brushes import Acrylic, BrushSettings, Watercolour   # lazy: planning needs no engine

    tools = {ACRYLIC: Acrylic, WATERCOLOUR: Watercolour}
    t, previous = 0.0, None
    for stroke in plan:
        if previous == WATERCOLOUR and stroke.tool != WATERCOLOUR:
            _let_dry(canvas, WASH_DRY_SECONDS, seconds_per_point)
            t += WASH_DRY_SECONDS
        settings = BrushSettings(color=stroke.color, size=stroke.size, opacity=stroke.opacity)
        t = _paint_stroke(stroke, tools[stroke.tool](settings), canvas, history, t,
                          seconds_per_point)
        t += PEN_LIFT_SECONDS
        _let_dry(canvas, PEN_LIFT_SECONDS, seconds_per_point)
        previous = stroke.tool
    return canvas


def bot_painter():
    """A painter for the score's training data: (content, style, (w, h), seed, budget) ->
    (h, w, 3) uint8, the bot's plan rendered with the real brushes. Handed to
    `models train-encoder` by main.py, so models never imports game."""
    from brushes import Canvas, History

    from game.bot.plan import plan_painting

    def paint(content, style, canvas, seed, budget):
        plan = plan_painting(content, style, canvas, seed=seed, budget=budget)
        return render_plan(plan, Canvas(canvas[0], canvas[1], seed=seed),
                           History(limit=1)).rgb8()

    return paint
