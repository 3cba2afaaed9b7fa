"""SVG snapshots at fixed sizes: idle chat, a change in ask mode, the review screen at 100×30,
and a rich review (the model's words, line numbers, syntax and word colours, a wrapped long line,
split view) at 80×24 and 200×60.

Update them with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from hunk.agent.approval import ChangeReview
from hunk.values.events import TextDelta
from hunk.tui.widgets.diff_view import DiffView
from hunk.values.diffs import FileDiff
from hunk.values.conversation import Part
from tests.tui.fakes import FakeAgent, hunk, make_app, send, two_file_review

SIZE = (100, 30)


def asking(phase: str):
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        await agent.ask(two_file_review(phase))

    return script


async def no_blink(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(0.1)
    pilot.app.chat.prompt.area.cursor_blink = False


def test_idle_chat(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(Path("/srv/demo"))  # a fixed path: the first screen shows it
    assert snap_compare(app, terminal_size=SIZE, run_before=no_blink)


async def colours_loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    """Syntax colours arrive from a thread after the first paint: wait for them."""
    for _ in range(100):
        view = pilot.app.screen.query_one(DiffView)
        if view._painter.lexer is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)


def review_opened(phase: str, *keys: str):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await no_blink(pilot)
        await send(pilot, "greet politely")
        await pilot.pause(0.2)
        await pilot.press("a")  # first hunk accepted: states differ at a glance
        await pilot.press(*keys)
        await colours_loaded(pilot)

    return run_before


def rich_review(phase: str) -> ChangeReview:
    """A Python file with small edits and one long line; a README beside it."""
    code = FileDiff(
        path="src/greeting.py",
        status="modified",
        text="",
        hunks=(
            hunk(0, 3, (" import sys", "-def greet(name):", "+def greet(name, punctuation='!'):", "-    print('hi ' + name)",
                        "+    print('hello ' + name + punctuation)", " ")),
            hunk(1, 40, ("     return {", "-        'message': 'a very long message that does not fit on one row of a narrow terminal at all, so it wraps',",
                         "+        'message': 'a very long message that does not fit on one row of a narrow terminal at all, so it wraps twice',",
                         "     }")),
        ),
    )
    readme = FileDiff(path="README.md", status="modified", text="", hunks=(hunk(0, 1, ("-# Greeter", "+# The greeter", " ")),))
    return ChangeReview(files=(code, readme), phase=phase)  # type: ignore[arg-type]


def explaining(phase: str):
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        agent.sink(TextDelta("The greeting now says hello, and takes its punctuation as an argument."))
        await agent.ask(rich_review(phase))

    return script


def test_change_in_ask_mode(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, asking("before_write"))
    assert snap_compare(app, terminal_size=SIZE, run_before=review_opened("before_write"))


def test_review_screen(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, asking("end_of_turn"))
    assert snap_compare(app, terminal_size=SIZE, run_before=review_opened("end_of_turn"))


def test_change_with_explanation_at_80x24(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, explaining("before_write"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=review_opened("before_write"))


def test_review_in_split_view_at_200x60(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, explaining("end_of_turn"))
    assert snap_compare(app, terminal_size=(200, 60), run_before=review_opened("end_of_turn", "s"))


def test_review_at_80x24(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, explaining("end_of_turn"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=review_opened("end_of_turn"))


def test_change_at_200x60(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, explaining("before_write"))
    assert snap_compare(app, terminal_size=(200, 60), run_before=review_opened("before_write"))
