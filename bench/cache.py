"""How much of each request the prompt cache serves, over a 10-turn scripted session.

Runs the real agent (runtime.build_agent, the real SDK provider) against the fake server in its
cache mode (`FakeProvider(cache=True)`, tests/fakeserver/cache_model.py: Anthropic reads the
longest earlier cache entry ending near a breakpoint, OpenAI caches the longest common prefix in
128-token steps past 1024), once per wire protocol. Each turn reads a module, searches, edits it,
runs a command and answers; the accepted edit is committed (the subject is one more request).

Prints, per turn, the input tokens of the agent's requests and the share read from cache, the
share over turns 3-10 (target >= 90 %), with and without the commit-subject requests, and the
bytes of the system prompt plus tool schemas (target <= 10 kB).

    .venv/bin/python bench/cache.py [--turns 10] [--functions 12]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fakeserver

from hunk.agent.approval import PolicyApprover
from hunk.settings.config import Config
from hunk.agent.assemble import RunSpec, build_agent, make_provider
from tests.fakeserver import FakeProvider, Reply, ToolCall  # noqa: E402
from tests.fakeserver.script import Usage  # noqa: E402
from tests.gitrepo import make_repo  # noqa: E402

PROTOCOLS = {
    "anthropic": ("anthropic:claude-sonnet-4-5", "/v1/messages", lambda url: {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": "bench"}),
    "openai-responses": ("openai:gpt-5", "/responses", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "bench"}),
    "openai-chat": ("openai-chat:gpt-4.1", "/chat/completions", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "bench"}),
}


def module(n: int, functions: int = 12) -> str:
    """Plausible Python, about 250 bytes a function."""
    body = [f'"""Module {n}: helpers for part {n} of the pipeline."""\n\n']
    for i in range(functions):
        body.append(f"def step_{n}_{i}(value, factor={i + 1}):\n    \"\"\"Scale value for stage {i}.\"\"\"\n    return value * factor + {n}\n\n\n")
    return "".join(body)


def turn_script(t: int) -> list[Reply]:
    path = f"mod{t}.py"
    return [
        Reply(f"Let me look at {path} first.", tool_calls=[ToolCall("read_file", {"path": path}), ToolCall("search_files", {"pattern": f"step_{t}_1"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": path, "old_string": f"return value * factor + {t}\n\n\ndef step_{t}_1(", "new_string": f"return value * factor + {t} + 1\n\n\ndef step_{t}_1("})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": f"python3 -c 'import mod{t}; print(mod{t}.step_{t}_0(2))'"})]),
        Reply(f"Changed step_{t}_0 in {path}: it now adds one more. The command printed the new value."),
        Reply(f"Add one in step_{t}_0"),  # the commit subject
    ]


def share(usages: list[Usage]) -> tuple[int, int, float]:
    total = sum(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens for u in usages)
    read = sum(u.cache_read_tokens for u in usages)
    return total, read, (read / total if total else 0.0)


async def run_protocol(name: str, turns: int, root: Path) -> dict[str, object]:
    model, path, env_for = PROTOCOLS[name]
    with FakeProvider(cache=True) as fake:
        env = env_for(fake.url)
        config = Config(model=model)
        spec = RunSpec(root=root, config=config, mode="auto", env=env)
        provider = make_provider(config, env)
        agent = build_agent(spec, PolicyApprover(), lambda event: None, provider)
        per_turn: list[tuple[list[Usage], list[Usage]]] = []
        for t in range(1, turns + 1):
            fake.script(*turn_script(t))
            start = len(fake.requests)
            outcome = await agent.run_turn(f"In mod{t}.py make step_{t}_0 add one more, then run it to check.")
            assert outcome.status == "done" and outcome.commit, (name, t, outcome)
            served = fake.cache.served[start:]
            bodies = fake.requests[start:]
            loop = [u for (_, u), r in zip(served, bodies) if r.body.get("tools")]
            other = [u for (_, u), r in zip(served, bodies) if not r.body.get("tools")]
            per_turn.append((loop, other))
        first = fake.bodies(path)[0]
        # close the SDK's connection pool while the loop runs (AnthropicProvider has no aclose)
        close = getattr(provider, "aclose", None) or provider._client.close  # type: ignore[attr-defined]
        await close()
    head = {k: first.get(k) for k in ("tools", "system", "instructions") if first.get(k)}
    if name == "openai-chat":
        head["system"] = first["messages"][0]
    return {"per_turn": per_turn, "head_bytes": len(json.dumps(head, ensure_ascii=False).encode())}


def report(name: str, result: dict[str, object]) -> None:
    per_turn = result["per_turn"]
    assert isinstance(per_turn, list)
    print(f"\n{name}: system prompt + tool schemas = {result['head_bytes']:,} bytes (target <= {result.get('target', 10_240):,})")
    print(f"  {'turn':>4} {'requests':>8} {'input tok':>10} {'cache read':>10} {'written':>8} {'share':>7}")
    for t, (loop, _) in enumerate(per_turn, 1):
        total, read, ratio = share(loop)
        written = sum(u.cache_write_tokens for u in loop)
        print(f"  {t:>4} {len(loop):>8} {total:>10,} {read:>10,} {written:>8,} {ratio:>7.1%}")
    later = per_turn[2:]
    loop_all = [u for loop, _ in later for u in loop]
    with_commits = loop_all + [u for _, other in later for u in other]
    _, _, loop_ratio = share(loop_all)
    _, _, all_ratio = share(with_commits)
    print(f"  after turn 2: agent requests {loop_ratio:.1%} from cache (target >= 90 %); "
          f"with the commit-subject requests {all_ratio:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--functions", type=int, default=12, help="functions per module (12: read results of ~3 kB; 60: ~15 kB, old ones get trimmed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hunk-bench-cache-") as tmp:
        home = Path(tmp) / "home"
        os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home / ".state"))
        for name in PROTOCOLS:
            files = {f"mod{n}.py": module(n, args.functions) for n in range(1, args.turns + 1)}
            root = make_repo(Path(tmp) / name, files)
            report(name, asyncio.run(run_protocol(name, args.turns, root)))


if __name__ == "__main__":
    main()
