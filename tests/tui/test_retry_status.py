"""A retried request is visible: "rate limited — retrying in 4 s (2/6)" where the spinner said
"thinking"; a reply whose stream was cut and is asked again is taken off the screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Markdown

from hunk.tui.widgets.spinner import Spinner
from hunk.values.events import ProviderRetrying, TextDelta
from tests.tui.fakes import FakeAgent, make_app, send, settle

release = asyncio.Event()


async def rate_limited(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
    agent.sink(TextDelta("half a rep"))
    await asyncio.sleep(0.1)
    agent.sink(ProviderRetrying("stream_cut", "cut", 0.0, 1, 1, restart=True))
    agent.sink(ProviderRetrying("rate_limit", "rate limited (429)", 4.0, 2, 6))
    await release.wait()


async def test_the_spinner_says_rate_limited_and_a_cut_reply_is_dropped(tmp_path: Path) -> None:
    release.clear()
    app, _ = make_app(tmp_path, rate_limited)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        await pilot.pause(0.3)
        spinner = app.chat.query_one(Spinner)
        assert "rate limited — retrying in 4 s (2/6)" in str(spinner.render())
        assert not app.chat.transcript.query(Markdown)  # the cut reply's text is gone
        release.set()
        await settle(pilot, app)
