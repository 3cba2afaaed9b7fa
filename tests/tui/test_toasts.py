"""Toasts never cover the prompt."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets._toast import Toast

from hunk.tui.widgets.prompt import PromptBox
from tests.tui.fakes import make_app


async def test_a_toast_does_not_cover_the_prompt(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await app.workers.wait_for_complete()
        for n in range(3):
            app.notify(f"notice number {n} with a few words to make it wide", timeout=30)
        await pilot.pause(0.3)
        prompt = app.chat.query_one(PromptBox).region
        toasts = [t.region for t in app.screen.query(Toast)]
        assert toasts and all(not t.overlaps(prompt) for t in toasts)


async def test_a_toast_on_the_commit_screen_does_not_cover_the_message(tmp_path: Path) -> None:
    """A toast from the review ('edit dropped') stood over the commit message's first lines, its
    subject; on the commit screen toasts sit above the buttons."""
    from hunk.agent.approval import CommitApproval
    from hunk.tui.screens.commit import CommitScreen
    from tests.tui.fakes import FakeAgent, send

    message = "Say hello to the person who runs this program, politely\n\n- app.py (+1 -1)\n\nAssisted-by: replay via hunk\n"

    async def committing(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
        await agent.ask(CommitApproval(message=message, files=("app.py",), diffstat=" app.py | 2 +-"))

    for size in ((60, 20), (80, 24), (200, 60)):
        app, _ = make_app(tmp_path, committing)
        async with app.run_test(size=size, notifications=True) as pilot:
            await send(pilot, "go")
            await pilot.pause(0.2)
            assert isinstance(app.screen, CommitScreen)
            app.notify("edit dropped: the hunk is as the model proposed it", title="hunk not edited", timeout=30)
            await pilot.pause(0.3)
            area = app.screen.query_one("#message").region
            text = Region(area.x, area.y, area.width, len(message.splitlines()) + 2)  # the border and the lines
            toasts = [t.region for t in app.screen.query(Toast)]
            assert toasts and all(not t.overlaps(text) for t in toasts), (size, toasts, text)
            await pilot.press("escape")
