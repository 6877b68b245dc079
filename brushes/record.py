"""Stroke log: what was painted, in enough detail to paint it again exactly.

A painting is a list of StrokeRecords. Replaying them in order on a fresh Canvas
with the same seed reproduces the picture byte for byte, because:
- every random choice in a stroke comes from the record's own seed;
- the wet simulation runs in fixed steps (Canvas.ticks counts them, not seconds),
  and each point stores how many had run since the stroke began (`end_tick` and
  `ticks_after` cover the rest of the command's time);
- `dry_before` marks commands that started right after an undo/redo, which
  force-dries the canvas (see history.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterator, Mapping

from .acrylic import Acrylic
from .eraser import Eraser
from .settings import BrushSettings, PressureParams
from .tool import Tool
from .watercolour import Watercolour

if TYPE_CHECKING:
    from .canvas import Canvas

# Read-only: a record names its tool by kind, and replay looks the class up here.
TOOL_TYPES: Mapping[str, type[Tool]] = MappingProxyType({
    "acrylic": Acrylic, "watercolour": Watercolour, "eraser": Eraser})
CLEAR = "clear"

# (x, y, t seconds, Canvas.ticks since the stroke began: wet-simulation phases)
Point = tuple[float, float, float, int]


@dataclass
class StrokeRecord:
    kind: str  # "acrylic" | "watercolour" | "eraser" | "clear"
    settings: BrushSettings | None = None
    params: object = None  # the tool's *Params (frozen dataclass)
    seed: int = 0
    points: list[Point] = field(default_factory=list)
    end_tick: int = 0  # Canvas.ticks since the start when the stroke ended
    ticks_after: int = 0  # Canvas.ticks between the end and the next command
    dry_before: bool = False  # canvas was force-dried just before this command

    def make_tool(self) -> Tool:
        return TOOL_TYPES[self.kind](BrushSettings(**asdict(self.settings)), self.params)

    def to_dict(self) -> dict:
        """JSON-friendly form, for saving a painting for the time-lapse."""
        return {
            "kind": self.kind,
            "settings": None if self.settings is None else asdict(self.settings),
            "params": None if self.params is None else asdict(self.params),
            "seed": self.seed,
            "points": [list(p) for p in self.points],
            "end_tick": self.end_tick,
            "ticks_after": self.ticks_after,
            "dry_before": self.dry_before,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "StrokeRecord":
        kind = d["kind"]
        settings = params = None
        if d.get("settings") is not None:
            s = dict(d["settings"])
            s["color"] = tuple(s["color"])
            settings = BrushSettings(**s)
        if d.get("params") is not None and kind in TOOL_TYPES:
            params = _params_from_dict(TOOL_TYPES[kind].params_type, d["params"])
        points = [(float(x), float(y), float(t), int(k)) for x, y, t, k in d["points"]]
        return cls(kind, settings, params, int(d["seed"]), points, int(d.get("end_tick", 0)),
                   int(d.get("ticks_after", 0)), bool(d.get("dry_before", False)))


def _params_from_dict(ptype: type, d: dict):
    kwargs = {}
    for f in fields(ptype):
        if f.name not in d:
            continue
        v = d[f.name]
        kwargs[f.name] = PressureParams(**v) if f.name == "pressure" else v
    return ptype(**kwargs)


def replay_steps(log: list[StrokeRecord], canvas: "Canvas") -> Iterator[int]:
    """Re-apply a log point by point, yielding after each stroke point (for a
    time-lapse that shows the painting grow); yields the record index."""
    for i, rec in enumerate(log):
        if rec.dry_before:
            canvas.force_dry()
        if rec.kind == CLEAR:
            canvas.clear()
            yield i
        else:
            tool = rec.make_tool()
            x, y, t, _ = rec.points[0]
            stroke = tool.begin(canvas, x, y, t, rec.seed)
            done = 0
            yield i
            for x, y, t, ticks in rec.points[1:]:
                canvas.run_ticks(ticks - done)
                done = ticks
                stroke.extend(x, y, t)
                yield i
            canvas.run_ticks(rec.end_tick - done)
            stroke.end()
        canvas.run_ticks(rec.ticks_after)


def replay(log: list[StrokeRecord], canvas: "Canvas") -> None:
    """Re-apply a whole log to a canvas (a fresh one with the painting's seed)."""
    for _ in replay_steps(log, canvas):
        pass
