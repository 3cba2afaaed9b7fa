"""The installed `hunk demo`, driven in tmux like a person: type a prompt, accept one hunk,
reject another, accept the rest, see the tests run in the sandbox, commit — then read git."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.gitrepo import git, hunk_env


class Tmux:
    def __init__(self, command: str, env: dict[str, str], extra: tuple[str, ...] = (), cwd: Path | None = None, size: tuple[int, int] = (120, 40)) -> None:
        """`command` in a new tmux session (in `cwd`) of `size` columns × rows, with `env`'s
        usual variables and those in `extra`."""
        assert shutil.which("tmux"), "tmux is needed for this test (.ci/run installs it)"
        self.name = f"hunk-e2e-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items() if k in _PASSED or k in extra)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-c", str(cwd or Path.cwd()), "-x", str(size[0]), "-y", str(size[1]), f"env {exports} {command}; sleep 30"],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-t", self.name, "-p"], capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 30, *, pattern: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if (re.search(text, screen) if pattern else text in screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"never saw {text!r} on the screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


_PASSED = ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "TMPDIR", "PATH", "TERM", "LANG", "GIT_AUTHOR_NAME",
           "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def installed_hunk() -> str:
    beside = Path(sys.executable).with_name("hunk")
    assert beside.exists(), f"the hunk command is not installed beside {sys.executable}"
    return str(beside)


def test_a_person_runs_the_demo_accepts_one_hunk_rejects_another_and_commits(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = hunk_env(tmp_path / "home", TMPDIR=str(temp), TERM="xterm-256color", LANG="C.UTF-8")
    tmux = Tmux(f"{installed_hunk()} demo --keep", env)
    try:
        tmux.wait_for("Ask for a change")
        tmux.keys("make word counting ignore case and punctuation", "Enter")

        tmux.wait_for("wordcount/core.py")
        tmux.wait_for("2 undecided")
        tmux.keys("y")  # accept the split_words hunk
        tmux.wait_for("1 undecided")
        tmux.keys("n")  # reject the top_words hunk
        tmux.wait_for("all decided")
        tmux.keys("q")

        tmux.wait_for("▶ tests/test_core.py")  # the change screen, not the tool row in the chat
        tmux.keys("!")  # accept everything in the tests
        tmux.wait_for("all decided")
        tmux.keys("q")

        tmux.wait_for("Commit (ctrl+s)")  # the test suite ran in the sandbox without asking
        tmux.wait_for("Count words case-insensitively")  # the model's subject, in when it arrives
        tmux.keys("C-s")
        # the commit's own line: the model's closing words say "are committed" before it is
        screen = tmux.wait_for(r"committed [0-9a-f]{8}", pattern=True)
        assert "decided wordcount/core.py  1 accepted, 1 rejected" in screen
        assert "sandbox: workspace-write" in screen  # the status bar says where commands run

        repos = list(temp.glob("hunk-demo-*/wordcount"))
        assert len(repos) == 1
        repo = repos[0]
        assert git(repo, "log", "--format=%s").splitlines() == [
            "Count words case-insensitively and break ties alphabetically",
            "Start the wordcount sample project",
        ]
        core = git(repo, "show", "HEAD:wordcount/core.py")
        assert "WORD.findall(text)" in core  # the accepted hunk
        assert "ranked" not in core and "counts.most_common(n)" in core  # the rejected one
        assert "test_ties_are_alphabetical" in git(repo, "show", "HEAD:tests/test_core.py")
        assert git(repo, "status", "--porcelain") == ""

        tmux.keys("C-c")
        tmux.keys("C-c")
        left = tmux.wait_for("the demo repository is kept at")  # the scrollback after quitting
        assert "1 commit," in left and "Count words case-insensitively" in left
        assert "continue with: hunk -c" in left
    finally:
        tmux.close()
