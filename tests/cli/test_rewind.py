"""`hunk rewind` on a three-turn session: list, rewind code and conversation, the person's later
edits kept or the rewind refused, redo, fork, and `hunk run -c` continuing from the rewound point."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo, run_hunk

MODEL = "anthropic:claude-haiku-4-5"
ORIGINAL = "".join(f"line {i}\n" for i in range(1, 21))


def turn(n: int) -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "notes.txt", "old_string": f"line {n}\n", "new_string": f"line {n} (turn)\n"})]),
        Reply(text="Done."),
        Reply(text=f"Mark line {n}"),
    ]


def three_turns(fake: FakeProvider, tmp_path: Path) -> tuple[Path, dict[str, str], list[str]]:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL, "mine.txt": "mine\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    heads = [git(root, "rev-parse", "HEAD").strip()]
    for n, line in enumerate((2, 8, 14), start=1):
        fake.script(*turn(line))
        args = ["run", "--yes", "-m", MODEL] + (["-c"] if n > 1 else []) + [f"prompt {n}: mark line {line}"]
        done = run_hunk(root, env, *args)
        assert done.returncode == 0, done.stderr
        heads.append(git(root, "rev-parse", "HEAD").strip())
    return root, env, heads


def sent_prompts(fake: FakeProvider) -> list[str]:
    """The person's prompts in the conversation of the latest request."""
    messages = fake.bodies("/v1/messages")[-1]["messages"]
    texts = []
    for m in messages:
        if m["role"] == "user":
            content = m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]
            texts += [c["text"] for c in content if c.get("type") == "text" and c["text"].startswith("prompt ")]
    return texts


def test_list_rewind_both_continue_and_redo(fake: FakeProvider, tmp_path: Path) -> None:
    root, env, heads = three_turns(fake, tmp_path)
    (root / "mine.txt").write_text("mine, edited later\n")  # the person's own work, untouched by rewind

    listed = run_hunk(root, env, "rewind", "--list", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["turn"], r["files"], len(r["commits"])) for r in rows] == [(1, ["notes.txt"], 1), (2, ["notes.txt"], 1), (3, ["notes.txt"], 1)]
    assert rows[1]["commits"][0] == heads[2] and rows[0]["prompt"] == "prompt 1: mark line 2"

    done = run_hunk(root, env, "rewind", "2", "--yes")

    assert done.returncode == 0, done.stderr
    assert "took back 2 agent commit(s)" in done.stdout
    assert git(root, "rev-parse", "HEAD").strip() == heads[1]  # unpushed agent commits: reset
    assert (root / "notes.txt").read_text() == ORIGINAL.replace("line 2\n", "line 2 (turn)\n")
    assert (root / "mine.txt").read_text() == "mine, edited later\n"
    assert git(root, "status", "--porcelain") == " M mine.txt\n"
    rows = [json.loads(line) for line in run_hunk(root, env, "rewind", "--list", "--json").stdout.splitlines()]
    assert [r["rewound"] for r in rows] == [False, True, True] and rows[1]["commits"] == []

    fake.script(Reply(text="Hello again."))
    assert run_hunk(root, env, "run", "--yes", "-m", MODEL, "-c", "prompt 4: anything else?").returncode == 0
    assert sent_prompts(fake) == ["prompt 1: mark line 2", "prompt 4: anything else?"]

    # once new work has started, the cut conversation cannot come back
    redo = run_hunk(root, env, "rewind", "--redo")
    assert redo.returncode == 0 and "Nothing to redo" in redo.stdout


def test_redo_brings_the_conversation_back(fake: FakeProvider, tmp_path: Path) -> None:
    root, env, heads = three_turns(fake, tmp_path)

    assert run_hunk(root, env, "rewind", "2", "--conversation", "--yes").returncode == 0
    assert git(root, "rev-parse", "HEAD").strip() == heads[3]  # the code stays
    assert run_hunk(root, env, "rewind", "--redo").stdout.strip() == "The rewound conversation is back."

    fake.script(Reply(text="Sure."))
    assert run_hunk(root, env, "run", "--yes", "-m", MODEL, "-c", "prompt 4: and?").returncode == 0
    assert sent_prompts(fake) == [f"prompt {n}: mark line {line}" for n, line in ((1, 2), (2, 8), (3, 14))] + ["prompt 4: and?"]


def test_the_persons_overlapping_edit_refuses_the_code_rewind_and_names_the_file(fake: FakeProvider, tmp_path: Path) -> None:
    root, env, heads = three_turns(fake, tmp_path)
    mine = (root / "notes.txt").read_text().replace("line 14 (turn)\n", "line 14 (turn, then mine)\n")
    (root / "notes.txt").write_text(mine)

    done = run_hunk(root, env, "rewind", "3", "--code", "--yes")

    assert done.returncode == 2 and "notes.txt" in done.stderr
    assert git(root, "rev-parse", "HEAD").strip() == heads[3]
    assert (root / "notes.txt").read_text() == mine


def test_fork_starts_a_new_session_from_a_turn_and_the_old_one_stays(fake: FakeProvider, tmp_path: Path) -> None:
    root, env, heads = three_turns(fake, tmp_path)

    done = run_hunk(root, env, "rewind", "3", "--fork")

    assert done.returncode == 0, done.stderr
    child = done.stdout.split("Started session ", 1)[1].split()[0]
    sessions = run_hunk(root, env, "sessions").stdout
    assert child in sessions and "fork of" in sessions
    assert git(root, "rev-parse", "HEAD").strip() == heads[3]
    fake.script(Reply(text="On the fork."))
    assert run_hunk(root, env, "run", "--yes", "-m", MODEL, "--resume", child, "prompt 9: fork").returncode == 0
    assert sent_prompts(fake) == ["prompt 1: mark line 2", "prompt 2: mark line 8", "prompt 9: fork"]


def test_rewind_without_a_terminal_needs_yes(fake: FakeProvider, tmp_path: Path) -> None:
    root, env, heads = three_turns(fake, tmp_path)
    done = run_hunk(root, env, "rewind", "1")
    assert done.returncode == 2 and "--yes" in done.stderr
    assert git(root, "rev-parse", "HEAD").strip() == heads[3]


def test_rewind_redo_and_fork_wait_for_a_live_session_while_list_does_not(fake: FakeProvider, tmp_path: Path) -> None:
    root, env, heads = three_turns(fake, tmp_path)
    fake.script(Reply(text="thinking slowly " * 60, delay_s=0.1))
    live = subprocess.Popen(
        [sys.executable, "-m", "hunk", "run", "--yes", "--json", "-m", MODEL, "-c", "prompt 4: think"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert live.stdout is not None
    try:
        for line in live.stdout:
            if json.loads(line)["type"] == "text.delta":
                break  # the session holds the repository and is busy
        rewound = run_hunk(root, env, "rewind", "2", "--yes")
        redone = run_hunk(root, env, "rewind", "--redo")
        listed = run_hunk(root, env, "rewind", "--list", "--json")
        forked = run_hunk(root, env, "rewind", "2", "--fork")

        for refused in (rewound, redone, forked):
            assert refused.returncode == 2
            assert f"another hunk session is running in this repository (pid {live.pid}, session" in refused.stderr
            assert "cannot rewind until it ends" in refused.stderr and "Traceback" not in refused.stderr
        assert git(root, "rev-parse", "HEAD").strip() == heads[3]
        assert "line 14 (turn)" in (root / "notes.txt").read_text()
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) >= 3
    finally:
        live.send_signal(signal.SIGKILL)
        live.wait(timeout=10)
    # the owner is gone: once its killed turn is settled, the rewind goes ahead
    assert run_hunk(root, env, "rewind", "2", "--code", "--yes").stderr.count("hunk recover") == 1
    assert run_hunk(root, env, "recover", "--restore").returncode == 0
    done = run_hunk(root, env, "rewind", "2", "--code", "--yes")
    assert done.returncode == 0, done.stderr
    assert git(root, "rev-parse", "HEAD").strip() == heads[1]


def test_a_command_made_turn_and_a_pushed_one_rewind_through_the_commit_engine(fake: FakeProvider, tmp_path: Path) -> None:
    """Turn 1 is pushed (taken back by a revert), turn 2's change came from a command (reset
    like any agent commit), and the plain --list names each turn's commit and files."""
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(root, "remote", "add", "origin", str(tmp_path / "remote.git"))
    by_command = [
        Reply(tool_calls=[ToolCall("run_command", {"command": "sed -i 's/^line 8$/line 8 (command)/' notes.txt && echo made > made.txt"})]),
        Reply(text="Done."),
        Reply(text="Mark line 8 by a command"),
    ]
    for n, replies in enumerate((turn(2), by_command, turn(14)), start=1):
        fake.script(*replies)
        args = ["run", "--yes", "-m", MODEL] + (["-c"] if n > 1 else []) + [f"prompt {n}"]
        assert run_hunk(root, env, *args).returncode == 0
        if n == 1:
            git(root, "push", "-q", "origin", "HEAD:main")
    start = git(root, "rev-list", "--max-parents=0", "HEAD").strip()
    assert (root / "made.txt").exists() and "line 8 (command)" in (root / "notes.txt").read_text()

    listed = run_hunk(root, env, "rewind", "--list").stdout.splitlines()
    assert listed[0].startswith("session ") and len(listed) == 4
    assert listed[2].split()[0] == "2" and "made.txt, notes.txt" in listed[2] and listed[2].endswith("prompt 2")

    done = run_hunk(root, env, "rewind", "1", "--yes")

    assert done.returncode == 0, done.stderr
    assert "took back 3 agent commit(s) (notes.txt, made.txt)" in done.stdout
    assert (root / "notes.txt").read_text() == ORIGINAL and not (root / "made.txt").exists()
    subjects = git(root, "log", "--format=%s").splitlines()
    assert subjects[0].startswith("Revert") and subjects[1] == "Mark line 2" and len(subjects) == 3  # pushed: reverted
    assert git(root, "rev-list", "--max-parents=0", "HEAD").strip() == start
    assert git(root, "status", "--porcelain") == ""
