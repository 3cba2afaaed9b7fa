"""Prompt size and prefix caching with 60 MCP tools configured.

Starts the SDK test server (tests/extensions/mcp/server.py) with 60 tools over stdio, then runs
the real agent against the fake server's cache model (see bench/cache.py), once per wire
protocol, for 10 turns. Each turn loads one MCP tool's schema (mcp_load_tools), calls it
(mcp_call), then reads, searches, edits a module and runs a command as bench/cache.py does.

Prints the bytes of the system prompt plus tool schemas (target <= 12 kB with 60 MCP tools; the
same without MCP for comparison, and what sending all 60 schemas would cost), and the share of
input tokens read from cache after turn 2 (target >= 90 %).

    .venv/bin/python bench/mcp_cache.py [--turns 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.* and bench.*

from bench.cache import PROTOCOLS, module, report, turn_script  # noqa: E402
from hunk.agent.approval import PolicyApprover
from hunk.settings.config import Config
from hunk.extensions.mcp import McpManager  # noqa: E402
from hunk.extensions.mcp.config import ServerConfig  # noqa: E402
from hunk.agent.assemble import RunSpec, build_agent, make_provider
from tests.fakeserver import FakeProvider, Reply, ToolCall  # noqa: E402
from tests.gitrepo import make_repo  # noqa: E402

SERVER = Path(__file__).resolve().parents[1] / "tests" / "extensions" / "mcp" / "server.py"
EXTRA = 51  # the test server's 9 own tools + 51 = 60 MCP tools


def mcp_turn(t: int) -> list[Reply]:
    name = f"mcp__tracker__operation_{t:02d}"
    return [
        Reply(tool_calls=[ToolCall("mcp_load_tools", {"names": [name]})]),
        Reply(tool_calls=[ToolCall("mcp_call", {"name": name, "arguments": {"item": f"ABC-{t}"}})]),
        *turn_script(t),
    ]


def head_bytes(name: str, body: dict) -> int:
    head = {k: body.get(k) for k in ("tools", "system", "instructions") if body.get(k)}
    if name == "openai-chat":
        head["system"] = body["messages"][0]
    return len(json.dumps(head, ensure_ascii=False).encode())


async def run_protocol(name: str, turns: int, root: Path) -> dict[str, object]:
    model, path, env_for = PROTOCOLS[name]
    server = ServerConfig("tracker", command=sys.executable, args=(str(SERVER), "--name", "tracker", "--tools", str(EXTRA)))
    manager = McpManager([server], root=root, config=Config(), env=dict(os.environ))
    manager.start_background()
    await manager.wait_started()
    assert len(manager.tools()) == 60, manager.statuses()
    all_schemas = sum(len(json.dumps(t.spec.__dict__, ensure_ascii=False).encode()) for t in manager.tools())
    try:
        with FakeProvider(cache=True) as fake:
            env = env_for(fake.url)
            config = Config(model=model)
            provider = make_provider(config, env)
            agent = build_agent(RunSpec(root=root, config=config, mode="auto", env=env, mcp=manager), PolicyApprover(), lambda e: None, provider)
            per_turn = []
            for t in range(1, turns + 1):
                fake.script(*mcp_turn(t))
                start = len(fake.requests)
                outcome = await agent.run_turn(f"Run operation {t} on ABC-{t}, then make step_{t}_0 in mod{t}.py add one more.")
                assert outcome.status == "done" and outcome.commit, (name, t, outcome)
                served, bodies = fake.cache.served[start:], fake.requests[start:]
                per_turn.append((
                    [u for (_, u), r in zip(served, bodies) if r.body.get("tools")],
                    [u for (_, u), r in zip(served, bodies) if not r.body.get("tools")],
                ))
            first = fake.bodies(path)[0]
            close = getattr(provider, "aclose", None) or provider._client.close  # type: ignore[attr-defined]
            await close()
    finally:
        await manager.aclose()
    return {"per_turn": per_turn, "head_bytes": head_bytes(name, first), "all_schemas": all_schemas, "target": 12_288}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hunk-bench-mcp-") as tmp:
        home = Path(tmp) / "home"
        os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / ".state"))
        for name in PROTOCOLS:
            root = make_repo(Path(tmp) / name, {f"mod{n}.py": module(n) for n in range(1, args.turns + 1)})
            result = asyncio.run(run_protocol(name, args.turns, root))
            report(name + " with 60 MCP tools", result)
            print(f"  (the 60 MCP tools' full schemas alone would be {result['all_schemas']:,} bytes in every request)")


if __name__ == "__main__":
    main()
