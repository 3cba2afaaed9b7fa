"""A hunk killed outright leaves its temporary folder (the commit message's, say) behind; the next
hunk that makes one removes it, and only the folders provably left by a dead hunk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from hunk.workspace.git import commit_index, open_repo
from hunk.workspace.tempdirs import sweep, temp_dir
from tests.gitrepo import git, make_repo


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_sweep_removes_only_the_folders_of_dead_hunks(tmp_path: Path) -> None:
    dead = dead_pid()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as live:
        stale = tmp_path / f"hunk-msg-{dead}-ab_cd123"
        (stale / "sub").mkdir(parents=True)
        (stale / "sub" / "COMMIT_MSG").write_text("x")
        kept = [
            tmp_path / f"hunk-msg-{live.pid}-ab_cd123",  # its hunk is still running
            tmp_path / f"hunk-msg-{os.getpid()}-ab_cd123",  # this very process
            tmp_path / "hunk-msg-k3j9ax2q",  # named before folders carried their pid: not provably stale
            tmp_path / f"hunk-index-{dead}-ab_cd123",  # another kind (swept when one of those is made)
            tmp_path / f"hunk-msg-{dead}-ab_cd123-mine",  # not a name hunk makes
            tmp_path / f"hunk-msg-0-ab_cd123",  # pid 0 would mean the process group
        ]
        for folder in kept:
            folder.mkdir()
        target = tmp_path / "elsewhere"
        target.mkdir()
        (target / "precious").write_text("keep")
        link = tmp_path / f"hunk-msg-{dead}-zz_link1"
        link.symlink_to(target)
        plain = tmp_path / f"hunk-msg-{dead}-zz_file1"
        plain.write_text("not a folder")
        try:
            removed = sweep("hunk-msg-", tmp_path)
        finally:
            live.kill()

    assert removed == [stale] and not stale.exists()
    assert all(folder.is_dir() for folder in kept)
    assert link.is_symlink() and (target / "precious").read_text() == "keep" and plain.is_file()


def test_a_folder_of_another_user_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = tmp_path / f"hunk-msg-{dead_pid()}-ab_cd123"
    theirs.mkdir()
    monkeypatch.setattr(os, "getuid", lambda: theirs.stat().st_uid + 1)  # as another user sees it
    assert sweep("hunk-msg-", tmp_path) == [] and theirs.is_dir()


def test_the_folder_is_named_after_its_process_and_gone_afterwards(tmp_path: Path) -> None:
    with temp_dir("hunk-msg-") as folder:
        (folder / "COMMIT_MSG").write_text("x")
        assert folder.parent == Path(tempfile.gettempdir())
        assert folder.name.startswith(f"hunk-msg-{os.getpid()}-")
    assert not folder.exists()


def test_a_commit_after_a_killed_commit_removes_its_leftover_message(tmp_path: Path) -> None:
    """Kill a process inside `commit_index` (a pre-commit hook that waits), then commit again."""
    root = make_repo(tmp_path / "repo", {"a.txt": "one\n"})
    (root / "a.txt").write_text("two\n")
    git(root, "add", "a.txt")
    hook = root / ".git" / "hooks" / "pre-commit"
    ready = tmp_path / "ready"
    hook.write_text(f"#!/bin/sh\ntouch {ready}\nsleep 30\n")
    hook.chmod(0o755)
    script = (
        "import sys; from pathlib import Path; from hunk.workspace.git import commit_index, open_repo\n"
        "commit_index(open_repo(Path(sys.argv[1])), 'msg', index_file=Path(sys.argv[1], '.git', 'index'), verify=True)\n"
    )
    victim = subprocess.Popen([sys.executable, "-c", script, str(root)], start_new_session=True)
    try:
        for _ in range(600):
            if ready.exists() or victim.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
    left = sorted(Path(tempfile.gettempdir()).glob(f"hunk-msg-{victim.pid}-*"))
    assert len(left) == 1 and (left[0] / "COMMIT_MSG").read_text() == "msg"

    hook.unlink()
    commit_index(open_repo(root), "again", index_file=root / ".git" / "index", verify=True)

    assert not left[0].exists()
    assert git(root, "log", "-1", "--format=%s").strip() == "again"
    assert list(Path(tempfile.gettempdir()).glob("hunk-msg-*")) == []
