"""The review's key bar keeps the keys every review needs at any width (accept, reject, edit,
note, next, finish, and `?` for the rest), on two rows when one is not enough; `?` lists every
key of the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.tui.screens.keys import KeysScreen
from hunk.tui.screens.review import ReviewScreen
from hunk.tui.widgets.key_bar import KeyBar, lay_out
from hunk.values.conversation import Part
from tests.tui.fakes import FakeAgent, make_app, send, settle, two_file_review

ESSENTIAL = ["a accept", "r reject", "e edit", "c note", "] next", "u undecided", "q finish", "? keys"]


async def reviewing(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    await agent.ask(two_file_review("end_of_turn"))


def bar_text(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The key bar's rows as painted: its text, as many rows as the bar is high, cut at its width."""
    bar = app.screen.query_one(KeyBar)
    assert bar.region.bottom == app.size.height  # at the bottom of the screen, all rows on it
    rows = bar.render().plain.split("\n")
    assert len(rows) == bar.size.height
    return [row[: bar.size.width] for row in rows]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_essential_keys_show_at_every_width(tmp_path: Path, size: tuple[int, int]) -> None:
    app, _ = make_app(tmp_path, reviewing)
    async with app.run_test(size=size) as pilot:
        await send(pilot, "go")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ReviewScreen)
        rows = bar_text(app)
        await pilot.press("q")
        await settle(pilot, app)
    shown = " ".join(rows)
    for entry in ESSENTIAL:
        assert entry in shown, (entry, rows)
    assert len(rows) == (1 if size[0] >= 200 else 2)  # a second row when one is not enough
    assert all(len(row.rstrip()) <= size[0] for row in rows)
    if size[0] >= 200:  # room for the rest too
        assert "tab file" in shown and "! accept all" in shown and "s split" in shown


async def test_question_mark_lists_every_review_key_and_closes(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, reviewing)
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, "go")
        await pilot.pause(0.2)
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        assert isinstance(app.screen, KeysScreen)
        listed = str(app.screen.query_one("#listed").render())
        # on screen, not an empty box: the list was laid out 0 cells wide in tmux at any size
        shown = app.screen.query_one("#listed").region
        assert shown.width >= max(len(line) for line in listed.splitlines()) and shown.height >= 20, shown
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
        await settle(pilot, app)
    for words in ("page down", "previous file", "finish and stop the turn", "half a page up", "whole hunk"):
        assert words in listed


def test_the_help_key_always_fits_and_nothing_spills_over_the_width() -> None:
    entries = [(f"k{i}", "something long") for i in range(30)] + [("?", "keys")]
    rows = lay_out(entries, 40)
    assert len(rows) == 2 and rows[-1][-1] == ("?", "keys")
    assert all(sum(len(k) + len(d) + 3 for k, d in row) <= 40 for row in rows)
