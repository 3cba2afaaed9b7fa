"""todo_write through the real loop: the list is checked, kept, shown as events and journalled."""

from __future__ import annotations

import json
from pathlib import Path

from hunk.tools.function_tool import Arguments
from hunk.tools.todo import parse_todos, todo_write
from hunk.tools.base import ToolContext
from hunk.values.events import TodosUpdated, event_to_json
from hunk.values.todos import TodoItem
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import make_repo

STEPS = [
    {"content": "Read the parser", "status": "done"},
    {"content": "Add the  --plan flag", "status": "in_progress"},
    {"content": "Write the tests", "status": "pending"},
]


async def test_todo_write_updates_the_list_emits_an_event_and_journals_it(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "ask")
    h.fake.script(
        Reply(tool_calls=[ToolCall("todo_write", {"todos": STEPS})]),
        Reply(tool_calls=[ToolCall("todo_write", {"todos": [{"content": "x", "status": "started"}]})]),
        Reply(text="Done."),
    )

    await h.agent.run_turn("plan the work")

    items = (TodoItem("Read the parser", "done"), TodoItem("Add the --plan flag", "in_progress"), TodoItem("Write the tests"))
    assert h.of(TodosUpdated) == [TodosUpdated(items)]  # the bad second list changed nothing
    assert h.agent.runner.todos == items
    assert event_to_json(TodosUpdated(items), "s1") == {
        "type": "todo.updated", "session": "s1",
        "items": [
            {"content": "Read the parser", "status": "done"},
            {"content": "Add the --plan flag", "status": "in_progress"},
            {"content": "Write the tests", "status": "pending"},
        ],
    }
    second = json.dumps(h.fake.bodies("/v1/messages")[2]["messages"][-1])
    assert "status \\\"started\\\"" in second and "pending, in_progress, done" in second
    records = [json.loads(line) for line in h.agent.journal.path.read_text().splitlines()]
    assert [r["items"] for r in records if r["t"] == "todos"] == [event_to_json(TodosUpdated(items), "s")["items"]]


def test_parse_todos_refuses_what_is_not_a_checklist() -> None:
    for bad in ("do it", [{"content": ""}], [{"status": "done"}], [{"content": "a", "status": "later"}], [{"content": "a"}] * 51):
        try:
            parse_todos(bad)
        except Exception as refusal:  # noqa: BLE001 - ToolRefusal, whose message the model reads
            assert type(refusal).__name__ == "ToolRefusal" and refusal.args[0]
        else:
            raise AssertionError(f"accepted {bad!r}")
    assert parse_todos([]) == ()


async def test_todo_write_answers_with_the_list_as_the_user_sees_it(tmp_path: Path) -> None:
    output = await todo_write(Arguments({"todos": STEPS}), ToolContext(root=tmp_path))
    assert output.summary == "1/3 done" and not output.is_error
    assert "☑ Read the parser\n◐ Add the --plan flag\n☐ Write the tests" in output.content
