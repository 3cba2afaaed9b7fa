"""Every repository state the engine refuses or allows, each with one clear line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import commit_accepted
from hunk.workspace.errors import GitStateError
from hunk.workspace.git import branch_name, head_sha, is_dirty, open_repo, repo_state
from tests.workspace.conftest import blob_at, git

ADD = [FileChange("new.txt", None, b"agent\n", None, 0o100644)]


def on_disk(root: Path) -> None:
    (root / "new.txt").write_bytes(b"agent\n")


def test_not_a_repository_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(GitStateError) as caught:
        open_repo(tmp_path)
    assert "is not inside a git repository" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_open_repo_finds_the_top_level_from_a_subfolder(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"src/pkg/mod.py": b"x = 1\n"})
    repo = open_repo(root / "src" / "pkg")
    assert repo.root == root and repo.git_dir == root / ".git"
    assert branch_name(repo) == "main" and head_sha(repo) == git(root, "rev-parse", "HEAD").strip()


def test_bare_repository_is_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "bare.git")
    with pytest.raises(GitStateError, match="bare"):
        open_repo(tmp_path / "bare.git")


def test_unborn_branch_gets_the_root_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"user.txt": b"mine\n"}, commit=False)
    repo = open_repo(root)
    state = repo_state(repo)
    assert state.unborn and state.branch == "main" and not state.detached
    on_disk(root)
    result = commit_accepted(repo, ADD, "Add new.txt")
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"
    assert result.files == ("new.txt",)
    assert git(root, "ls-tree", "--name-only", "HEAD").split() == ["new.txt"]
    assert git(root, "status", "--porcelain").splitlines() == ["?? user.txt"]


def test_detached_head_commits_without_moving_any_branch(make_repo: Callable[..., Path]) -> None:
    root = make_repo()
    main = git(root, "rev-parse", "main").strip()
    git(root, "checkout", "-q", "--detach")
    repo = open_repo(root)
    assert repo_state(repo).detached and branch_name(repo) is None
    on_disk(root)
    result = commit_accepted(repo, ADD, "Add new.txt")
    assert git(root, "rev-parse", "HEAD").strip() == result.sha
    assert git(root, "rev-parse", "main").strip() == main


@pytest.mark.parametrize(
    ("marker", "operation"),
    [
        ("MERGE_HEAD", "merge"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
        ("rebase-merge", "rebase"),
    ],
)
def test_operation_in_progress_refuses_to_commit(
    make_repo: Callable[..., Path], marker: str, operation: str
) -> None:
    root = make_repo()
    head = git(root, "rev-parse", "HEAD").strip()
    if marker.startswith("rebase"):
        (root / ".git" / marker).mkdir()
    else:
        (root / ".git" / marker).write_text(head + "\n")
    on_disk(root)
    with pytest.raises(GitStateError, match=f"A {operation} is in progress") as caught:
        commit_accepted(open_repo(root), ADD, "Add new.txt")
    assert "\n" not in str(caught.value)
    assert git(root, "rev-parse", "HEAD").strip() == head


def test_real_merge_conflict_refuses_to_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": b"base\n"})
    git(root, "checkout", "-q", "-b", "other")
    (root / "a.txt").write_bytes(b"other\n")
    git(root, "commit", "-qam", "other")
    git(root, "checkout", "-q", "main")
    (root / "a.txt").write_bytes(b"main\n")
    git(root, "commit", "-qam", "main")
    subprocess.run(["git", "merge", "-q", "other"], cwd=root, capture_output=True)
    assert repo_state(open_repo(root)).operation == "merge"
    with pytest.raises(GitStateError, match="merge is in progress"):
        commit_accepted(open_repo(root), ADD, "Add new.txt")


def test_index_lock_is_reported_and_never_removed(make_repo: Callable[..., Path]) -> None:
    root = make_repo()
    lock = root / ".git" / "index.lock"
    lock.write_bytes(b"")
    on_disk(root)
    with pytest.raises(GitStateError, match="index.lock exists") as caught:
        commit_accepted(open_repo(root), ADD, "Add new.txt")
    assert "\n" not in str(caught.value)
    assert lock.exists()
    assert blob_at(root, "HEAD", "new.txt") is None


def test_missing_identity_is_a_git_error_not_a_crash(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo()
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("EMAIL", "")
    git(root, "config", "user.useConfigOnly", "true")
    on_disk(root)
    with pytest.raises(GitStateError, match="git commit failed"):
        commit_accepted(open_repo(root), ADD, "Add new.txt")
    assert git(root, "status", "--porcelain").splitlines() == ["?? new.txt"]


def test_is_dirty_sees_untracked_files_unless_told_not_to(make_repo: Callable[..., Path]) -> None:
    root = make_repo()
    repo = open_repo(root)
    assert not is_dirty(repo)
    (root / "scratch").write_bytes(b"")
    assert is_dirty(repo) and not is_dirty(repo, untracked=False)


def test_importing_the_workspace_does_not_load_gitpython() -> None:
    code = (
        "import sys, hunk.workspace.git, hunk.workspace.tree, hunk.workspace.commits;"
        "print('git' in sys.modules, 'textual' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
