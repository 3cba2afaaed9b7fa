"""A review or a question waiting rings the bell, and notifies through OSC 9 / OSC 777 where the
terminal shows those; `[ui] notify` turns it down or off."""

from __future__ import annotations

from pathlib import Path

from hunk.tui.notify import call_attention, desktop_sequence
from tests.tui.fakes import FakeAgent, make_app, send, settle, two_file_review


def test_the_sequence_follows_the_terminal() -> None:
    assert desktop_sequence("review waits", {"TERM_PROGRAM": "iTerm.app"}) == "\x1b]9;review waits\a"
    assert desktop_sequence("review waits", {"TERM": "foot"}) == "\x1b]777;notify;hunk;review waits\a"
    assert desktop_sequence("review waits", {"TERM": "xterm-256color"}) is None
    assert desktop_sequence("a;b\x1b]evil", {"WT_SESSION": "1"}) == "\x1b]9;ab]evil\a"


def test_modes() -> None:
    written: list[str] = []
    call_attention("waits", "auto", {"TERM_PROGRAM": "WezTerm"}, written.append)
    call_attention("waits", "bell", {"TERM_PROGRAM": "WezTerm"}, written.append)
    call_attention("waits", "off", {"TERM_PROGRAM": "WezTerm"}, written.append)
    assert written == ["\a\x1b]9;waits\a", "\a"]


async def asking(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
    from hunk.values.events import ApprovalRequested

    agent.sink(ApprovalRequested(kind="change"))
    await agent.ask(two_file_review())


async def test_a_waiting_review_rings_the_bell(tmp_path: Path, monkeypatch) -> None:
    app, _ = make_app(tmp_path, asking)
    written: list[str] = []
    monkeypatch.setattr(app, "terminal_writer", lambda: written.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.2)
        assert written and written[0].startswith("\a")
        await pilot.press("q")
        await settle(pilot, app)
