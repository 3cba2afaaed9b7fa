"""The chat screen: streaming, tool calls, cancelling, errors, and the status bar."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Markdown

from hunk.values.events import (
    CommitCreated,
    ReasoningDelta,
    TextDelta,
    ToolCallFinished,
    ToolCallStarted,
    TurnFailed,
    TurnFinished,
    UsageUpdated,
)
from hunk.tui.adapter import StreamedText
from hunk.tui.screens.change import ChangeScreen
from hunk.tui.widgets.transcript import ToolCallEntry
from hunk.values.usage import Usage
from hunk.values.conversation import Part
from tests.tui.fakes import FakeAgent, make_app, notices, send, settle, two_file_review

REPLY = "Here is the plan:\n\n```python\nprint('hello')\n```\n\nDone — **two** files.\n"


async def streaming(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    agent.sink(ReasoningDelta("look at app.py first"))
    for index in range(0, len(REPLY), 3):
        agent.sink(TextDelta(REPLY[index : index + 3]))
        if index % 30 == 0:
            await asyncio.sleep(0)
    agent.sink(TurnFinished(1, "end_turn", Usage(10, 20), None))


async def test_streamed_deltas_arrive_coalesced_and_render_the_whole_reply(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, streaming)
    seen: dict[int, StreamedText] = {}

    def hook(message: object) -> None:
        if isinstance(message, StreamedText):
            seen[id(message)] = message

    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await send(pilot, "plan it")
        await settle(pilot, app)
        replies = list(app.chat.transcript.query(Markdown).results())
        assert [r.source for r in replies] == [REPLY]
        assert app.chat.transcript.query(".reasoning").first().collapsed
    batches = [m.text for m in seen.values()]
    deltas = len(range(0, len(REPLY), 3)) + 1
    assert "".join(batches) == "look at app.py first" + REPLY
    assert len(batches) < deltas / 4


async def tools_and_usage(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    agent.sink(ToolCallStarted("c1", "run_command", {"command": "pytest -q"}))
    agent.sink(ToolCallFinished("c1", "run_command", "exit 1  0.4 s", True, 0.4, "1 failed\nE assert 1 == 2"))
    agent.sink(UsageUpdated(Usage(1200, 300, 800, 0), 0.0123, 0.0456, 100_000))
    agent.sink(CommitCreated("abcdef1234567", "Fix the test", ("src/app.py",)))


async def test_a_tool_call_is_one_line_that_expands_to_its_output_and_usage_fills_the_status(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, tools_and_usage)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "run the tests")
        await settle(pilot, app)
        entry = app.chat.transcript.query_one(ToolCallEntry)
        assert entry.collapsed
        assert "run_command  writes  pytest -q  ✗ exit 1" in str(entry.title)  # with its danger class
        await pilot.click("ToolCallEntry CollapsibleTitle")
        await pilot.pause()
        assert not entry.collapsed
        assert "E assert 1 == 2" in str(entry.body.render())
        status = str(app.chat.status_bar.render())
        assert "↑2.0k ↓300" in status and "cache 800" in status
        assert "$0.0456" in status and "ctx 50%" in status
        lines = [str(s.render()) for s in app.chat.transcript.query(".commit")]
        assert lines == ["committed abcdef12  Fix the test"]


async def forever(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    agent.sink(TextDelta("working on it"))
    await asyncio.Event().wait()


async def test_escape_cancels_the_running_turn_and_the_prompt_works_again(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, forever)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "first")
        await pilot.pause(0.1)
        assert app.turn_running and app.chat.spinner.display
        await pilot.press("escape")
        await settle(pilot, app)
        assert built[0].cancelled and not app.turn_running
        assert not app.chat.spinner.display
        assert "turn cancelled" in notices(app)
        await send(pilot, "second")
        await pilot.pause(0.1)
        assert [p for p, _ in built[0].prompts] == ["first", "second"]


async def waits_for_a_decision(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    await agent.ask(two_file_review())


async def test_ctrl_c_during_a_question_cancels_the_turn_and_closes_the_screen(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, waits_for_a_decision)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "change")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ChangeScreen)
        await pilot.press("ctrl+c")
        await settle(pilot, app)
        assert built[0].cancelled
        assert app.screen is app.chat
        assert built[0].decisions == []


async def test_second_ctrl_c_on_an_idle_prompt_quits_but_typing_disarms_it(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.press("x")
        await pilot.press("ctrl+c")  # clears the prompt
        await pilot.pause()
        assert app.is_running and app.chat.prompt.text == ""
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def fails(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    agent.sink(TurnFailed("provider", "the provider is down after 4 retries (503)"))


async def test_a_failed_turn_is_a_notice_and_a_line_not_a_crash(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, fails)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        await settle(pilot, app)
        assert "the provider is down after 4 retries (503)" in notices(app)
        assert app.is_running


async def raises(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
    raise RuntimeError("git refused: index.lock exists")


async def test_an_agent_that_raises_leaves_the_app_running_with_a_notice(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, raises)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        await settle(pilot, app)
        assert "RuntimeError: git refused: index.lock exists" in notices(app)
        assert app.is_running and not app.turn_running


async def test_an_agent_factory_that_fails_says_so_and_the_prompt_stays_usable(tmp_path: Path) -> None:
    from hunk.tui.app import create_app

    def no_key(approver, sink):
        raise RuntimeError("set ANTHROPIC_API_KEY to use anthropic:claude-sonnet-4-5")

    app = create_app(agent_factory=no_key, repo_label="r", branch="main", model="anthropic:x", mode="ask")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        await send(pilot, "hello")
        await settle(pilot, app)
        # the prompt is kept and the toast says why (the panel said it first, without a toast)
        assert notices(app) == ["set ANTHROPIC_API_KEY to use anthropic:claude-sonnet-4-5 — /model switches without a restart"]
        assert app.chat.prompt.text == "hello"
        assert app.is_running


async def test_a_continued_session_shows_its_earlier_conversation(tmp_path: Path) -> None:
    from textual.widgets import Markdown, Static

    from hunk.values.conversation import Message, TextPart, ToolCallPart, ToolResultPart

    history = [
        Message.user("rename parse_args"),
        Message("assistant", (TextPart("Looking at the callers."), ToolCallPart("c1", "search_files", {"pattern": "parse_args"}))),
        Message("user", (ToolResultPart("c1", "cli.py:3: parse_args()"),)),
        Message("assistant", (TextPart("Renamed in **two** places."),)),
    ]
    app, built = make_app(tmp_path, history=history)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()  # the agent is built and its history replayed
        for _ in range(100):  # the replay ends with its marker line (Markdown loads with the first reply)
            shown = [str(w.render()) for w in app.chat.transcript.query(Static)]
            if any("continued session" in s for s in shown):
                break
            await pilot.pause(0.05)
        replies = [m.source for m in app.chat.transcript.query(Markdown)]
    assert any("rename parse_args" in s for s in shown)
    assert any("search_files" in s and "parse_args" in s for s in shown)
    assert any("search_files" in s and "✓ cli.py:3: parse_args()" in s for s in shown)  # with its result
    assert replies == ["Looking at the callers.", "Renamed in **two** places."]
    assert any("continued session" in s for s in shown)
