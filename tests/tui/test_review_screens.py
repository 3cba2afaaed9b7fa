"""The change (ask) and review (end of turn) screens turn keys into the exact ChangeDecision."""

from __future__ import annotations

import sys
from pathlib import Path

from hunk.agent.approval import ChangeDecision
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.tui.screens.change import ChangeScreen
from hunk.tui.screens.edit_again import EditAgainScreen
from hunk.tui.screens.review import ReviewScreen
from hunk.values.conversation import Part
from tests.tui.fakes import FakeAgent, make_app, send, settle, two_file_review


def asking(phase: str = "before_write"):
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        await agent.ask(two_file_review(phase))

    return script


async def test_ask_mode_per_hunk_keys_and_note_give_the_exact_decision(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking())
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ChangeScreen)
        await pilot.press("a")  # app.py hunk 1 accepted
        await pilot.press("n")  # app.py hunk 2 rejected → moves to README
        await pilot.press("c", *"keep the title", "enter")
        await pilot.press("r")
        states = app.screen.diff.labels()
        assert states == ["rejected"]
        await pilot.press("q")
        await settle(pilot, app)
        assert not isinstance(app.screen, ChangeScreen)
    assert built[0].decisions == [
        ChangeDecision(
            (
                FileVerdict("src/app.py", (HunkVerdict(True), HunkVerdict(False))),
                FileVerdict("README.md", (HunkVerdict(False, "keep the title"),)),
            )
        )
    ]


async def test_review_mode_opens_the_review_screen_and_q_rejects_what_is_undecided(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking("end_of_turn"))
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("A")  # the rest of src/app.py accepted; cursor moves to README
        assert app.screen.state.file.path == "README.md"
        await pilot.press("q")
        await settle(pilot, app)
    assert built[0].decisions == [
        ChangeDecision(
            (
                FileVerdict("src/app.py", (HunkVerdict(True), HunkVerdict(True))),
                FileVerdict("README.md", (HunkVerdict(False),)),
            )
        )
    ]


async def test_moving_between_files_and_rejecting_the_rest_of_a_file(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking())
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        await pilot.press("tab")  # README
        await pilot.press("y")
        await pilot.press("tab")  # back to src/app.py (wraps)
        await pilot.press("down", "R")  # second hunk onwards rejected
        await pilot.press("up", "y")
        await pilot.press("Q")  # finish and stop the turn
        await settle(pilot, app)
    assert built[0].decisions == [
        ChangeDecision(
            (
                FileVerdict("src/app.py", (HunkVerdict(True), HunkVerdict(False))),
                FileVerdict("README.md", (HunkVerdict(True),)),
            ),
            stop=True,
        )
    ]


async def test_bang_accepts_everything_and_split_view_keeps_the_verdicts(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking())
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.diff.split_view
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.screen.diff.labels() == ["accepted", "accepted"]
        await pilot.press("q")
        await settle(pilot, app)
    decision = built[0].decisions[0]
    assert isinstance(decision, ChangeDecision)
    assert all(f.accepted_all for f in decision.files)


async def test_e_opens_the_hunk_in_the_editor_and_the_edit_becomes_the_verdict(
    tmp_path: Path, monkeypatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace(\"print('hello')\", \"print('hello there')\"))\n"
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    app, built = make_app(tmp_path, asking())
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.state.slots[0][0].label == "edited"
        await pilot.press("q")
        await settle(pilot, app)
    first = built[0].decisions[0].files[0].hunks[0]
    assert first == HunkVerdict(True, None, (" import sys", "-print('hi')", "+print('hello there')", " "))


async def test_an_editor_that_breaks_the_hunk_asks_again_and_dropping_leaves_it_undecided(
    tmp_path: Path, monkeypatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text("import sys, pathlib\npathlib.Path(sys.argv[1]).write_text('garbage line\\n')\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    app, _ = make_app(tmp_path, asking())
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditAgainScreen)
        assert "must start with" in app.screen.problem
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.state.slots[0][0].label == "undecided"
        await pilot.press("q")
        await settle(pilot, app)
