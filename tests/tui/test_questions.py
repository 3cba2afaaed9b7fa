"""The command and commit screens answer with typed decisions."""

from __future__ import annotations

from pathlib import Path

from hunk.agent.approval import CommandApproval, CommandDecision, CommitApproval, CommitDecision
from hunk.tui.screens.command import CommandScreen
from hunk.tui.screens.commit import CommitScreen
from hunk.values.conversation import Part
from tests.tui.fakes import FakeAgent, make_app, send, settle

COMMAND = CommandApproval(command="rm -rf build", cwd="/repo", danger="destructive", reason="no allow rule matches")
COMMIT = CommitApproval(message="Add a greeting\n\nsrc/app.py\n", files=("src/app.py",), diffstat=" src/app.py | 2 +-")


def asking(*requests):
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        for request in requests:
            await agent.ask(request)

    return script


async def test_command_screen_allow_once_then_always_then_reject_with_a_note(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking(COMMAND, COMMAND, COMMAND))
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "clean up")
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommandScreen)
        await pilot.press("y")
        await pilot.pause(0.1)
        await pilot.press("a")
        await pilot.pause(0.1)
        await pilot.press("c", *"use make clean", "enter")
        await settle(pilot, app)
    assert built[0].decisions == [
        CommandDecision(allow=True),
        CommandDecision(allow=True, remember=True),
        CommandDecision(allow=False, note="use make clean"),
    ]


async def test_command_screen_offers_the_sandbox_choices(tmp_path: Path) -> None:
    sandboxed = CommandApproval(command="curl https://example.com", cwd="/repo", danger="network", sandboxed=True)
    denied = CommandApproval(command="cp x ..", cwd="/repo", danger="writes", reason="Read-only file system",
                             sandboxed=True, denied="write")
    app, built = make_app(tmp_path, asking(sandboxed, sandboxed, denied))
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "fetch")
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommandScreen)
        await pilot.press("w")
        await pilot.pause(0.1)
        await pilot.press("o")
        await pilot.pause(0.1)
        assert "refused a write" in str(app.screen.query_one("#title").render())
        await pilot.press("y", "w")  # neither is offered after a refused write
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommandScreen)
        await pilot.press("o")
        await settle(pilot, app)
    assert built[0].decisions == [
        CommandDecision(allow=True, allow_network=True),
        CommandDecision(allow=True, outside_sandbox=True),
        CommandDecision(allow=True, outside_sandbox=True),
    ]


async def test_commit_screen_commits_the_edited_message(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking(COMMIT))
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "greet")
        await pilot.pause(0.1)
        assert isinstance(app.screen, CommitScreen)
        await pilot.press("ctrl+a")
        app.screen.query_one("#message").load_text("Greet the user politely\n\nsrc/app.py")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    assert built[0].decisions == [CommitDecision(commit=True, message="Greet the user politely\n\nsrc/app.py\n")]


async def test_commit_screen_escape_skips_the_commit(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking(COMMIT))
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "greet")
        await pilot.pause(0.1)
        await pilot.press("escape")
        await settle(pilot, app)
    assert built[0].decisions == [CommitDecision(commit=False, message=COMMIT.message)]


async def test_entangled_screen_commits_whole_on_y_and_leaves_on_n(tmp_path: Path) -> None:
    from hunk.agent.approval import EntangledChange, EntangledDecision
    from hunk.tui.screens.entangled import EntangledScreen

    tangled = EntangledChange(("src/app.py",))
    app, built = make_app(tmp_path, asking(tangled, tangled))
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "edit")
        await pilot.pause(0.1)
        assert isinstance(app.screen, EntangledScreen)
        assert "src/app.py" in str(app.screen.query_one("#command").render())
        await pilot.press("y")
        await pilot.pause(0.1)
        await pilot.press("n")
        await settle(pilot, app)
    assert built[0].decisions == [EntangledDecision(commit_whole=True), EntangledDecision(commit_whole=False)]
