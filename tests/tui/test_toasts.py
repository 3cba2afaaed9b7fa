"""Toasts never cover the prompt."""

from __future__ import annotations

from pathlib import Path

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
