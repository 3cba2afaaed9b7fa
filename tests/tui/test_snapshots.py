"""Three SVG snapshots at a fixed size: idle chat, a change in ask mode, the review screen.

Update them with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from hunk.values.conversation import Part
from tests.tui.fakes import FakeAgent, make_app, send, two_file_review

SIZE = (100, 30)


def asking(phase: str):
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        await agent.ask(two_file_review(phase))

    return script


async def no_blink(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(0.1)
    pilot.app.chat.prompt.area.cursor_blink = False


def test_idle_chat(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=no_blink)


def review_opened(phase: str):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await no_blink(pilot)
        await send(pilot, "greet politely")
        await pilot.pause(0.2)
        await pilot.press("a")  # first hunk accepted: states differ at a glance
        await pilot.pause(0.1)

    return run_before


def test_change_in_ask_mode(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, asking("before_write"))
    assert snap_compare(app, terminal_size=SIZE, run_before=review_opened("before_write"))


def test_review_screen(snap_compare, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, asking("end_of_turn"))
    assert snap_compare(app, terminal_size=SIZE, run_before=review_opened("end_of_turn"))
