"""The diff view of the change and review screens: keys that scroll a long hunk, folded long
lines that say what they hide, a verdict that repaints one hunk, and what each row shows."""

from __future__ import annotations

import sys
from pathlib import Path

from hunk.agent.approval import ChangeReview
from hunk.values.events import TextDelta
from hunk.tui.widgets import diff_view
from hunk.tui.widgets.diff_paint import WORD, Painter
from hunk.tui.widgets.diff_view import DiffView
from hunk.values.diffs import FileDiff
from hunk.values.conversation import Part
from textual.widgets import Static
from tests.tui.fakes import FakeAgent, hunk, make_app, send, settle

SIZE = (100, 32)


def review_of(*files: FileDiff) -> ChangeReview:
    return ChangeReview(files=files, phase="before_write")


def long_hunk_file() -> FileDiff:
    """A 600-line hunk, then a small one."""
    big = tuple(f"+line {n}" for n in range(600))
    return FileDiff(
        path="data.txt",
        status="modified",
        text="",
        hunks=(hunk(0, 1, big), hunk(1, 900, (" tail", "-old end", "+new end"))),
    )


def asking(review: ChangeReview, words: str = ""):
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        if words:
            agent.sink(TextDelta(words))
        await agent.ask(review)

    return script


def screen_rows(view: DiffView) -> list[str]:
    top = int(view.scroll_y)
    return [view.row_text(row) for row in range(top, top + view.size.height)]


async def open_review(pilot, review: ChangeReview) -> DiffView:  # type: ignore[no-untyped-def]
    await send(pilot, "change things")
    await pilot.pause(0.2)
    return pilot.app.screen.query_one(DiffView)


async def test_every_scroll_key_moves_through_a_600_line_hunk(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking(review_of(long_hunk_file())))
    async with app.run_test(size=SIZE) as pilot:
        view = await open_review(pilot, review_of(long_hunk_file()))
        page = view.size.height
        assert view.scroll_y == 0 and any("line 0" in row for row in screen_rows(view))
        await pilot.press("j")
        assert view.scroll_y == 1
        await pilot.press("down", "down")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("space")
        assert view.scroll_y == 2 + page - 1
        await pilot.press("pagedown")
        assert view.scroll_y == 2 + 2 * (page - 1)
        await pilot.press("b")
        await pilot.press("pageup")
        assert view.scroll_y == 2
        await pilot.press("ctrl+d")
        assert view.scroll_y == 2 + page // 2
        await pilot.press("ctrl+u")
        assert view.scroll_y == 2
        await pilot.press("end")
        rows = screen_rows(view)
        assert any("line 599" in row for row in rows) and not any("line 0 " in row for row in rows)
        assert app.screen.state.hunk_index == 0  # still the long hunk: its end is on screen
        await pilot.press("j")  # the hunk is shown to its end: on to the next one
        assert app.screen.state.hunk_index == 1
        assert any("new end" in row for row in screen_rows(view))
        await pilot.press("home")  # the start of the short last hunk: its header is on screen
        assert any("undecided  @@ -900" in row for row in screen_rows(view))
        await pilot.press("left_square_bracket")  # back to the long hunk, at its top
        assert app.screen.state.hunk_index == 0 and view.scroll_y == 0
        await pilot.press("a")  # accepted; the cursor jumps to the next undecided hunk
        assert app.screen.state.hunk_index == 1
        await pilot.press("q")
        await settle(pilot, app)
    assert [v.accepted for v in built[0].decisions[0].files[0].hunks] == [True, False]


async def test_scrolling_past_the_current_hunk_moves_the_cursor_with_the_view(tmp_path: Path) -> None:
    three = FileDiff(
        path="data.txt",
        status="modified",
        text="",
        hunks=(*long_hunk_file().hunks, hunk(2, 2000, tuple(f"-gone {n}" for n in range(100)))),
    )
    app, _ = make_app(tmp_path, asking(review_of(three)))
    async with app.run_test(size=SIZE) as pilot:
        view = await open_review(pilot, review_of(three))
        top, bottom = view.hunk_rows(1)
        view.scroll_to(y=top, animate=False, immediate=True)  # as the mouse wheel would
        await pilot.pause()
        assert app.screen.state.hunk_index == 1  # `a` now decides what is on screen
        await pilot.press("q")
        await settle(pilot, app)


async def test_u_jumps_to_the_next_undecided_hunk_across_files(tmp_path: Path) -> None:
    other = FileDiff(path="b.txt", status="modified", text="", hunks=(hunk(0, 1, ("-x", "+y")),))
    app, _ = make_app(tmp_path, asking(review_of(long_hunk_file(), other)))
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, review_of(long_hunk_file(), other))
        await pilot.press("right_square_bracket", "a")  # the second hunk accepted: on to b.txt
        assert (app.screen.state.file_index, app.screen.state.hunk_index) == (1, 0)
        await pilot.press("u")  # round to the first hunk, still undecided
        assert (app.screen.state.file_index, app.screen.state.hunk_index) == (0, 0)
        await pilot.press("q")
        await settle(pilot, app)


def one_line_file(size: int) -> FileDiff:
    """One edit in the middle of a single very long line."""
    body = "".join(f"var a{n}=function(b){{return b*{n}}};" for n in range(size // 30))
    middle = len(body) // 2
    old, new = body[:middle] + "OLD" + body[middle:], body[:middle] + "NEW" + body[middle:]
    return FileDiff(path="bundle.min.js", status="modified", text="", hunks=(hunk(0, 1, ("-" + old, "+" + new)),))


async def test_a_very_long_line_is_folded_around_its_change_with_counted_markers(tmp_path: Path) -> None:
    file = one_line_file(300_000)
    length = len(file.hunks[0].lines[1]) - 1
    app, _ = make_app(tmp_path, asking(review_of(file)))
    async with app.run_test(size=SIZE) as pilot:
        view = await open_review(pilot, review_of(file))
        rows = [view.row_text(row) for row in range(view.virtual_size.height)]
        assert view.virtual_size.height < 80  # laid out as a window, not as 300,000 characters
        text = "\n".join(rows)
        assert "OLD" in text and "NEW" in text  # the change itself is on screen
        earlier = [r for r in rows if "earlier characters — o opens the whole hunk" in r]
        later = [r for r in rows if "more characters — o opens the whole hunk" in r]
        assert len(earlier) == 2 and len(later) == 2  # one pair for the − line, one for the +
        hidden_before = int(earlier[0].split("… ")[1].split(" ")[0].replace(",", ""))
        hidden_after = int(later[0].split("… ")[1].split(" ")[0].replace(",", ""))
        shown = length - hidden_before - hidden_after
        assert 0 < shown <= 1_000 and hidden_before > 100_000 and hidden_after > 100_000
        await pilot.press("q")
        await settle(pilot, app)


async def test_o_opens_the_whole_hunk_unfolded_in_the_editor(tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "seen.diff"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import shutil, sys\nshutil.copy(sys.argv[1], {str(copy)!r})\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    file = one_line_file(100_000)
    app, built = make_app(tmp_path, asking(review_of(file)))
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, review_of(file))
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.state.slot.accepted is None  # looking decides nothing
        await pilot.press("q")
        await settle(pilot, app)
    assert copy.read_text().splitlines() == list(file.hunks[0].lines)


async def test_a_verdict_repaints_that_hunk_alone(tmp_path: Path, monkeypatch) -> None:
    small = FileDiff(
        path="app.py",
        status="modified",
        text="",
        # each hunk a change of its own (the same change in three places would be one group)
        hunks=tuple(hunk(n, 10 * n + 1, (" keep", f"-old {n}", f"+new {n + 1}")) for n in range(3)),
    )
    app, _ = make_app(tmp_path, asking(review_of(small)))
    async with app.run_test(size=SIZE) as pilot:
        view = await open_review(pilot, review_of(small))
        painted: list[str] = []
        laid_out: list[object] = []
        refreshed: list[tuple[int, int]] = []
        paint, lay_out, refresh_lines = Painter.paint, DiffView._lay_out, DiffView.refresh_lines
        monkeypatch.setattr(Painter, "paint", lambda self, content, *a: painted.append(content) or paint(self, content, *a))
        monkeypatch.setattr(DiffView, "_lay_out", lambda self, block: laid_out.append(block) or lay_out(self, block))
        monkeypatch.setattr(
            DiffView, "refresh_lines", lambda self, y, n=1: refreshed.append((y, n)) or refresh_lines(self, y, n)
        )
        await pilot.press("a")
        await pilot.pause()
        assert view.labels() == ["accepted", "undecided", "undecided"]
        assert laid_out == [] and painted == []  # the lines are not laid out or painted again
        first, second = view.hunk_rows(0), view.hunk_rows(1)
        # the accepted hunk and the next one (now current) are refreshed; the third is untouched
        assert sorted(set(refreshed)) == [(first[0], first[1] + 1 - first[0]), (second[0], second[1] + 1 - second[0])]
        await pilot.press("q")
        await settle(pilot, app)


async def test_rows_show_line_numbers_and_the_changed_words(tmp_path: Path) -> None:
    file = FileDiff(
        path="app.py",
        status="modified",
        text="",
        hunks=(hunk(0, 10, (" import sys", "-print('hi there')", "+print('hello there')", " ")),),
    )
    app, _ = make_app(tmp_path, asking(review_of(file), "I greet more warmly now."))
    async with app.run_test(size=SIZE) as pilot:
        view = await open_review(pilot, review_of(file))
        assert str(app.screen.query_one("#explanation", Static).content) == "I greet more warmly now."
        rows = [view.row_text(row) for row in range(view.virtual_size.height)]
        assert any(row.split() == ["┃10", "10", "import", "sys"] for row in rows), rows
        assert any(row.split()[:3] == ["┃11", "-", "print('hi"] for row in rows), rows
        assert any(row.split()[:4] == ["┃", "11", "+", "print('hello"] for row in rows), rows
        added = next(r for r in range(view.virtual_size.height) if "hello" in view.row_text(r))
        strip = view._row(added, view.size.width)
        worded = "".join(segment.text for segment in strip if segment.style and segment.style.bgcolor == WORD["+"].bgcolor)
        assert worded == "hello"  # the changed word, not the whole line
        await pilot.press("q")
        await settle(pilot, app)


async def test_split_view_wraps_long_lines_and_hides_no_character(tmp_path: Path) -> None:
    old = "-" + "old words " * 30
    new = "+" + "new words " * 30
    file = FileDiff(path="notes.txt", status="modified", text="", hunks=(hunk(0, 1, (old, new)),))
    app, _ = make_app(tmp_path, asking(review_of(file)))
    async with app.run_test(size=(80, 30)) as pilot:
        view = await open_review(pilot, review_of(file))
        await pilot.press("s")
        assert view.split_view
        rows = [view.row_text(row) for row in range(view.virtual_size.height)]
        body = rows[1:-1]
        assert len(body) > 1  # wrapped, not cut
        left = "".join(row[1:].split("│")[0][4:].rstrip() for row in body)
        assert left.replace(" ", "") == old[1:].replace(" ", "")
        assert "…" not in "".join(rows)
        await pilot.press("q")
        await settle(pilot, app)


def test_painted_rows_keep_every_character_of_a_wrapped_line() -> None:
    line = "x = '" + "é" * 50 + "\t" + "字" * 40 + "'\r"
    rows = Painter("a.py").paint(line, "+", (), None, 17)
    assert all(row.cell_length == 17 for row in rows)
    text = "".join(row.text for row in rows)
    assert text.replace(" ", "") == "x='" + "é" * 50 + "字" * 40 + "'␍"  # the CR is drawn, not dropped
    assert len(rows) == diff_view.height(line, None, 17)


async def test_the_models_long_words_above_the_diff_scroll_and_w_shows_them_all(tmp_path: Path) -> None:
    """A long explanation was cut at its sixth line, with nothing to say there was more."""
    file = FileDiff(path="app.py", status="modified", text="", hunks=(hunk(0, 10, (" import sys", "-print('hi')", "+print('hello')", " ")),))
    words = "\n".join(f"Line {i} of what the model said about its change." for i in range(12))
    app, _ = make_app(tmp_path, asking(review_of(file), words))
    async with app.run_test(size=(80, 30)) as pilot:
        await open_review(pilot, review_of(file))
        box = app.screen.query_one("#explanation-box")
        assert box.size.height == 6 and box.virtual_size.height == 12  # the rest is a scroll away
        assert box.show_vertical_scrollbar  # and the scrollbar says so
        await pilot.press("w")
        await pilot.pause()
        assert box.size.height == 12  # all of it
        await pilot.press("w")
        await pilot.pause()
        assert box.size.height == 6
        await pilot.press("q")
        await settle(pilot, app)
