"""MCP tools inside the agent loop: the real SDKs against the fake provider (all three wire
protocols), a real MCP server over stdio, a real git repository, a scripted person."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from hunk.agent.approval import ChangeDecision, CommandApproval, CommandDecision
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.settings.config import load_config
from hunk.extensions.mcp import McpManager
from hunk.extensions.mcp.admin import add_server
from hunk.extensions.mcp.config import ServerConfig
from hunk.agent.assemble import RunSpec, build_agent
from hunk.extensions.mcp import mcp_servers
from hunk.tools.base import ToolContext
from hunk.journal.journal import SessionStore, read_records
from tests.agent.conftest import ScriptedApprover
from tests.extensions.mcp.conftest import SERVER, ManagerFactory, started, stdio_server
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.extensions.conftest import script
from tests.gitrepo import git, make_repo

PROTOCOLS = {
    "anthropic": ("anthropic:claude-haiku-4-5", "/v1/messages", lambda url: {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": "k"}),
    "openai-responses": ("openai:gpt-5", "/responses", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "k"}),
    "openai-chat": ("openai-chat:gpt-4.1", "/chat/completions", lambda url: {"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "k"}),
}


def make_agent(root: Path, fake: FakeProvider, manager: McpManager, mode: str, *, protocol: str = "anthropic", toml: str = "") -> tuple[Any, ScriptedApprover, list]:
    model, _, env_for = PROTOCOLS[protocol]
    env = {**os.environ, **env_for(fake.url)}
    if toml:
        user = Path(env["XDG_CONFIG_HOME"]) / "hunk" / "config.toml"
        user.parent.mkdir(parents=True, exist_ok=True)
        user.write_text(toml)
    config = load_config(root, env, {"model": model, "approval": mode})
    journal = SessionStore(Path(env["XDG_STATE_HOME"]) / "hunk", root).create()
    approver = ScriptedApprover()
    events: list = []
    spec = RunSpec(root=root, config=config, mode=mode, env=env, journal=journal, mcp=manager)  # type: ignore[arg-type]
    agent = build_agent(spec, approver, events.append)
    return agent, approver, events


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"README.md": "# demo\n"})


def tool_results(protocol: str, body: dict[str, Any]) -> list[str]:
    """The tool results a request carries, in that protocol's own shape."""
    if protocol == "anthropic":
        return [b["content"] for m in body["messages"] if isinstance(m["content"], list) for b in m["content"] if b["type"] == "tool_result"]
    if protocol == "openai-responses":
        return [i["output"] for i in body["input"] if i.get("type") == "function_call_output"]
    return [m["content"] for m in body["messages"] if m["role"] == "tool"]


def tool_names(protocol: str, body: dict[str, Any]) -> list[str]:
    if protocol == "openai-chat":
        return [t["function"]["name"] for t in body["tools"]]
    return [t["name"] for t in body["tools"]]


@pytest.mark.parametrize("transport", ["stdio", "http"])
@pytest.mark.parametrize("protocol", sorted(PROTOCOLS))
async def test_an_mcp_tool_call_round_trips_on_every_wire_protocol(
    protocol: str, transport: str, fake: FakeProvider, managers: ManagerFactory, repo: Path, request: pytest.FixtureRequest
) -> None:
    server = stdio_server("calc") if transport == "stdio" else ServerConfig("calc", url=request.getfixturevalue("http_url"))
    manager = await started(managers(server, root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "auto", protocol=protocol)
    fake.script(
        Reply(tool_calls=[ToolCall("mcp__calc__add", {"a": 2, "b": 3}), ToolCall("mcp__calc__picture", {})]),
        Reply("The sum is 5."),
    )
    outcome = await agent.run_turn("add 2 and 3")
    assert outcome.status == "done" and approver.asked == []
    first, second = fake.bodies(PROTOCOLS[protocol][1])
    assert "mcp__calc__add" in tool_names(protocol, first)
    add_spec = json.dumps(first["tools"])
    assert '"a"' in add_spec and '"integer"' in add_spec  # the server's own schema
    results = tool_results(protocol, second)
    assert results[0] == "5" and "[image: image/png, attached]" in results[1]
    assert "iVBORw0KGgo" in json.dumps(second)  # the image itself travels with the results


async def test_a_server_crashing_mid_call_is_a_tool_error_and_the_next_call_restarts_it(
    fake: FakeProvider, managers: ManagerFactory, repo: Path
) -> None:
    manager = await started(managers(stdio_server("calc"), root=repo))
    agent, _, _ = make_agent(repo, fake, manager, "auto")
    fake.script(
        Reply(tool_calls=[ToolCall("mcp__calc__crash", {})]),
        Reply(tool_calls=[ToolCall("mcp__calc__add", {"a": 1, "b": 2})]),
        Reply("Recovered."),
    )
    outcome = await agent.run_turn("crash it")
    assert outcome.status == "done"
    _, second, third = fake.bodies("/v1/messages")
    crashed = tool_results("anthropic", second)[0]
    assert "The MCP server calc is not available: calc stopped" in crashed and "about to crash" in crashed
    assert tool_results("anthropic", third)[-1] == "3" and manager.connections["calc"].starts == 2


async def test_the_journal_records_each_servers_states(tmp_path: Path, repo: Path) -> None:
    env = dict(os.environ)
    add_server("calc", root=repo, env=env, command=[sys.executable, SERVER], url=None, env_vars=[], headers=[])
    journal = SessionStore(tmp_path / "state", repo).create()
    manager = mcp_servers(repo, load_config(repo, env), env, journal)
    assert manager is not None
    try:
        await started(manager)
        crashed = await {t.name: t for t in manager.tools()}["mcp__calc__crash"].run({}, ToolContext(root=repo))
        assert crashed.is_error
    finally:
        await manager.aclose()
    records = [(r["name"], r["state"]) for r in read_records(journal.path) if r["t"] == "mcp.server"]
    assert records == [("calc", "ready"), ("calc", "crashed")]
    assert mcp_servers(tmp_path, load_config(None, {"HOME": str(tmp_path)}), {"HOME": str(tmp_path)}, None) is None


async def test_a_slow_server_hits_its_timeout_and_the_turn_goes_on(fake: FakeProvider, managers: ManagerFactory, repo: Path) -> None:
    manager = await started(managers(stdio_server("calc", timeout_s=0.5), root=repo))
    agent, _, events = make_agent(repo, fake, manager, "auto")
    fake.script(Reply(tool_calls=[ToolCall("mcp__calc__slow", {"seconds": 30})]), Reply("It was too slow."))
    outcome = await agent.run_turn("be slow")
    assert outcome.status == "done"
    result = tool_results("anthropic", fake.bodies("/v1/messages")[1])[0]
    assert result.startswith("The MCP tool mcp__calc__slow did not answer within 0.5 seconds")


async def test_a_file_an_mcp_tool_writes_is_reviewed_hunk_by_hunk_then_committed(
    fake: FakeProvider, managers: ManagerFactory, repo: Path
) -> None:
    manager = await started(managers(stdio_server("notes"), root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "ask")
    approver.answers = [CommandDecision(allow=True), lambda r: ChangeDecision((FileVerdict(r.files[0].path, (HunkVerdict(True),)),))]
    fake.script(
        Reply(tool_calls=[ToolCall("mcp__notes__write_note", {"path": "NOTES.md", "text": "remember the milk\n"})]),
        Reply("Wrote the note."),
        Reply("Add a note about milk"),  # the commit subject
    )
    outcome = await agent.run_turn("write a note")
    asked, review = approver.asked[0], approver.asked[1]
    assert isinstance(asked, CommandApproval) and asked.kind == "mcp"
    assert asked.command == 'mcp__notes__write_note {"path": "NOTES.md", "text": "remember the milk\\n"}'
    assert review.phase == "side_effects" and review.files[0].path == "NOTES.md"
    assert outcome.commit is not None
    assert git(repo, "show", "--stat", "--format=%s", "HEAD").splitlines()[0] == "Add a note about milk"
    assert git(repo, "show", "HEAD:NOTES.md") == "remember the milk\n"
    assert git(repo, "status", "--porcelain") == ""


async def test_a_rejected_mcp_write_is_rolled_back(fake: FakeProvider, managers: ManagerFactory, repo: Path) -> None:
    manager = await started(managers(stdio_server("notes"), root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "ask")
    approver.answers = [CommandDecision(allow=True), lambda r: ChangeDecision((FileVerdict(r.files[0].path, (HunkVerdict(False, "not now"),)),))]
    fake.script(Reply(tool_calls=[ToolCall("mcp__notes__write_note", {"path": "NOTES.md", "text": "x\n"})]), Reply("ok"))
    outcome = await agent.run_turn("write a note")
    assert outcome.commit is None and not (repo / "NOTES.md").exists()


async def test_deny_rules_stop_an_mcp_tool_without_asking_even_in_auto_mode(fake: FakeProvider, managers: ManagerFactory, repo: Path) -> None:
    manager = await started(managers(stdio_server("notes"), root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "auto", toml='[mcp]\ndeny = ["mcp__notes__write_*"]\n')
    fake.script(Reply(tool_calls=[ToolCall("mcp__notes__write_note", {"path": "X.md", "text": "x"})]), Reply("denied"))
    await agent.run_turn("write")
    result = tool_results("anthropic", fake.bodies("/v1/messages")[1])[0]
    assert result.startswith("This MCP tool call was not run: the deny rule 'mcp__notes__write_*' matches mcp__notes__write_note")
    assert not (repo / "X.md").exists() and approver.asked == []


async def test_ask_mode_asks_unless_allowed_and_remembers_always_for_the_session(fake: FakeProvider, managers: ManagerFactory, repo: Path) -> None:
    manager = await started(managers(stdio_server("calc"), root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "ask", toml='[mcp]\nallow = ["mcp__calc__echo"]\n')
    approver.answers = [CommandDecision(allow=False, note="not that"), CommandDecision(allow=True, remember=True)]
    fake.script(
        Reply(tool_calls=[ToolCall("mcp__calc__echo", {"text": "free"}), ToolCall("mcp__calc__add", {"a": 1, "b": 1})]),
        Reply(tool_calls=[ToolCall("mcp__calc__add", {"a": 2, "b": 2})]),
        Reply(tool_calls=[ToolCall("mcp__calc__add", {"a": 3, "b": 3})]),
        Reply("done"),
    )
    await agent.run_turn("add")
    bodies = fake.bodies("/v1/messages")
    assert tool_results("anthropic", bodies[1]) == ["free", "The user did not allow this MCP tool call. Their note: not that"]
    assert tool_results("anthropic", bodies[2])[-1] == "4" and tool_results("anthropic", bodies[3])[-1] == "6"
    assert [a.command.split()[0] for a in approver.asked] == ["mcp__calc__add", "mcp__calc__add"]  # the third was remembered


async def test_with_sixty_tools_the_model_loads_a_schema_then_calls_by_name(fake: FakeProvider, managers: ManagerFactory, repo: Path) -> None:
    manager = await started(managers(stdio_server("tracker", tools=60), root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "ask")
    approver.answers = [CommandDecision(allow=True)]
    fake.script(
        Reply(tool_calls=[ToolCall("mcp_load_tools", {"names": ["mcp__tracker__operation_42"]})]),
        Reply(tool_calls=[ToolCall("mcp_call", {"name": "mcp__tracker__operation_42", "arguments": {"item": "ABC-7"}})]),
        Reply("done"),
    )
    await agent.run_turn("run operation 42 on ABC-7")
    bodies = fake.bodies("/v1/messages")
    assert [t["name"] for t in bodies[0]["tools"]][-2:] == ["mcp_load_tools", "mcp_call"]
    assert bodies[0]["tools"] == bodies[2]["tools"]  # the tool list never changes: the cache keeps reading it
    head = json.dumps({"system": bodies[0]["system"], "tools": bodies[0]["tools"]}, ensure_ascii=False).encode()
    assert len(head) <= 13_500  # hunk's own tools (todo_write too) and the catalog; 60 schemas would be over 26 kB
    assert '"item"' in tool_results("anthropic", bodies[1])[0]
    assert tool_results("anthropic", bodies[2])[-1] == "tool 42: ABC-7 x1"
    assert approver.asked[0].command.startswith("mcp__tracker__operation_42 ")  # asked about the real tool


async def test_hooks_see_the_mcp_tool_a_deferred_call_names_and_may_block_it(
    fake: FakeProvider, managers: ManagerFactory, repo: Path, tmp_path: Path
) -> None:
    seen = tmp_path / "hook-input.json"
    hook = script(tmp_path, "guard.sh", f'cat > {seen}\necho "tracker writes wait for the release" >&2\nexit 2\n')
    toml = f'[[hooks.PreToolUse]]\nmatcher = "mcp__tracker__.*"\ncommand = "{hook}"\n'
    manager = await started(managers(stdio_server("tracker", tools=60), root=repo))
    agent, approver, _ = make_agent(repo, fake, manager, "auto", toml=toml)
    fake.script(
        Reply(tool_calls=[ToolCall("mcp_call", {"name": "mcp__tracker__operation_42", "arguments": {"item": "ABC-7"}})]),
        Reply("blocked"),
    )
    await agent.run_turn("run operation 42 on ABC-7")
    result = tool_results("anthropic", fake.bodies("/v1/messages")[1])[0]
    assert "did not run" in result and "tracker writes wait for the release" in result
    told = json.loads(seen.read_text())
    assert (told["tool_name"], told["tool_input"]) == ("mcp__tracker__operation_42", {"item": "ABC-7"})
