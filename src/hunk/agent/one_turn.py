"""What a custom command may change for the one turn it starts: the model and the tools offered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from hunk.agent.calls import ToolRunner
from hunk.providers.base import Provider, ProviderConfigError
from hunk.values.events import EventSink, Notice


class _Switchable(Protocol):
    provider: Provider
    provider_factory: Callable[[str], Provider] | None
    runner: ToolRunner
    sink: EventSink

    @property
    def model_label(self) -> str: ...


@asynccontextmanager
async def for_one_turn(agent: _Switchable, model: str | None, tools: set[str] | None) -> AsyncIterator[None]:
    """`model` (PROVIDER:MODEL) and `tools` (names; None: all) hold inside; afterwards the
    agent has its own again. A model that cannot be built is said, and the turn uses the usual one."""
    provider, offered = agent.provider, agent.runner.offered
    if model is not None and model != agent.model_label and agent.provider_factory is not None:
        try:  # building a client may import its SDK: off the loop
            agent.provider = await asyncio.to_thread(agent.provider_factory, model)
        except ProviderConfigError as exc:
            agent.sink(Notice(f"{model} cannot be used ({exc}); this turn uses {agent.model_label}"))
    agent.runner.offered = tools
    try:
        yield
    finally:
        agent.provider, agent.runner.offered = provider, offered
