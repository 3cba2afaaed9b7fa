"""The header's branch, read from HEAD without git, agrees with git itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.workspace.git import branch_name
from hunk.workspace.head import head_branch
from tests.gitrepo import git, make_repo


def test_a_branch_an_unborn_branch_and_a_detached_head_read_as_git_says(tmp_path: Path) -> None:
    unborn = make_repo(tmp_path / "unborn", {}, commit=False)
    assert head_branch(unborn) == branch_name(unborn) == "main"
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    git(repo, "switch", "-q", "-c", "feature/slash-name")
    assert head_branch(repo) == branch_name(repo) == "feature/slash-name"
    git(repo, "switch", "-q", "--detach", "HEAD")
    assert head_branch(repo) is None and branch_name(repo) is None


def test_a_linked_worktree_reads_its_own_head(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    assert head_branch(tmp_path / "side") == branch_name(tmp_path / "side") == "side"
    assert head_branch(repo) == "main"


def test_what_it_cannot_read_is_left_to_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    (repo / ".git" / "HEAD").write_text("ref: refs/remotes/origin/main\n")
    with pytest.raises(LookupError):
        head_branch(repo)
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    with pytest.raises(LookupError):
        head_branch(repo)
    with pytest.raises(LookupError):
        head_branch(tmp_path)  # no repository at all
