"""hunk's MCP client against real servers written with the SDK: stdio and streamable HTTP."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hunk.extensions.mcp.config import ServerConfig
from hunk.extensions.mcp.tools import McpTool
from hunk.tools.base import ToolContext
from hunk.values.conversation import TextPart
from tests.extensions.mcp.conftest import SERVER, ManagerFactory, started, stdio_server


def by_name(tools: list[McpTool]) -> dict[str, McpTool]:
    return {tool.name: tool for tool in tools}


async def test_a_stdio_servers_tools_reach_hunk_with_their_schemas_and_results(managers: ManagerFactory, tmp_path: Path) -> None:
    manager = await started(managers(stdio_server("calc")))
    [status] = manager.statuses()
    assert status.state == "ready" and status.transport == "stdio" and "add" in status.tools
    tools = by_name(manager.tools())
    add = tools["mcp__calc__add"]
    assert add.spec.description == "Add two numbers."
    assert add.spec.parameters["required"] == ["a", "b"] and add.spec.parameters["properties"]["a"]["type"] == "integer"
    ctx = ToolContext(root=tmp_path)
    out = await add.run({"a": 2, "b": 3}, ctx)
    assert (out.content, out.is_error) == ("5", False)
    picture = await tools["mcp__calc__picture"].run({}, ctx)
    assert picture.images and picture.images[0].media_type == "image/png" and "[image: image/png" in picture.content
    link = await tools["mcp__calc__link"].run({}, ctx)
    assert "note://readme" in link.content and "@calc:note://readme" in link.content


async def test_an_error_result_is_a_tool_error(managers: ManagerFactory, tmp_path: Path) -> None:
    manager = await started(managers(stdio_server("calc")))
    out = await by_name(manager.tools())["mcp__calc__fail"].run({"reason": "x"}, ToolContext(root=tmp_path))
    assert out.is_error and "fail" in out.content


async def test_a_slow_call_hits_the_servers_timeout_and_the_server_stays_usable(managers: ManagerFactory, tmp_path: Path) -> None:
    manager = await started(managers(stdio_server("calc", timeout_s=0.5)))
    tools = by_name(manager.tools())
    slow = await tools["mcp__calc__slow"].run({"seconds": 30}, ToolContext(root=tmp_path))
    assert slow.is_error and slow.summary == "timed out" and "did not answer within 0.5 seconds" in slow.content
    after = await tools["mcp__calc__add"].run({"a": 1, "b": 1}, ToolContext(root=tmp_path))
    assert after.content == "2" and manager.connections["calc"].starts == 1


async def test_a_server_that_crashes_mid_call_is_a_tool_error_then_restarts_on_next_use(
    managers: ManagerFactory, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    manager = await started(managers(stdio_server("calc")))
    tools = by_name(manager.tools())
    crashed = await tools["mcp__calc__crash"].run({}, ToolContext(root=tmp_path))
    assert crashed.is_error and crashed.summary == "server down"
    assert "calc stopped" in crashed.content and "about to crash" in crashed.content  # its last stderr words
    status = manager.status("calc")
    assert status.state == "crashed" and "about to crash" in (status.last_error or "")
    assert "mcp__calc__add" in by_name(manager.tools())  # still offered: the next call restarts it
    again = await tools["mcp__calc__add"].run({"a": 20, "b": 22}, ToolContext(root=tmp_path))
    assert again.content == "42" and manager.connections["calc"].starts == 2
    assert manager.status("calc").state == "ready"
    out, err = capfd.readouterr()
    assert "about to crash" not in out + err and "add called" not in out + err  # server stderr never reaches the screen
    log = manager.connections["calc"].log_path.read_text()
    assert "about to crash" in log and "add called with 20 and 22" in log


async def test_a_server_that_cannot_start_says_why(managers: ManagerFactory) -> None:
    manager = await started(managers(ServerConfig("nope", command="/no/such/mcp-server")))
    status = manager.status("nope")
    assert status.state == "failed" and "nope could not start" in (status.last_error or "")
    assert manager.tools() == []


async def test_http_server_round_trip_and_timeout(managers: ManagerFactory, http_url: str, tmp_path: Path) -> None:
    manager = await started(managers(ServerConfig("web", url=http_url, headers={"X-Test": "1"}, timeout_s=0.5)))
    assert manager.status("web").transport == "http" and manager.status("web").state == "ready"
    tools = by_name(manager.tools())
    ctx = ToolContext(root=tmp_path)
    assert (await tools["mcp__web__add"].run({"a": 1, "b": 2}, ctx)).content == "3"
    slow = await tools["mcp__web__slow"].run({"seconds": 30}, ctx)
    assert slow.is_error and slow.summary == "timed out"
    assert (await tools["mcp__web__echo"].run({"text": "still here"}, ctx)).content == "still here"


async def test_resources_attach_and_prompts_become_commands(managers: ManagerFactory) -> None:
    manager = await started(managers(stdio_server("notes")))
    parts = await manager.resource("notes", "note://readme")
    assert isinstance(parts[0], TextPart) and "The readme says hello." in parts[0].text
    assert manager.prompts() == {"mcp__notes__review": ("notes", "review")}
    assert await manager.prompt("mcp__notes__review", {"path": "app.py"}) == "Please review app.py carefully."


async def test_past_the_threshold_the_model_gets_names_and_loads_schemas_on_request(managers: ManagerFactory, tmp_path: Path) -> None:
    manager = await started(managers(stdio_server("tracker", tools=60)))
    assert len(manager.tools()) == 69
    load, call = manager.offered_tools()
    assert (load.name, call.name) == ("mcp_load_tools", "mcp_call")
    assert "\n[tracker]\nadd: Add two numbers\n" in load.spec.description
    assert "\noperation_07: Run operation number 7 on an item of the\n" in load.spec.description
    assert '"count"' not in load.spec.description + json.dumps(load.spec.parameters)  # no schema until asked
    ctx = ToolContext(root=tmp_path)
    loaded = await load.run({"names": ["mcp__tracker__operation_07"]}, ctx)
    assert '"name": "mcp__tracker__operation_07"' in loaded.content and '"item"' in loaded.content
    out = await call.run({"name": "mcp__tracker__operation_07", "arguments": {"item": "ABC-1", "count": 2}}, ctx)
    assert out.content == "tool 7: ABC-1 x2"
    unknown = await call.run({"name": "mcp__tracker__nope", "arguments": {}}, ctx)
    assert unknown.is_error and "no MCP tool named mcp__tracker__nope" in unknown.content


async def test_a_stdio_server_gets_its_entrys_env_but_never_hunks_keys(
    managers: ManagerFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-held-by-hunk")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-held-by-hunk")
    seen = tmp_path / "server-env.json"
    code = (
        f"import json, os, runpy, sys; open({str(seen)!r}, 'w').write(json.dumps(dict(os.environ))); "
        f"sys.argv = [{SERVER!r}, '--name', 'calc']; runpy.run_path({SERVER!r}, run_name='__main__')"
    )
    server = ServerConfig("calc", command=sys.executable, args=("-c", code), env={"CALC_MODE": "exact"})
    manager = await started(managers(server))
    assert manager.status("calc").state == "ready"
    env = json.loads(seen.read_text())
    assert env["CALC_MODE"] == "exact" and "PATH" in env
    assert not {"ANTHROPIC_API_KEY", "OPENAI_API_KEY"} & set(env)
