"""hunk's own time per agent step: a 50-step scripted session against the fake provider server
(loopback, zero latency) through the real Anthropic SDK, each step one read_file call.

Prints the median wall time per step, and the median time spent outside the provider's stream
(the loop, dispatch, the tool, the journal, events) — the part hunk itself adds.
Target: <= 10 ms per step. Run: python bench/agent_overhead.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hunk.agent.approval import PolicyApprover
from hunk.settings.config import load_config
from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from tests.fakeserver import FakeProvider, Reply, ToolCall  # noqa: E402
from tests.gitrepo import make_repo  # noqa: E402

STEPS = 50


class TimedProvider:
    """Wraps a provider and records the time spent waiting on its stream."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.provider_name = inner.provider_name
        self.model = inner.model
        self.in_stream = 0.0

    async def stream(self, request):  # type: ignore[no-untyped-def]
        iterator = self.inner.stream(request).__aiter__()
        while True:
            start = time.perf_counter()
            try:
                event = await iterator.__anext__()
            except StopAsyncIteration:
                self.in_stream += time.perf_counter() - start
                return
            self.in_stream += time.perf_counter() - start
            yield event


async def run(root: Path, fake: FakeProvider, state: Path) -> tuple[list[float], list[float]]:
    env = {"HOME": str(state), "ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "bench"}
    config = load_config(root, env, {"model": "anthropic:claude-haiku-4-5", "approval": "auto", "max_turns": STEPS + 5})
    spec = RunSpec(root=root, config=config, mode="auto", env=env, journal=SessionStore(state, root).create())
    step_times: list[float] = []
    own_times: list[float] = []
    marks: list[tuple[float, float]] = []
    agent = build_agent(spec, PolicyApprover(), lambda event: None)
    timed = TimedProvider(agent.provider)
    agent.provider = timed

    original = timed.stream

    async def marking(request):  # type: ignore[no-untyped-def]
        marks.append((time.perf_counter(), timed.in_stream))
        async for event in original(request):
            yield event

    timed.stream = marking  # type: ignore[method-assign]
    await agent.run_turn("read the file many times")
    for (t0, s0), (t1, s1) in zip(marks, marks[1:]):
        step_times.append(t1 - t0)
        own_times.append((t1 - t0) - (s1 - s0))
    return step_times, own_times


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_repo(Path(tmp) / "repo", {f"src/mod{i}.py": f"x = {i}\n" * 40 for i in range(20)})
        with FakeProvider() as fake:
            fake.script(*[Reply(tool_calls=[ToolCall("read_file", {"path": f"src/mod{i % 20}.py", "offset": 1 + i % 7})]) for i in range(STEPS)])
            fake.script(Reply(text="done"))
            steps, own = asyncio.run(run(root, fake, Path(tmp) / "state"))
    print(f"{len(steps)} steps: median {statistics.median(steps) * 1000:.1f} ms per step in all "
          f"(SDK + loopback server included); hunk's own time outside the stream: "
          f"median {statistics.median(own) * 1000:.1f} ms, p90 {sorted(own)[int(len(own) * 0.9)] * 1000:.1f} ms")


if __name__ == "__main__":
    main()
