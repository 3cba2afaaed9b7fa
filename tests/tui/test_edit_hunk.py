"""`e` with an edit that cannot apply: caught at once, explained, and the person edits again
(starting from what they wrote) or drops the edit — never a verdict that dies later."""

from __future__ import annotations

import sys
from pathlib import Path

from hunk.tui.screens.change import ChangeScreen
from hunk.tui.screens.edit_again import EditAgainScreen
from hunk.values.diffs import HunkVerdict
from tests.tui.fakes import FakeAgent, make_app, send, settle, two_file_review

# The first save also changes a context line ("import sys"); the second save, which starts from
# the first one's text, puts it back.
EDITOR = """import sys, pathlib
path = pathlib.Path(sys.argv[1])
count = pathlib.Path(sys.argv[0]).with_suffix(".count")
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
text = path.read_text()
if n == 0:
    text = text.replace(" import sys", " import os").replace("+print('hello')", "+print('hello there')")
else:
    assert "print('hello there')" in text, text  # the person's first attempt, kept
    text = text.replace(" import os", " import sys")
path.write_text(text)
"""


async def asking(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
    await agent.ask(two_file_review())


async def test_an_edit_that_changes_a_context_line_is_caught_and_edited_again(tmp_path: Path, monkeypatch) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    app, built = make_app(tmp_path, asking)
    async with app.run_test(size=(100, 32)) as pilot:
        await send(pilot, "change things")
        await pilot.pause(0.1)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditAgainScreen)
        assert "import sys" in app.screen.problem and "import os" in app.screen.problem
        await pilot.press("e")  # edit again
        await pilot.pause()
        assert isinstance(app.screen, ChangeScreen)
        assert app.screen.state.slots[0][0].label == "edited"
        await pilot.press("q")
        await settle(pilot, app)
    first = built[0].decisions[0].files[0].hunks[0]
    assert first == HunkVerdict(True, None, (" import sys", "-print('hi')", "+print('hello there')", " "))
