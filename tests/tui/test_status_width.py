"""The status bar keeps the cost at narrow widths: the least useful parts go first."""

from __future__ import annotations

from pathlib import Path

from hunk.tui.widgets.status_bar import Status, render_status
from hunk.values.usage import Usage
from tests.tui.fakes import make_app

STATUS = Status(
    repo="my-project", branch="feature/long-branch-name", model="anthropic:claude-sonnet-4-5", mode="ask",
    usage=Usage(input_tokens=123_456, output_tokens=7_890, cache_read_tokens=100_000), cost_usd=0.1234,
    context_tokens=50_000, context_window=200_000,
)


def test_every_width_keeps_the_cost_the_mode_and_the_context() -> None:
    for width in (40, 60, 80, 120, 200):
        shown = render_status(STATUS, width).plain
        assert len(shown) <= width, (width, shown)
        assert "$0.1234" in shown and "ask" in shown and "ctx 25%" in shown, (width, shown)
    assert "my-project" in render_status(STATUS, 200).plain


async def test_the_status_bar_at_60_columns_shows_the_cost(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.agent_ready()
        await pilot.pause()
        app.chat.set_status(repo="a-rather-long-repository-name", model="anthropic:claude-sonnet-4-5", cost_usd=0.5678)
        await pilot.pause()
        shown = str(app.chat.status_bar.render())
        assert "$0.5678" in shown and len(shown) <= 60  # all of it on screen
