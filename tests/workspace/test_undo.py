"""Taking back the agent's last commit: reset when unpushed, revert otherwise; user work stays."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import commit_accepted, undo_last
from hunk.workspace.errors import GitStateError, UndoConflict
from hunk.workspace.git import open_repo
from tests.workspace.conftest import blob_at, git, staged, write

BASE = b"".join(b"line %d\n" % i for i in range(1, 21))


def agent_commit(root: Path) -> str:
    """The agent edits a.txt (line 19) and adds new/file.txt, and commits both."""
    before = (root / "a.txt").read_bytes()
    after = before.replace(b"line 19\n", b"agent nineteen\n")
    write(root, {"a.txt": after, "new/file.txt": b"agent file\n"})
    changes = [
        FileChange("a.txt", before, after, 0o100644, 0o100644),
        FileChange("new/file.txt", None, b"agent file\n", None, 0o100644),
    ]
    sha = commit_accepted(open_repo(root), changes, "Agent work").sha
    assert sha
    return sha


def test_undo_of_unpushed_head_moves_the_branch_back_and_keeps_user_work(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    first = git(root, "rev-parse", "HEAD").strip()
    write(root, {"a.txt": BASE.replace(b"line 2\n", b"user two\n"), "scratch.txt": b"mine\n"})
    sha = agent_commit(root)
    write(root, {"a.txt": (root / "a.txt").read_bytes().replace(b"line 10\n", b"user ten\n")})
    git(root, "add", "a.txt")
    result = undo_last(open_repo(root), sha)
    assert (result.mode, result.sha) == ("reset", first)
    assert git(root, "rev-parse", "main").strip() == first
    user_state = BASE.replace(b"line 2\n", b"user two\n").replace(b"line 10\n", b"user ten\n")
    assert (root / "a.txt").read_bytes() == user_state
    assert staged(root, "a.txt") == user_state
    assert not (root / "new").exists()
    assert (root / "scratch.txt").read_bytes() == b"mine\n"


def test_undo_of_a_pushed_commit_makes_a_revert_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    sha = agent_commit(root)
    git(root, "update-ref", "refs/remotes/origin/main", sha)
    write(root, {"a.txt": (root / "a.txt").read_bytes().replace(b"line 1\n", b"user one\n")})
    result = undo_last(open_repo(root), sha)
    assert result.mode == "revert"
    assert git(root, "rev-parse", "HEAD~1").strip() == sha
    assert git(root, "log", "-1", "--format=%s").strip() == 'Revert "Agent work"'
    assert blob_at(root, "HEAD", "a.txt") == BASE
    assert blob_at(root, "HEAD", "new/file.txt") is None
    assert (root / "a.txt").read_bytes() == BASE.replace(b"line 1\n", b"user one\n")
    assert staged(root, "a.txt") == BASE


def test_undo_that_would_touch_later_user_edits_changes_nothing(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    sha = agent_commit(root)
    tangled = (root / "a.txt").read_bytes().replace(b"agent nineteen\n", b"user rewrote it\n")
    write(root, {"a.txt": tangled})
    with pytest.raises(UndoConflict) as caught:
        undo_last(open_repo(root), sha)
    assert caught.value.paths == ("a.txt",)
    assert git(root, "rev-parse", "HEAD").strip() == sha
    assert (root / "a.txt").read_bytes() == tangled
    assert (root / "new/file.txt").exists()


def test_undo_of_the_root_commit_leaves_an_unborn_branch(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"keep.txt": b"user\n"}, commit=False)
    write(root, {"a.txt": BASE})
    sha = commit_accepted(
        open_repo(root), [FileChange("a.txt", None, BASE, None, 0o100644)], "Add a"
    ).sha
    result = undo_last(open_repo(root), sha or "")
    assert (result.mode, result.sha) == ("reset", None)
    assert not (root / "a.txt").exists() and (root / "keep.txt").read_bytes() == b"user\n"
    assert git(root, "status", "--porcelain").splitlines() == ["?? keep.txt"]


def test_undo_of_a_commit_not_in_history_is_refused(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    git(root, "checkout", "-q", "-b", "side")
    sha = agent_commit(root)
    git(root, "checkout", "-q", "main")
    with pytest.raises(GitStateError, match="not in this branch's history"):
        undo_last(open_repo(root), sha)
