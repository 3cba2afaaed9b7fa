"""Tokens and dollars: per call, per turn, for the session; and the `--max-cost` check."""

from __future__ import annotations

import json
from dataclasses import dataclass

from hunk.providers.base import Request
from hunk.providers.catalog import load_catalog
from hunk.types import Usage


def minus(a: Usage, b: Usage) -> Usage:
    return Usage(
        a.input_tokens - b.input_tokens,
        a.output_tokens - b.output_tokens,
        a.cache_read_tokens - b.cache_read_tokens,
        a.cache_write_tokens - b.cache_write_tokens,
    )


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
