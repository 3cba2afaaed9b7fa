"""The registry: seven tools in a fixed order, each fully described from prompts/, and every
message key the tools use exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from hunk.settings.resources import data_dir
from hunk.tools import TOOL_ORDER, all_tools, tool_specs
from hunk.tools.matching import WAYS

_SOURCES = Path(__file__).resolve().parents[2] / "src" / "hunk"


def test_seven_tools_in_the_contract_order() -> None:
    assert TOOL_ORDER == ("read_file", "list_files", "search_files", "write_file", "edit_file", "run_command", "todo_write")
    assert list(all_tools()) == list(TOOL_ORDER)
    assert [spec.name for spec in tool_specs()] == list(TOOL_ORDER)
    assert {tool.kind for tool in all_tools().values()} == {"read", "write", "command"}
    assert all_tools()["run_command"].kind == "command"


def test_tool_specs_are_identical_across_calls() -> None:
    assert tool_specs() == tool_specs()


def test_every_property_is_described_and_required_ones_exist() -> None:
    arguments = {
        "read_file": {"path", "offset", "limit"},
        "list_files": {"pattern", "path"},
        "search_files": {"pattern", "path", "glob", "ignore_case"},
        "write_file": {"path", "content"},
        "edit_file": {"path", "old_string", "new_string", "replace_all"},
        "run_command": {"command", "timeout_s"},
        "todo_write": {"todos"},
    }
    for spec in tool_specs():
        properties = spec.parameters["properties"]
        assert set(properties) == arguments[spec.name]
        assert all(prop.get("description") for prop in properties.values()), spec.name
        assert set(spec.parameters.get("required", [])) <= set(properties)
        assert spec.description and "$" not in spec.description


def test_every_message_key_used_by_the_tools_exists() -> None:
    messages = tomllib.loads((data_dir("prompts") / "messages" / "tools.toml").read_text(encoding="utf-8"))
    used: set[str] = set()
    for source in [*(_SOURCES / "tools").glob("*.py"), _SOURCES / "workspace" / "paths.py"]:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'message\(f?"tools\.([a-z_]+)"', text))
        used |= set(re.findall(r'refuse\("([a-z_]+)"', text))
        used |= set(re.findall(r'EditProblem\("([a-z_]+)"', text))
    used |= {f"way_{way}" for way in WAYS}
    assert used, "the scan found no message keys"
    assert used - set(messages) == set()


async def test_an_os_error_inside_a_tool_becomes_an_error_result(tmp_path: Path) -> None:
    from hunk.tools.base import ToolContext

    gone = ToolContext(root=tmp_path / "vanished")
    out = await all_tools()["run_command"].run({"command": "true"}, gone)
    assert out.is_error and out.content.startswith("run_command failed:")
