"""The prompt: Enter sends, Ctrl+J adds a line, history, `/` and `@` completion, slash commands."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hunk.tui.attach import load_attachments
from hunk.values.conversation import TextPart
from hunk.tui.completion import attachments, fuzzy_filter, list_repo_files
from hunk.tui.widgets.diff_view import DiffView
from tests.tui.fakes import make_app, notices, send, settle


def git_repo(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "README.md").write_text("# demo\n")
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text("print('hi')\n")
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    (root / "build" / "out.txt").write_text("x\n")
    subprocess.run(["git", "-C", str(root), "add", "README.md"], check=True)
    return root


def test_repo_files_are_tracked_plus_untracked_minus_ignored(tmp_path: Path) -> None:
    assert list_repo_files(git_repo(tmp_path)) == [".gitignore", "README.md", "src/app.py"]


def test_fuzzy_filter_prefers_file_name_matches() -> None:
    files = ["docs/apple/notes.md", "src/app.py", "src/parser/apply.py"]
    assert fuzzy_filter("app", files)[0] == "src/app.py"
    assert fuzzy_filter("xyz", files) == []


def test_an_attached_binary_file_or_escape_is_refused_with_a_reason(tmp_path: Path) -> None:
    root = git_repo(tmp_path)
    (root / "blob.bin").write_bytes(b"\0\1\2")
    parts, problems = load_attachments(root, ["blob.bin", "../outside.txt", ".git/config"])
    assert parts == ()
    assert problems == [
        "@blob.bin is a binary file",
        "@../outside.txt is outside the repository",
        "@.git/config is outside the repository",
    ]


def test_attachments_are_confined_like_the_tools_and_read_wide_text(tmp_path: Path) -> None:
    root = git_repo(tmp_path)
    (root / "notes.txt").write_bytes("héllo\n".encode("utf-16"))
    parts, problems = load_attachments(root, [".GIT/config", "~/secret", "notes.txt"])
    assert problems == ["@.GIT/config is outside the repository", "@~/secret is outside the repository"]
    assert len(parts) == 1 and "héllo" in parts[0].text  # type: ignore[union-attr]


def test_attachments_are_at_words_naming_repository_files(tmp_path: Path) -> None:
    root = git_repo(tmp_path)
    assert attachments("look at @src/app.py, and @nothing.txt", set(), root) == ["src/app.py"]


async def test_enter_sends_ctrl_j_adds_a_line_and_up_recalls_history(tmp_path: Path) -> None:
    app, built = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"one", "ctrl+j", *"two", "enter")
        await settle(pilot, app)
        assert built[0].prompts == [("one\ntwo", ())]
        assert app.chat.prompt.text == ""
        await pilot.press(*"draft", "up")
        assert app.chat.prompt.text == "one\ntwo"
        await pilot.press("down")
        assert app.chat.prompt.text == "draft"


async def test_slash_completion_with_tab_then_approval_changes_mode_and_status(tmp_path: Path) -> None:
    app, built = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("/", "a", "p")
        assert app.chat.prompt.menu.display
        await pilot.press("tab")
        assert app.chat.prompt.text == "/approval "
        await pilot.press(*"review", "enter")
        await settle(pilot, app)
        assert built[0].mode == "review"
        assert "review" in str(app.chat.status_bar.render())
        assert built[0].prompts == []


async def test_at_completion_lists_repo_files_and_the_file_is_attached(tmp_path: Path) -> None:
    root = git_repo(tmp_path)
    app, built = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"explain @ap")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert app.chat.prompt.menu.display
        await pilot.press("enter")  # takes the completion, does not send
        assert app.chat.prompt.text == "explain @src/app.py "
        await pilot.press("enter")
        await settle(pilot, app)
    [(prompt, parts)] = built[0].prompts
    assert prompt == "explain @src/app.py"
    assert len(parts) == 1 and isinstance(parts[0], TextPart)
    assert "`src/app.py`" in parts[0].text and "print('hi')" in parts[0].text


async def test_slash_commands_undo_diff_clear_cost_model_and_help(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, diff="--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.1)
        for line in ("/undo", "/diff", "/cost", "/help", "/model openai:gpt-5", "/model nope:x"):
            await send(pilot, line)
            await settle(pilot, app)
        transcript = "\n".join(str(w.render()) for w in app.chat.transcript.children)
        assert "undid 1234abcd Add a greeting" in transcript
        diff = app.chat.transcript.query_one(DiffView)
        rows = [diff.row_text(row) for row in range(diff.virtual_size.height)]
        assert any(" - a" in row for row in rows) and any(" + b" in row for row in rows), rows
        assert "session: 0 in" in transcript
        assert "/approval ask|plan|review|auto" in transcript
        assert built[0].model == "openai:gpt-5"
        assert "openai:gpt-5" in str(app.chat.status_bar.render())
        assert "unknown provider in 'nope:x'" in notices(app)
        await send(pilot, "/clear")
        await settle(pilot, app)
        assert built[0].cleared == 1 and not app.chat.transcript.children
        await send(pilot, "/quit")
        await pilot.pause()
        assert not app.is_running


async def test_the_command_palette_runs_slash_commands(tmp_path: Path) -> None:
    app, built = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+p")
        await pilot.pause(0.1)
        await pilot.press(*"approval auto")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert built[0].mode == "auto"


async def test_compact_says_what_it_did_or_that_there_was_nothing(tmp_path: Path) -> None:
    from hunk.values.conversation import Message

    app, built = make_app(tmp_path, history=[Message.user("one"), Message.user("two"), Message.user("three")])
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.2)
        await send(pilot, "/compact")
        await settle(pilot, app)
        await send(pilot, "/compact")
        await settle(pilot, app)
        transcript = "\n".join(str(w.render()) for w in app.chat.transcript.children)
    assert "compacted: 3 messages → 1" in transcript
    assert "nothing to compact yet" in transcript
    assert len(built[0].history) == 1


async def test_a_fast_typed_or_pasted_slash_command_is_sent_as_typed(tmp_path: Path) -> None:
    from textual import events

    from hunk.tui.widgets.prompt import PromptArea

    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        area = app.chat.query_one(PromptArea)
        for word in ("/undo", "/clear"):
            await pilot.press(*word[:2])  # typed: the completion menu opens for "/u"
            assert app.chat.prompt.menu.display, (word, app.chat.prompt.text, app.focused)
            for key in [*word[2:], "enter"]:  # the rest arrives before the menu catches up
                area.post_message(events.Key(key, key if len(key) == 1 else None))
            await pilot.pause(0.1)
        await pilot.press("/")
        area.post_message(events.Paste("cost"))
        area.post_message(events.Key("enter", None))
        await pilot.pause(0.1)
        assert app.chat.prompt.history == ["/undo", "/clear", "/cost"]


async def test_rewind_picker_lists_the_turns_and_takes_back_what_the_person_picks(tmp_path: Path) -> None:
    from hunk.tui.screens.rewind import RewindScreen

    app, built = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.1)
        for prompt in ("first change", "second change", "third change"):
            await send(pilot, prompt)
            await settle(pilot, app)
        await send(pilot, "/rewind")
        await pilot.pause(0.2)
        assert isinstance(app.screen, RewindScreen)
        shown = str(app.screen.query_one("#turns").get_option_at_index(1).prompt)
        assert "second change" in shown
        await pilot.press("up", "c")  # from the newest turn up to the second: its code only
        await settle(pilot, app)
        await send(pilot, "/fork 1")
        await settle(pilot, app)
        await send(pilot, "/redo")
        await settle(pilot, app)
        transcript = "\n".join(str(w.render()) for w in app.chat.transcript.children)
    assert built[0].rewinds == [(2, True, False), (1, False, False)]
    assert "redone" in transcript


async def test_a_slash_command_that_fails_says_so_and_one_typed_during_a_turn_stays_in_the_prompt(
    tmp_path: Path, monkeypatch
) -> None:
    import asyncio

    from tests.tui.fakes import FakeAgent

    async def slow(agent: FakeAgent, prompt: str, files: tuple) -> None:
        await asyncio.Event().wait()

    def broken(self: FakeAgent) -> list:
        raise TypeError("'int' object is not callable")

    app, built = make_app(tmp_path, slow)
    async with app.run_test(size=(100, 40)) as pilot:
        await send(pilot, "a long change")
        await pilot.pause(0.1)
        await send(pilot, "/rewind")
        await pilot.pause(0.1)
        assert any("/rewind waits for the turn to finish" in n for n in notices(app))
        assert app.chat.prompt.text == "/rewind"  # kept: Enter again once the turn is done
        await pilot.press("escape")
        await settle(pilot, app)

        monkeypatch.setattr(FakeAgent, "turn_log", broken)
        await pilot.press("enter")
        await settle(pilot, app)
    titles = [(n.title, n.message) for n in app._notifications]
    assert ("/rewind failed", "TypeError: 'int' object is not callable") in titles
