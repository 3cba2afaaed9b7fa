"""Plan mode through the real agent loop: what the model is offered, what the dispatcher refuses,
and what each answer to the plan does next."""

from __future__ import annotations

from pathlib import Path

from hunk.agent.approval import PlanDecision, PlanReview
from hunk.values.events import PlanDecided, PlanProposed
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo

APP = "def greet(name):\n    return 'Hello, ' + name\n"
PLAN = "# Plan\n\n1. Rename greet to welcome.\n"


def tools_offered(body: dict) -> list[str]:
    return [tool["name"] for tool in body["tools"]]


def all_text(body: dict) -> str:
    out = []
    for message in body["messages"]:
        content = message["content"]
        for block in [content] if isinstance(content, str) else content:
            if isinstance(block, str):
                out.append(block)
            elif block.get("type") == "text":
                out.append(block["text"])
            elif block.get("type") == "tool_result":
                inner = block["content"]
                out.append(inner if isinstance(inner, str) else "".join(c.get("text", "") for c in inner))
    return "\n".join(out)


async def test_plan_mode_offers_no_write_tools_and_refuses_a_write_the_model_calls_anyway(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    h = harness(root, "plan")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "greet", "new_string": "welcome"})]),
        Reply(text=PLAN),
    )
    h.approver.answers.append(PlanDecision("keep", PLAN))

    outcome = await h.agent.run_turn("rename greet")

    assert outcome.status == "done" and outcome.commit is None
    assert (root / "app.py").read_text() == APP and git(root, "status", "--porcelain") == ""
    first = h.fake.bodies("/v1/messages")[0]
    assert tools_offered(first) == ["read_file", "list_files", "search_files", "run_command", "todo_write"]
    assert "You are in plan mode" in all_text(first)
    assert "plan mode, where nothing may be changed" in all_text(h.fake.bodies("/v1/messages")[2])
    assert [r for r in h.approver.asked if isinstance(r, PlanReview)] == [PlanReview(PLAN.strip())]
    assert h.of(PlanProposed) == [PlanProposed(PLAN.strip())]


async def test_an_approved_plan_is_implemented_in_the_same_session_in_the_mode_before_plan(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    h = harness(root, "auto")
    h.agent.mode = "plan"
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(text=PLAN),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "app.py", "old_string": "greet", "new_string": "welcome"})]),
        Reply(text="Done."),
        Reply(text="Rename greet to welcome"),  # the commit subject
    )
    edited = PLAN + "2. Keep the docstring.\n"
    h.approver.answers.append(PlanDecision("implement", edited))

    outcome = await h.agent.run_turn("rename greet")

    assert outcome.status == "done" and outcome.commit
    assert h.agent.mode == "auto"
    assert (root / "app.py").read_text() == APP.replace("greet", "welcome")
    implement = h.fake.bodies("/v1/messages")[2]
    assert "Keep the docstring" in all_text(implement)  # the person's edit reached the model
    assert "Rename greet to welcome." in all_text(implement)  # and the planning turn is still there
    assert "edit_file" in tools_offered(implement)
    assert h.of(PlanDecided) == [PlanDecided("implement", None, "auto")]


async def test_implementing_in_a_fresh_context_sends_only_the_plan(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    h = harness(root, "plan")
    h.fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "app.py"})]),
        Reply(text=PLAN),
        Reply(text="Nothing to do after all."),
    )
    h.approver.answers.append(PlanDecision("implement_fresh", PLAN))

    await h.agent.run_turn("rename greet")

    implement = h.fake.bodies("/v1/messages")[2]
    assert len(implement["messages"]) == 1
    text = all_text(implement)
    assert "Rename greet to welcome." in text and "rename greet" not in text and "def greet" not in text
    assert h.agent.mode == "ask"


async def test_a_rejected_plan_with_a_note_comes_back_revised_and_without_a_note_ends_the_turn(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": APP})
    h = harness(root, "plan")
    h.fake.script(Reply(text=PLAN), Reply(text=PLAN + "2. Update the README too.\n"))
    h.approver.answers.append(PlanDecision("reject", PLAN, "also the README"))
    h.approver.answers.append(PlanDecision("reject", PLAN))

    outcome = await h.agent.run_turn("rename greet")

    assert outcome.status == "done" and h.agent.mode == "plan"
    revise = all_text(h.fake.bodies("/v1/messages")[1])
    assert "rejected your plan" in revise and "also the README" in revise
    assert len([r for r in h.approver.asked if isinstance(r, PlanReview)]) == 2
    assert h.fake.pending == 0


def command_outputs(h) -> list[str]:  # type: ignore[no-untyped-def]
    from hunk.values.events import ToolCallFinished

    return [e.output for e in h.of(ToolCallFinished) if e.name == "run_command"]


async def test_without_a_sandbox_plan_mode_runs_only_read_only_commands(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": "b\na\na\n"})
    h = harness(root, "plan")
    h.agent.runner.plan_sandbox = None  # a machine without one
    h.fake.script(
        Reply(tool_calls=[
            ToolCall("run_command", {"command": "touch made.txt"}),
            ToolCall("run_command", {"command": "sed -n 'w out.txt' notes.txt"}),  # no -i, yet it writes
            ToolCall("run_command", {"command": "sed -n '2p' notes.txt"}),
        ]),
        Reply(text=PLAN),
    )
    h.approver.answers.append(PlanDecision("keep", PLAN))

    await h.agent.run_turn("look")

    touch, sed_w, sed_p = command_outputs(h)
    assert 'this one is in the "writes" class' in touch
    assert 'this one is in the "writes" class' in sed_w
    assert sed_p.startswith("a\n") and "exit code 0" in sed_p
    assert not (root / "made.txt").exists() and not (root / "out.txt").exists()
    assert h.approver.commands() == []  # plan mode never asks


async def test_without_a_sandbox_plan_mode_puts_back_what_a_misjudged_command_wrote(harness, tmp_path: Path, monkeypatch) -> None:
    """The net under the rules: should they call a writing command read-only, what it changed
    in the working tree is put back and the model told."""
    import hunk.policy.danger

    monkeypatch.setattr(hunk.policy.danger, "sed_only_reads", lambda args: True)  # a rule with a hole
    root = make_repo(tmp_path / "repo", {"notes.txt": "b\na\na\n"})
    h = harness(root, "plan")
    h.agent.runner.plan_sandbox = None
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "sed -n 'w out.txt' notes.txt"})]),
        Reply(text=PLAN),
    )
    h.approver.answers.append(PlanDecision("keep", PLAN))

    await h.agent.run_turn("look")

    (sed,) = command_outputs(h)
    assert "changed out.txt, and hunk put them back" in sed
    assert not (root / "out.txt").exists() and git(root, "status", "--porcelain") == ""


async def test_with_the_read_only_sandbox_plan_mode_commands_run_but_cannot_write(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": "b\na\na\n"})
    h = harness(root, "plan")
    sandbox = h.agent.runner.plan_sandbox
    assert sandbox is not None and sandbox.mode == "read-only"
    assert sandbox.active, "bubblewrap is installed on this machine"
    h.fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "sort notes.txt > sorted.txt; echo status $?"}), ToolCall("run_command", {"command": "curl -s example.com"})]),
        Reply(text=PLAN),
    )
    h.approver.answers.append(PlanDecision("keep", PLAN))

    await h.agent.run_turn("look")

    wrote, network = command_outputs(h)
    assert "Read-only file system" in wrote and "status 1" in wrote
    assert 'this one is in the "network" class' in network
    assert not (root / "sorted.txt").exists() and git(root, "status", "--porcelain") == ""


async def test_without_a_sandbox_a_read_only_program_made_to_run_a_command_is_refused(harness, tmp_path: Path) -> None:
    """`git -c core.fsmonitor=CMD status` runs CMD: plan mode without a sandbox must not run it,
    nor `git log --output=FILE`; a careless model tries both."""
    root = make_repo(tmp_path / "repo", {"notes.txt": "b\na\na\n"})
    h = harness(root, "plan")
    h.agent.runner.plan_sandbox = None  # a machine without one
    escaped = tmp_path / "escaped"
    h.fake.script(
        Reply(tool_calls=[
            ToolCall("run_command", {"command": f"git -c core.fsmonitor='touch {escaped}' status"}),
            ToolCall("run_command", {"command": f"git log --output={tmp_path / 'log.txt'}"}),
        ]),
        Reply(text=PLAN),
    )
    h.approver.answers.append(PlanDecision("keep", PLAN))

    await h.agent.run_turn("look")

    fsmonitor, output = command_outputs(h)
    assert 'this one is in the "writes" class' in fsmonitor and 'this one is in the "writes" class' in output
    assert not escaped.exists() and not (tmp_path / "log.txt").exists()
    assert git(root, "status", "--porcelain") == ""
