"""A spinner with elapsed time, shown while the model or a command works."""

from __future__ import annotations

import time

from textual.timer import Timer
from textual.widgets import Static

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Spinner(Static):
    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._label = ""
        self._started = 0.0
        self._frame = 0
        self._timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self, label: str) -> None:
        self._label = label
        if self._timer is None:
            self._started = time.monotonic()
            self._timer = self.set_interval(0.1, self._tick)
        self.display = True
        self._tick()

    def relabel(self, label: str) -> None:
        self._label = label

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.display = False

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(FRAMES)
        elapsed = time.monotonic() - self._started
        self.update(f"{FRAMES[self._frame]} {self._label}  {elapsed:.1f}s  (esc cancels)")
