"""The work tree's top and the header's branch, read from the files without git, agree with git itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hunk.cli.context import find_root
from hunk.cli.exits import UsageError
from hunk.workspace.git import branch_name
from hunk.workspace.head import head_branch, work_tree_top
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


def _git_top(cwd: Path) -> Path | None:
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True)
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _read_top(cwd: Path) -> Path | None:
    try:
        return work_tree_top(cwd)
    except LookupError:
        return None


def _hunks_top(cwd: Path) -> Path | None:
    try:
        return find_root(cwd)
    except UsageError:
        return None


def test_the_top_read_from_the_files_is_gits_own_or_left_to_git(tmp_path: Path) -> None:
    """Wherever hunk may start, the top it reads without git is the one git finds, or it asks git."""
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n", "deep/er/b.txt": "b\n"})
    git(repo, "worktree", "add", "-q", "-b", "side", str(tmp_path / "side"))
    sub_source = make_repo(tmp_path / "lib", {"lib.txt": "l\n"})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub_source), "vendor/lib")
    make_repo(repo / "nested", {"n.txt": "n\n"})  # a repository inside another's work tree
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    (tmp_path / "plain" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(repo / "deep")
    places = {
        "top": (repo, repo),
        "deep folder": (repo / "deep" / "er", repo),
        "linked worktree": (tmp_path / "side", tmp_path / "side"),
        "submodule": (repo / "vendor" / "lib", None),  # its config names core.worktree: git decides
        "nested repository": (repo / "nested", repo / "nested"),
        "through a symlink": (tmp_path / "link", repo),
        "inside .git": (repo / ".git" / "refs", None),
        "bare repository": (bare, None),
        "no repository": (tmp_path / "plain" / "sub", None),
    }
    for name, (cwd, read) in places.items():
        assert _read_top(cwd) == read, name
        assert _hunks_top(cwd) == _git_top(cwd), name  # either way, hunk's answer is git's
    assert _git_top(tmp_path / "plain" / "sub") is None  # (tmp_path is not inside a repository)


def test_whatever_git_would_question_is_left_to_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    assert _read_top(repo) == repo
    with (repo / ".git" / "config").open("a") as config:
        config.write("[core]\n\tworktree = ../elsewhere\n")
    assert _read_top(repo) is None
    other = make_repo(tmp_path / "other", {"a.txt": "a\n"})
    git(other, "config", "core.bare", "true")
    assert _read_top(other) is None
    pointer = make_repo(tmp_path / "pointer", {}, commit=False)
    shutil.rmtree(pointer / ".git")
    (pointer / ".git").write_text("gitdir: ../nowhere\n")
    assert _read_top(pointer) is None
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES"):
        with monkeypatch.context() as env:
            env.setenv(name, str(tmp_path))
            assert _read_top(repo / "..") is None and _read_top(pointer) is None


def test_a_repository_owned_by_someone_else_is_left_to_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(repo).st_uid + 1)
    assert _read_top(repo) is None
