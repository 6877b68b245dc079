"""Undo/redo of strokes and clears, plus the replayable stroke log.

Memory: a command keeps copies of only the 32x32 tiles it changed, before and
after (tiles.py), so many small strokes cost memory in proportion to their area,
never a full-canvas copy (clear stores its "after" tiles as a PRISTINE marker).

Watercolour that is still wet keeps changing pixels after its stroke ends. The
rules that keep undo exact:
- The newest command stays *open* after its stroke ends: the canvas reports
  every tile the drying (and the folding-in of the dried stains that follows)
  touches to it, so its tile set covers the wet spread.
- It is *sealed* when the next command begins, or at undo. Its "after" tiles
  are the state at that moment; they are copied lazily (tiles.OwedAfters): a
  sealed tile cannot change before the next recorder copies it anyway, and that
  copy is then shared. Beginning a new stroke does not dry the canvas, so
  wet-in-wet painting into a still-wet wash works; the drying from then on
  belongs to the new command.
- Undo first force-dries the canvas (attributed to the open command), seals it,
  then writes back its "before" tiles. Undo and redo both end with a force-dry of
  whatever they restored. Force-drying folds the wet pigment into the dry layer
  with the very float the display showed, so no displayed byte changes: after
  undo the picture is exactly what it was before the stroke, and redo shows
  exactly what was on screen when undo was pressed. Nothing restored is left wet,
  so no untracked drying can creep in afterwards.
- The next command after an undo/redo is logged with `dry_before=True` so a
  replay force-dries at the same moment and stays byte-identical.

The log (`History.log`) lists the records of the commands currently in effect,
including ones too old to undo, so a time-lapse can replay the whole painting.

Memory cap: by default History keeps at most DEFAULT_MAX_BYTES (256 MiB) of tile
snapshots and forgets the oldest commands beyond that (their strokes stay in the
log). One 800x600 canvas state is ~7.7 MB (refl + surface, float32; wet cells add
~1.9 MB), and a command costs about its painted area before and after. A 100-stroke
game of ordinary strokes (a few % of the canvas each) stays well under the cap and
keeps all 100 undos; a game of whole-canvas strokes still keeps ~35 of them, where
without a cap it could reach ~1 GB. History(max_bytes=None) turns the cap off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .canvas import Canvas
from .record import CLEAR, StrokeRecord
from .tiles import OwedAfters, SnapshotLedger, TileRecorder

DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # see "Memory cap" above
from .tool import Stroke, Tool


@dataclass
class _Command:
    record: StrokeRecord
    recorder: TileRecorder
    canvas: Canvas
    start_tick: int
    after: dict | None = None  # sealed "after" tiles; None while open

    def snapshots(self):
        yield from self.recorder.before.values()
        if self.after is not None:
            yield from self.after.values()


class History:
    def __init__(self, limit: int = 100, max_bytes: int | None = DEFAULT_MAX_BYTES):
        """`limit` undo steps; `max_bytes` caps the snapshot memory (oldest commands go
        first; the newest is always kept); None: no cap."""
        self.limit = max(int(limit), 1)
        self.max_bytes = max_bytes
        self._commands: list[_Command] = []
        self._cursor = 0  # _commands[:_cursor] are applied
        self._timeline: list[StrokeRecord] = []  # every applied record, oldest first
        self._open: _Command | None = None
        self._stroke: Stroke | None = None
        self._restored = False  # an undo/redo force-dried the canvas since the last command
        self._serial = 0
        self._ledger = SnapshotLedger()  # bytes of the snapshots held, counted once
        self._owed = OwedAfters(self._ledger)  # "after" tiles of sealed commands, lazily

    # ------------------------------------------------------------- queries
    @property
    def can_undo(self) -> bool:
        return self._cursor > 0

    @property
    def can_redo(self) -> bool:
        return self._cursor < len(self._commands) and self._stroke is None

    @property
    def in_stroke(self) -> bool:
        return self._stroke is not None

    @property
    def log(self) -> list[StrokeRecord]:
        """Records of the commands in effect (undone ones excluded), oldest first."""
        undone = len(self._commands) - self._cursor
        cmd = self._open
        if cmd is not None:  # bring the open record's tick counts up to now
            rec = cmd.record
            elapsed = cmd.canvas.ticks - cmd.start_tick
            if self._stroke is not None:
                rec.end_tick = elapsed
            rec.ticks_after = elapsed - rec.end_tick
        return list(self._timeline[: len(self._timeline) - undone])

    def memory_bytes(self) -> int:
        """Bytes of tile snapshots held (one command's "after" tile is often the very
        snapshot the next one keeps as "before": counted once)."""
        return self._ledger.nbytes

    def __len__(self) -> int:
        return len(self._commands)

    # ------------------------------------------------------------- strokes
    def begin(self, canvas: Canvas, tool: Tool, x: float, y: float, t: float) -> None:
        self._finish_stroke(canvas)
        seed = int(np.random.SeedSequence([canvas.seed & 0xFFFFFFFF, self._serial])
                   .generate_state(1)[0])
        record = StrokeRecord(tool.kind, tool.settings.clamped(), tool.params, seed,
                              [(float(x), float(y), float(t), 0)])
        cmd = self._push(canvas, record)
        self._stroke = tool.begin(canvas, x, y, t, seed)
        del cmd  # stays open until the next command or an undo

    def extend(self, canvas: Canvas, x: float, y: float, t: float) -> None:
        if self._stroke is None or self._open is None:
            return
        ticks = canvas.ticks - self._open.start_tick
        self._open.record.points.append((float(x), float(y), float(t), ticks))
        self._stroke.extend(x, y, t)

    def end(self, canvas: Canvas) -> None:
        self._finish_stroke(canvas)
        self._trim()  # between strokes the cap holds (unless the newest alone exceeds it)

    def clear(self, canvas: Canvas) -> None:
        """Clear to paper as one undoable command."""
        self._finish_stroke(canvas)
        self._push(canvas, StrokeRecord(CLEAR))
        canvas.clear()
        self._seal(canvas)

    # ---------------------------------------------------------- undo / redo
    def undo(self, canvas: Canvas) -> bool:
        self._finish_stroke(canvas)
        if self._cursor == 0:
            return False
        cmd = self._commands[self._cursor - 1]
        if cmd is self._open:
            canvas.force_dry()  # its recorder is still live, so the dried tiles are its own
            self._seal(canvas)
        self._owed.pay_all(canvas)  # before anything is overwritten
        canvas.restore_tiles(cmd.recorder.before)
        canvas.force_dry()
        self._cursor -= 1
        self._restored = True
        return True

    def redo(self, canvas: Canvas) -> bool:
        self._finish_stroke(canvas)
        if self._cursor >= len(self._commands):
            return False
        cmd = self._commands[self._cursor]
        self._owed.pay_all(canvas)
        canvas.restore_tiles(cmd.after or {})
        canvas.force_dry()
        self._cursor += 1
        self._restored = True
        return True

    # ------------------------------------------------------------- internals
    def _push(self, canvas: Canvas, record: StrokeRecord) -> _Command:
        self._seal(canvas)
        undone = len(self._commands) - self._cursor
        if undone:  # a new command after undo drops the redo tail
            for dropped in self._commands[self._cursor:]:
                self._forget(dropped)
            del self._commands[self._cursor:]
            del self._timeline[len(self._timeline) - undone:]
        record.dry_before = self._restored
        self._restored = False
        self._serial += 1
        recorder = TileRecorder(canvas.tile_grid_shape, self._owed, self._ledger)
        cmd = _Command(record, recorder, canvas, canvas.ticks)
        canvas.recorder = cmd.recorder
        self._commands.append(cmd)
        self._timeline.append(record)
        self._cursor = len(self._commands)
        self._open = cmd
        return cmd

    def _finish_stroke(self, canvas: Canvas) -> None:
        if self._stroke is None:
            return
        if self._open is not None:
            self._open.record.end_tick = canvas.ticks - self._open.start_tick
        self._stroke.end()
        self._stroke = None

    def _seal(self, canvas: Canvas) -> None:
        cmd = self._open
        if cmd is None:
            return
        self._finish_stroke(canvas)
        rec = cmd.record
        rec.ticks_after = canvas.ticks - cmd.start_tick - rec.end_tick
        cmd.after = {}
        self._owed.owe(cmd.recorder.before, cmd.after)  # filled in as tiles get touched
        if canvas.recorder is cmd.recorder:
            canvas.recorder = None
        self._open = None
        self._trim()

    def _trim(self) -> None:
        """Forget the oldest sealed commands beyond the step limit or memory cap."""
        def over() -> bool:
            if len(self._commands) > self.limit:
                return True
            return self.max_bytes is not None and len(self._commands) > 1 \
                and self.memory_bytes() > self.max_bytes
        while (self._cursor > 0 and self._commands[0] is not self._open and over()):
            self._forget(self._commands.pop(0))
            self._cursor = max(self._cursor - 1, 0)

    def _forget(self, cmd: _Command) -> None:
        """Let go of a command's snapshots (it has been dropped from the history)."""
        if cmd.after is not None:
            self._owed.forget(cmd.after)
        for snapshot in cmd.snapshots():
            self._ledger.release(snapshot)
