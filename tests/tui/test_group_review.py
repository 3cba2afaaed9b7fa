"""The TUI's review of hunk groups with the real agent, a scripted model on the fake Anthropic
server and a real git repository: a refactor of 40 files decided in five keys, and the commit
holds exactly what was accepted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from hunk.settings.config import load_config
from hunk.tui.app import create_app
from hunk.tui.screens.commit import CommitScreen
from hunk.tui.screens.review import ReviewScreen
from tests import refactor
from tests.fakeserver import FakeProvider
from tests.gitrepo import git, make_repo

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
MODEL = "anthropic:claude-haiku-4-5"


def refactor_app(tmp_path: Path, home: Path, fake: FakeProvider):  # type: ignore[no-untyped-def]
    root = make_repo(tmp_path / "repo", refactor.before_files())
    env = {**os.environ, "HOME": str(home), "XDG_STATE_HOME": str(tmp_path / "state"), "ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "test-key"}
    config = load_config(root, env, {"model": MODEL, "approval": "review"})
    journal = SessionStore(tmp_path / "state" / "hunk", root).create()
    spec = RunSpec(root=root, config=config, mode="review", journal=journal, on_interrupt="review", env=env)
    app = create_app(
        agent_factory=lambda approver, sink: build_agent(spec, approver, sink),
        repo_label=root.name,
        branch="main",
        model=MODEL,
        mode="review",
        root=root,
    )
    return root, app


async def wait_for(pilot, app, kind, rounds: int = 600):  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        if isinstance(app.screen, kind):
            await pilot.pause(0.1)  # painted
            return app.screen
        await pilot.pause(0.05)
    raise AssertionError(f"never saw {kind.__name__}; screen {app.screen}")


async def test_a_40_file_refactor_is_decided_in_five_keys_in_the_tui_and_commits_exactly_what_was_accepted(
    tmp_path: Path, hermetic_home: Path, fake: FakeProvider
) -> None:
    fake.script(*refactor.model_script())
    root, app = refactor_app(tmp_path, hermetic_home, fake)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press(*"rename parse_args to parse_argv everywhere", "enter")
        screen = await wait_for(pilot, app, ReviewScreen)
        assert str(screen.query_one("#summary").render()) == "40 files · 123 hunks · 1 group (120 hunks) · 123 undecided"
        shown = str(screen.query_one("#group").render())
        assert "group 1 of 1: the same change in 120 places in 40 files" in shown
        assert "parse_args → parse_argv" in shown and "pkg/mod_39.py: lines 17, 26, 35" in shown
        await pilot.press("a")  # 1: the rename, everywhere
        assert screen.state.group is None and screen.state.file.path == "pkg/mod_05.py"
        assert str(screen.query_one("#summary").render()).endswith("3 undecided")
        await pilot.press("a")  # 2: TIMEOUT = 60
        assert screen.state.file.path == "pkg/mod_17.py"
        await pilot.press("r")  # 3: not the new import
        assert screen.state.file.path == "pkg/mod_30.py"
        await pilot.press("q")  # 4: finish; the typo fix, undecided, is rejected
        await wait_for(pilot, app, CommitScreen)
        await pilot.press("ctrl+s")  # 5: commit
        for _ in range(400):
            await pilot.pause(0.05)
            if not app.turn_running:
                break
        await app.workers.wait_for_complete()

    expected = refactor.expected_after(rejected={17, 30})
    assert git(root, "log", "-1", "--format=%s").strip() == "Rename parse_args to parse_argv"
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == sorted(expected)
    for name, text in expected.items():
        assert git(root, "show", f"HEAD:{name}") == text, name
    assert git(root, "status", "--porcelain") == ""  # the rejected hunks were rolled back
