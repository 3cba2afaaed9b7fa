"""The command and commit screens answer with typed decisions."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button

from hunk.agent.approval import CommandApproval, CommandDecision, CommitApproval, CommitDecision, PlanReview
from hunk.tui.screens.command import CommandScreen
from hunk.tui.screens.commit import CommitScreen
from hunk.tui.screens.plan import PlanScreen
from hunk.tui.widgets.button_row import ButtonRow
from hunk.tui.widgets.key_bar import KeyBar
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



def choices_on_screen(screen, width: int, keys: tuple[str, ...]) -> list[Button]:  # type: ignore[no-untyped-def]
    """The buttons shown, after checking that the key bar lists every key and that no button
    reaches past the screen's edge."""
    bar = str(screen.query_one(KeyBar).render())
    assert all(key in bar for key in keys), (width, bar)
    buttons = [b for b in screen.query(Button) if b.display and b.parent.display]
    assert all(b.region.right <= width for b in buttons), (width, [b.region for b in buttons])
    return buttons


async def test_every_choice_of_the_command_question_is_on_screen_at_any_width(tmp_path: Path) -> None:
    """At 80 columns the fifth button (Reject) was off the edge and the footer lost 'c note',
    'o outside the sandbox once' and 'w network this session': the key bar now lists every
    choice, and buttons show only when all of them fit."""
    sandboxed = CommandApproval(command="rm -rf build", cwd="/repo", danger="destructive", sandboxed=True)
    keys = ("y allow once", "a always this session", "n reject", "c note", "o outside the sandbox once", "w network this session")
    for width, height in ((60, 20), (80, 24), (120, 40), (200, 60)):
        app, _ = make_app(tmp_path, asking(sandboxed))
        async with app.run_test(size=(width, height)) as pilot:
            await send(pilot, "clean up")
            await pilot.pause(0.2)
            assert isinstance(app.screen, CommandScreen)
            buttons = choices_on_screen(app.screen, width, keys)
            assert (len(buttons) == 5) == (width >= 125), width  # all five, or none
            if buttons:  # the row's reckoning is the layout's
                assert app.screen.query_one(ButtonRow).needed() == buttons[-1].region.right + 2 + 1
            else:  # Enter pressed the hidden button that had the focus ("always this session")
                assert not isinstance(app.focused, Button), (width, app.focused)
            await pilot.press("n")
            await settle(pilot, app)


async def test_every_choice_of_the_plan_is_on_screen_at_any_width(tmp_path: Path) -> None:
    """At 60 columns the plan's Reject button was off the edge, and the footer lost the note
    and keep keys."""
    keys = ("y implement", "f fresh context", "e edit in $EDITOR", "n reject", "c note", "esc keep, decide later")
    for width, height in ((60, 20), (80, 24), (200, 60)):
        app, _ = make_app(tmp_path, asking(PlanReview("1. Find the callers.\n2. Rename them.\n")))
        async with app.run_test(size=(width, height)) as pilot:
            await send(pilot, "plan it")
            await pilot.pause(0.2)
            assert isinstance(app.screen, PlanScreen)
            assert (len(choices_on_screen(app.screen, width, keys)) == 4) == (width >= 80), width
            await pilot.press("escape")
            await settle(pilot, app)
