"""Taking back an agent commit, and getting back to a named state after a kill or a Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


from tests.cli.ptyrun import PtyHunk
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

MODEL = "anthropic:claude-haiku-4-5"
ORIGINAL = "".join(f"line {i}\n" for i in range(1, 21))


def edit_session(path: str = "notes.txt") -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": path})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": path, "old_string": "line 2\n", "new_string": "line two\n"})]),
        Reply(text="Done."),
        Reply(text="Spell out line two"),
    ]


def test_undo_takes_back_the_agent_commit_and_keeps_the_users_uncommitted_work(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL, "mine.txt": "mine\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    base = git(root, "rev-parse", "HEAD").strip()
    fake.script(*edit_session())
    assert run_hunk(root, env, "run", "--yes", "-m", MODEL, "edit").returncode == 0
    assert git(root, "rev-parse", "HEAD~1").strip() == base
    # the user keeps working: an uncommitted edit in the same file, another in a file of theirs
    (root / "notes.txt").write_text(ORIGINAL.replace("line 2\n", "line two\n").replace("line 19\n", "line 19 (mine)\n"))
    (root / "mine.txt").write_text("mine, edited\n")

    done = run_hunk(root, env, "undo")

    assert done.returncode == 0, done.stderr
    assert "undid" in done.stdout
    assert git(root, "rev-parse", "HEAD").strip() == base
    assert (root / "notes.txt").read_text() == ORIGINAL.replace("line 19\n", "line 19 (mine)\n")
    assert (root / "mine.txt").read_text() == "mine, edited\n"
    again = run_hunk(root, env, "undo")
    assert again.returncode == 2 and "no agent commit to undo" in again.stderr


def test_after_a_kill_mid_turn_the_next_start_offers_recovery_and_restore_puts_everything_back(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL, "other.txt": "other\n"})
    (root / "other.txt").write_text("other, my uncommitted edit\n")
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "notes.txt", "old_string": "line 2\n", "new_string": "line two\n"})]),
        Reply(text="Now something slow " * 50, delay_s=0.2),  # killed while this streams
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "hunk", "run", "--yes", "--json", "-m", MODEL, "edit"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if json.loads(line)["type"] == "text.delta":
            break  # the edit is on disk; the slow reply has begun
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert (root / "notes.txt").read_text() != ORIGINAL

    refused = run_hunk(root, env, "run", "--yes", "-m", MODEL, "again")
    assert refused.returncode == 2
    assert "interrupted turn" in refused.stderr and "hunk recover" in refused.stderr

    restored = run_hunk(root, env, "recover", "--restore")

    assert restored.returncode == 0, restored.stderr
    assert (root / "notes.txt").read_text() == ORIGINAL
    assert (root / "other.txt").read_text() == "other, my uncommitted edit\n"
    assert git(root, "status", "--porcelain").split() == ["M", "other.txt"]
    assert run_hunk(root, env, "recover").stdout.startswith("nothing to recover")


def test_recover_keep_leaves_the_changes_for_review(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": "replaced\n"})]),
        Reply(text="slow " * 100, delay_s=0.2),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "hunk", "run", "--yes", "--json", "-m", MODEL, "edit"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if json.loads(line)["type"] == "text.delta":
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)

    kept = run_hunk(root, env, "recover", "--keep")

    assert kept.returncode == 0 and "kept" in kept.stdout
    assert (root / "notes.txt").read_text() == "replaced\n"
    assert run_hunk(root, env, "recover").stdout.startswith("nothing to recover")


def test_ctrl_c_mid_turn_exits_130_and_puts_unaccepted_changes_back(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "notes.txt", "old_string": "line 2\n", "new_string": "line two\n"})]),
        Reply(text="thinking aloud " * 100, delay_s=0.1),
    )
    run = PtyHunk(root, env, "run", "-m", MODEL, "edit")  # review mode: the edit is written, not yet accepted
    deadline = time.monotonic() + 10
    while (root / "notes.txt").read_text() == ORIGINAL and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (root / "notes.txt").read_text() != ORIGINAL
    time.sleep(0.5)  # into the slow third reply
    run.interrupt()
    code, out, err = run.wait()

    assert code == 130, err
    assert "Traceback" not in err
    assert (root / "notes.txt").read_text() == ORIGINAL
    assert git(root, "status", "--porcelain") == ""
    assert fake.hung_up.wait(5)  # the stream was closed, not left running
    assert run_hunk(root, env, "recover").stdout.startswith("nothing to recover")
