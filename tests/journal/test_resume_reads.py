"""`hunk -c` reads and folds the session's journal once: the interrupted-turn check, the
conversation, the usage totals the agent's meter starts from and the TUI's earlier prompts all
come from one `Resumed`, not from a fold each."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hunk.journal.records as records
from hunk.agent.approval import PolicyApprover
from hunk.cli import main
from hunk.journal.journal import Journal, SessionStore, restore_history, usage_totals
from hunk.journal.lock import release
from hunk.journal.records import SESSION, TURN_BEGIN, TURN_END
from hunk.settings.config import state_dir
from hunk.values.conversation import Message, TextPart
from hunk.values.usage import Usage
from tests.gitrepo import hunk_env, make_repo

PROMPTS = ["tidy a.py", "now b.py", "and the tests"]
KEY = "sk-resume-reads-test-key"


def write_session(journal: Journal) -> None:
    journal.append(SESSION, model="anthropic:claude-sonnet-4-5", repo="r", mode="ask")
    for turn, prompt in enumerate(PROMPTS, 1):
        journal.append(TURN_BEGIN, turn=turn, prompt=prompt)
        journal.message(Message.user(prompt))
        journal.message(Message("assistant", (TextPart(f"done: {prompt}"),)))
        journal.usage(Usage(input_tokens=100 * turn, output_tokens=10), 0.01)
        journal.append(TURN_END, turn=turn, status="done")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[Path]:
    """How often each journal's records are read and parsed (every fold goes through here)."""
    counted: Counter[Path] = Counter()
    real = records.read_records

    def counting(path: Path) -> Iterator[dict[str, Any]]:
        counted[Path(path)] += 1
        return real(path)

    monkeypatch.setattr(records, "read_records", counting)
    monkeypatch.setattr("hunk.journal.journal.read_records", counting)
    return counted


class StubApp:
    """Stands in for the Textual app: builds the agent the way the app does after its first paint."""

    def __init__(self, seen: dict[str, Any], parses: Counter[Path], **kwargs: Any) -> None:
        self.seen, self.parses, self.kwargs = seen, parses, kwargs
        self.startup_error = None
        self.return_code = 0

    def run(self) -> None:
        self.kwargs["load_extras"]()
        agent = self.kwargs["agent_factory"](PolicyApprover(), lambda event: None)
        self.seen.update(
            prompts=list(self.kwargs["earlier_prompts"]), history=list(agent.history),
            usage=agent.meter.usage, cost=agent.meter.cost_usd, parses=sum(self.parses.values()),
        )


def test_continuing_a_session_folds_its_journal_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: Counter[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_repo(tmp_path / "repo", {"a.py": "x = 1\n"})
    for name, value in hunk_env(tmp_path / "home", ANTHROPIC_API_KEY=KEY, ANTHROPIC_BASE_URL="http://127.0.0.1:9").items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(root)
    store = SessionStore(state_dir(os.environ), root)
    journal = store.create()
    write_session(journal)
    expected = (restore_history(journal.path), usage_totals(journal.path))
    parses.clear()
    seen: dict[str, Any] = {}
    monkeypatch.setattr("hunk.tui.app.create_app", lambda **kwargs: StubApp(seen, parses, **kwargs))
    try:
        code = main(["-c", "-m", "anthropic:claude-sonnet-4-5"])
    finally:
        release(store)

    assert code == 0, capsys.readouterr().err
    assert seen["parses"] == 1  # before the fold was shared: 6 (two of them to find the session used last)
    assert seen["prompts"] == PROMPTS
    assert (seen["history"], (seen["usage"], seen["cost"])) == expected
    assert f"hunk session {journal.session_id}" in capsys.readouterr().out  # the quit summary reads what the session wrote
