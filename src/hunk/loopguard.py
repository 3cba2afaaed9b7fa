"""Notices a model going round in circles: the same call three times running, or A-B-A-B."""

from __future__ import annotations

import json
from typing import Any


def call_signature(name: str, arguments: dict[str, Any]) -> str:
    return name + ":" + json.dumps(arguments, sort_keys=True, ensure_ascii=False)


class LoopGuard:
    """Feed it every tool call; `check` says whether the latest call closes a loop.

    The first loop found is a warning (the model is told); a loop found after a warning means
    the model did not change course and the run must stop.
    """

    REPEATS = 3

    def __init__(self) -> None:
        self._calls: list[str] = []
        self.warned = False

    def record(self, name: str, arguments: dict[str, Any]) -> bool:
        """Record a call; True when it completes a loop."""
        self._calls.append(call_signature(name, arguments))
        calls = self._calls
        if len(calls) >= self.REPEATS and len(set(calls[-self.REPEATS :])) == 1:
            self._calls = []
            return True
        if len(calls) >= 4 and calls[-1] == calls[-3] and calls[-2] == calls[-4] and calls[-1] != calls[-2]:
            self._calls = []
            return True
        return False
