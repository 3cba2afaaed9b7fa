"""One live session per repository, and credentials kept out of commands, journals and events."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import sys
from pathlib import Path

from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import hunk_env, make_repo, run_hunk

MODEL = "anthropic:claude-haiku-4-5"
KEY = "sk-ant-test-0123456789abcdef"
TOKEN = "tok-configured-987654321"


def test_a_second_session_names_the_live_one_and_recover_refuses_while_it_runs(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": "one\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    fake.script(
        Reply(tool_calls=[ToolCall("write_file", {"path": "new.txt", "content": "agent\n"})]),
        Reply(text="thinking slowly " * 60, delay_s=0.1),
    )
    first = subprocess.Popen(
        [sys.executable, "-m", "hunk", "run", "--yes", "--json", "-m", MODEL, "work"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert first.stdout is not None
    for line in first.stdout:
        if json.loads(line)["type"] == "text.delta":
            break  # the first session wrote new.txt and is busy
    try:
        second = run_hunk(root, env, "run", "--yes", "-m", MODEL, "more")
        recover = run_hunk(root, env, "recover", "--restore")
        assert second.returncode == 2
        assert f"another hunk session is running in this repository (pid {first.pid}, session" in second.stderr
        assert "interrupted turn" not in second.stderr
        assert recover.returncode == 2 and f"pid {first.pid}" in recover.stderr
        assert (root / "new.txt").read_text() == "agent\n"  # the live session's work is untouched
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    # once the owner is dead, recover may settle its turn
    assert run_hunk(root, env, "recover", "--restore").returncode == 0
    assert not (root / "new.txt").exists()


def test_commands_run_without_credentials_and_known_values_never_reach_journal_or_events(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"app.py": "x = 1\n"})
    (root / "leak.txt").write_text(f"the key is {KEY} and {TOKEN}\n")
    home = tmp_path / "home"
    config = home / ".config" / "hunk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[commands]\nsecret_env = ["MY_*"]\n')
    env = hunk_env(home, ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY=KEY, MY_TOKEN=TOKEN, PLAIN_VALUE="visible-value")
    fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "printenv ANTHROPIC_API_KEY MY_TOKEN PLAIN_VALUE; echo end"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": "cat leak.txt"})]),
        Reply(text="Done."),
    )

    done = run_hunk(root, env, "run", "--yes", "--json", "-m", MODEL, "look")

    assert done.returncode == 0, done.stderr
    outputs = [json.loads(line) for line in done.stdout.splitlines() if '"tool.finished"' in line]
    assert outputs[0]["output"].startswith("visible-value\nend")  # the credentials were not there
    assert "[redacted]" in outputs[1]["output"]
    assert KEY not in done.stdout and TOKEN not in done.stdout
    sent = json.dumps(fake.bodies())  # what the model saw
    assert KEY not in sent and TOKEN not in sent
    state = home / ".state" / "hunk" / "sessions"
    journals = list(state.rglob("*.jsonl"))
    assert journals
    for path in journals:
        text = path.read_text()
        assert KEY not in text and TOKEN not in text
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in [state, *(p for p in state.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for blob in state.rglob("blobs/*"):
        assert stat.S_IMODE(blob.stat().st_mode) == 0o600
