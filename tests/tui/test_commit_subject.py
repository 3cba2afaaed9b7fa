"""The commit screen never waits on the model: it opens with a subject from the file names while
the model (held back by the fake server) is still writing, takes keys at once, and puts the
model's subject in when it arrives, unless the person typed over it first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import TextArea

from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from hunk.settings.config import load_config
from hunk.tui.app import create_app
from hunk.tui.screens.commit import CommitScreen
from hunk.tui.screens.review import ReviewScreen
from tests.fakeserver import FakeProvider, Held, Reply, ToolCall
from tests.gitrepo import git, make_repo

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
MODEL = "anthropic:claude-sonnet-4-6"


def app_for(tmp_path: Path, fake: FakeProvider, held: Held):  # type: ignore[no-untyped-def]
    root = make_repo(tmp_path / "repo", {"a.txt": "one\ntwo\n"})
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "one\ntwo\nthree\n"})]),
        Reply(text="Counted to three."),
        held,
    )
    env = {**os.environ, "ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "test-key"}
    config = load_config(root, env, {"model": MODEL, "approval": "review"})
    journal = SessionStore(tmp_path / "state" / "hunk", root).create()
    spec = RunSpec(root=root, config=config, mode="review", journal=journal, on_interrupt="review", env=env)
    app = create_app(
        agent_factory=lambda approver, sink: build_agent(spec, approver, sink),
        repo_label=root.name, branch="main", model=MODEL, mode="review", root=root,
    )
    return root, app


async def until(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(600):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never: {what}")


async def open_commit_screen(pilot, app) -> CommitScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*"count to three", "enter")
    await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
    await pilot.press("exclamation_mark", "q")  # accept everything
    await until(pilot, lambda: isinstance(app.screen, CommitScreen) and app.screen.query("#message"), "the commit screen")
    return app.screen  # type: ignore[no-any-return]


async def release_then_commit(pilot, app, held: Held, starts: str) -> None:  # type: ignore[no-untyped-def]
    """The model answers; the message then starts with `starts`; Ctrl+S commits it."""
    screen = app.screen
    held.release()
    await until(pilot, lambda: not screen.query("#subject-state"), "the subject arriving")
    assert screen.query_one("#message", TextArea).text.startswith(starts)
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not app.turn_running, "the commit")
    await app.workers.wait_for_complete()


async def test_the_commit_screen_takes_keys_before_the_model_answers_and_the_subject_fills_in(
    tmp_path: Path, hermetic_home: Path, fake: FakeProvider
) -> None:
    held = Held(Reply(text="Count to three"))
    root, app = app_for(tmp_path, fake, held)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_commit_screen(pilot, app)
            area = screen.query_one("#message", TextArea)
            assert held.asked.is_set() and not held.released.is_set()  # the model is still writing
            assert area.text.startswith("Update a.txt\n\n- a.txt (+1 -0)")
            assert screen.query("#subject-state")
            await pilot.press("down", "down", "end", *" counted")  # the body takes keys now
            assert "- a.txt (+1 -0) counted" in area.text
            await release_then_commit(pilot, app, held, "Count to three\n\n- a.txt (+1 -0) counted")
    finally:
        held.release()
    assert git(root, "log", "-1", "--format=%s").strip() == "Count to three"
    assert "- a.txt (+1 -0) counted" in git(root, "log", "-1", "--format=%b")


async def test_a_subject_the_person_typed_is_not_overwritten(tmp_path: Path, hermetic_home: Path, fake: FakeProvider) -> None:
    held = Held(Reply(text="Count to three"))
    root, app = app_for(tmp_path, fake, held)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await open_commit_screen(pilot, app)
            await pilot.press("end", *" and more")
            await release_then_commit(pilot, app, held, "Update a.txt and more\n")
    finally:
        held.release()
    assert git(root, "log", "-1", "--format=%s").strip() == "Update a.txt and more"
