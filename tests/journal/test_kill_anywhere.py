"""`kill -9` at a random moment of a hostile command or of the commit, then `hunk recover`.

Property style: each seed picks the phase (a command that throws away the person's work and
moves git state, or the commit at the end of the turn, slowed by the person's own hooks) and a
moment within it. Whatever the moment, `hunk recover --restore` leaves every byte of the
person's work, their index, refs, stash and config as before; HEAD is either as before (the
agent's edit rolled back) or carries exactly hunk's own commit, which recover recognised; and
no temporary index is left behind.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.gitstate_helpers import CODE, PERSON, picture, person_repo, tree_blob
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, run_hunk

MODEL = "anthropic:claude-haiku-4-5"
RUNS = 50
STEP = "sleep 0.06"


def hostile(pidfile: Path, marker: Path) -> str:
    steps = [
        f"echo $$ > {pidfile}",
        "rm .env",
        "git checkout -- a.txt part.txt",
        "git add -A",
        "git commit -qm sneak",
        "rm big.bin notes.txt",
        "git checkout -- huge.bin",
        f"git config core.fsmonitor 'touch {marker}'",
        "git stash -q",
        "git checkout -qb other",
        "echo new > created.txt",
        "git clean -qfdx",
    ]
    return f" && {STEP} && ".join(steps)


def _slow_hooks(root: Path) -> None:
    for name in ("pre-commit", "post-commit"):
        hook = root / ".git" / "hooks" / name
        hook.write_text("#!/bin/sh\nsleep 0.15\n")
        hook.chmod(0o755)


def _kill_command_group(pidfile: Path) -> None:
    time.sleep(0.2)  # hunk is gone; a command it had started may still be running
    if pidfile.exists():
        try:
            os.killpg(int(pidfile.read_text().strip()), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


@pytest.mark.parametrize("seed", range(RUNS))
def test_kill_at_a_random_moment_then_recover_restores_every_byte(seed: int, fake: FakeProvider, tmp_path: Path) -> None:
    chance = random.Random(seed)
    phase = "command" if seed % 2 == 0 else "commit"
    root = person_repo(tmp_path / "repo")
    _slow_hooks(root)
    pidfile, marker = tmp_path / "command.pid", tmp_path / "pwned"
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    before = picture(root)
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "code.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "code.py", "old_string": "41", "new_string": "42"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": hostile(pidfile, marker)})]),
        Reply(text="Done."),
        Reply(text="Answer 42"),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "hunk", "run", "--yes", "--json", "-m", MODEL, "make the answer 42"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None
    trigger = ("tool.started", "run_command") if phase == "command" else ("text.delta", None)
    for line in proc.stdout:
        event = json.loads(line)
        if event["type"] == trigger[0] and event.get("name", None) == trigger[1]:
            break
    time.sleep(chance.uniform(0.0, 0.9 if phase == "command" else 0.8))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=20)
    _kill_command_group(pidfile)

    recovered = run_hunk(root, env, "recover", "--restore")
    tally = os.environ.get("KILL_TALLY_FILE")  # where a run may count which moments were hit
    if tally:
        with open(tally, "a", encoding="utf-8") as out:
            out.write(f"{seed} {phase} {recovered.stdout.splitlines()[0] if recovered.stdout else recovered.stderr}\n")

    assert recovered.returncode == 0, recovered.stderr
    after = picture(root)
    assert after.files == before.files, f"seed {seed} ({phase}): {recovered.stdout}"
    assert after.staged_diff == before.staged_diff
    assert after.stash == before.stash and after.config == before.config
    assert after.symbolic == "refs/heads/main"
    assert not marker.exists()
    others = [r for r in after.refs.splitlines() if not r.endswith("refs/heads/main")]
    assert others == [r for r in before.refs.splitlines() if not r.endswith("refs/heads/main")]
    strays = [*(root / ".git").glob("hunk-index-*"), *(root / ".git" / "hunk").glob("hunk-index-*")]
    assert strays == []
    if after.head == before.head:
        assert (root / "code.py").read_text() == CODE
        assert after.ls_files == before.ls_files
    else:  # the commit was complete (recover recognised it, or the turn had ended): undo takes it back
        assert "was complete" in recovered.stdout or recovered.stdout.startswith("nothing to recover")
        assert git(root, "rev-parse", "HEAD~1").strip() == before.head
        assert tree_blob(root, "HEAD", "code.py") == CODE.replace("41", "42").encode()
        committed = git(root, "diff-tree", "-r", "--name-only", "--no-commit-id", "HEAD").split()
        assert not set(committed) & set(PERSON)
        assert run_hunk(root, env, "undo").returncode == 0
        assert picture(root).files == before.files and git(root, "rev-parse", "HEAD").strip() == before.head
    assert run_hunk(root, env, "recover").stdout.startswith("nothing to recover")
