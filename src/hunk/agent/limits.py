"""A turn's limits: tokens and dollars (per call, per turn, for the session, and the `--max-cost`
check), and the guard that notices a model going round in circles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hunk.providers.base import Request
from hunk.providers.catalog import load_catalog
from hunk.values.usage import Usage


@dataclass
class Meter:
    """A session's running totals. Prices come from the catalog for the model in use at the
    time of each call; a model without a known price leaves the cost unknown (None)."""

    usage: Usage = Usage()
    cost_usd: float | None = None
    last_call_cost: float | None = None

    @staticmethod
    def price(provider: str, model: str, usage: Usage) -> float | None:
        info = load_catalog().model(provider, model)
        return None if info is None else info.cost_usd(usage)

    def add(self, provider: str, model: str, usage: Usage) -> float | None:
        """Count one call; returns its cost."""
        self.usage = self.usage + usage
        cost = self.price(provider, model, usage)
        if cost is not None:
            self.cost_usd = (self.cost_usd or 0.0) + cost
            self.last_call_cost = cost
        return cost

    def would_exceed(self, limit: float | None, provider: str, model: str, request: Request) -> bool:
        """Would the next request take the session past `limit`? The estimate is the last
        call's cost, or for the first call the request's size at the input price."""
        if limit is None:
            return False
        estimate = self.last_call_cost
        if estimate is None:
            size = len(request.system) + len(json.dumps([m.text for m in request.messages]))
            estimate = self.price(provider, model, Usage(input_tokens=size // 4)) or 0.0
        return (self.cost_usd or 0.0) + estimate > limit


# --- loops: the same call three times running, or A-B-A-B ----------------------------------


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
