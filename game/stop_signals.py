"""SIGTERM and SIGINT end the game in order: the frame finishes, workers stop, exit 0.

`systemctl stop` (and `timeout`) send SIGTERM to the whole process group. SDL turns SIGTERM
into a window-close event, which a kiosk swallows on purpose (visitors must not quit), so
the game once ran on for minutes while the service "restarted" its SIGTERM'd workers.
Handlers here only set a flag the loop reads between frames: a save in progress (a
synchronous write in the frame) finishes, then App.shutdown stops the workers.
"""
from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals:
    """Installs stop-signal handlers for the game's lifetime.

        with StopSignals() as stop:     # from the very start: no window without a handler
            ...build the game...
            stop.attach(app.stop)       # a signal that came meanwhile stops it at once
    """

    def __init__(self, request_stop: Callable[[str], None] | None = None):
        self.request_stop = request_stop
        self.received: str | None = None      # the first signal's name, once one came
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():   # Python's own rule
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def attach(self, request_stop: Callable[[str], None]) -> None:
        self.request_stop = request_stop
        if self.received is not None:
            request_stop(self.received)

    def _on_signal(self, signum: int, _frame) -> None:
        name = signal.Signals(signum).name
        if self.received is None:
            self.received = name
            log.warning("%s received: finishing this frame, stopping the workers", name)
        if self.request_stop is not None:
            self.request_stop(name)
