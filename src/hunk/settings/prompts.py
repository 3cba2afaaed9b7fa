"""Every word the model sees comes from `prompts/`; this module renders it.

Templates use `string.Template` (`$name`), so code samples need no brace escaping and a missing
variable raises instead of slipping through.
"""

from __future__ import annotations

from functools import cache
from string import Template
from typing import TYPE_CHECKING, Any

from hunk.settings.resources import data_dir

if TYPE_CHECKING:  # imported where used: git's error messages load this module before the first paint
    from hunk.values.conversation import ToolSpec


@cache
def _text(relative: str) -> str:
    return (data_dir("prompts") / relative).read_text(encoding="utf-8")


def render(name: str, **values: Any) -> str:
    """Render `prompts/<name>.md` with `values`."""
    return Template(_text(f"{name}.md")).substitute(values)


@cache
def _messages(group: str) -> dict[str, str]:
    import tomllib

    return tomllib.loads(_text(f"messages/{group}.toml"))


def message(key: str, **values: Any) -> str:
    """A short message for the model, `group.key` in `prompts/messages/<group>.toml`."""
    group, _, name = key.partition(".")
    return Template(_messages(group)[name]).substitute(values)


@cache
def tool_spec(name: str) -> ToolSpec:
    """A tool's description (`prompts/tools/<name>.md`) and schema (`prompts/tools/<name>.json`)."""
    import json

    from hunk.values.conversation import ToolSpec

    description = _text(f"tools/{name}.md").strip()
    parameters = json.loads(_text(f"tools/{name}.json"))
    return ToolSpec(name=name, description=description, parameters=parameters)
