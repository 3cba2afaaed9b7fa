"""The TUI says where commands run: the header and the status bar, and once, in the transcript,
why they are not sandboxed on a machine without bubblewrap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hunk.agent.assemble import RunSpec, announce, build_agent
from hunk.cli.demo import prepare_repo
from hunk.journal.journal import SessionStore
from hunk.settings.config import load_config
from hunk.tui.app import create_app
from tests.gitrepo import path_without_bwrap

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def test_without_bubblewrap_the_header_status_bar_and_one_line_say_commands_are_not_sandboxed(
    tmp_path: Path, hermetic_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = prepare_repo(tmp_path / "wordcount")
    monkeypatch.setenv("PATH", path_without_bwrap(tmp_path / "bin"))
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(hermetic_home)}
    config = load_config(root, env, {"model": "replay:demo", "approval": "ask"})
    journal = SessionStore(tmp_path / "state" / "hunk", root).create()
    spec = RunSpec(root=root, config=config, mode="ask", journal=journal, env=env)

    def factory(approver, sink):  # type: ignore[no-untyped-def]
        agent = build_agent(spec, approver, sink)
        announce(agent, sink, root, "ask")
        return agent

    app = create_app(agent_factory=factory, repo_label=root.name, branch="main", model="replay:demo", mode="ask", root=root)
    async with app.run_test(size=(120, 40)) as pilot:
        await app._agent_built.wait()
        await pilot.pause(0.2)
        status = str(app.chat.status_bar.render())
        lines = [str(s.render()) for s in app.chat.transcript.query(".info")]
    assert app.sub_title.startswith("Commands are not sandboxed: bubblewrap (bwrap) is not installed")
    assert "not sandboxed" in status
    assert sum("Commands are not sandboxed" in line for line in lines) == 1
