"""Commit time is safe: a hook cannot sweep the person's work into the agent's commit, and a
crash at any point of the commit can be told apart afterwards (the intent names the tree)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import Intent, commit_accepted, finish_interrupted_commit
from hunk.workspace.errors import HookFailed
from hunk.workspace.git import open_repo
from tests.workspace.conftest import git, write

BASE = b"".join(b"line %d\n" % i for i in range(1, 11))


def _hook(root: Path, name: str, body: str) -> None:
    hook = root / ".git" / "hooks" / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755)


def _agent_change(root: Path) -> FileChange:
    before = (root / "agent.txt").read_bytes()
    after = before.replace(b"line 3\n", b"agent three\n")
    (root / "agent.txt").write_bytes(after)
    return FileChange("agent.txt", before, after, 0o100644, 0o100644, "edit_file")


def test_a_pre_commit_hook_that_stages_the_persons_edits_gets_the_commit_taken_back(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"agent.txt": BASE, "mine.txt": BASE})
    head = git(root, "rev-parse", "HEAD").strip()
    write(root, {"mine.txt": BASE.replace(b"line 5\n", b"my unstaged edit\n")})
    index_before = git(root, "ls-files", "-s")
    _hook(root, "pre-commit", "git add -u\n")
    change = _agent_change(root)

    with pytest.raises(HookFailed) as refused:
        commit_accepted(open_repo(root), [change], "Agent edit")

    assert "pre-commit" in str(refused.value) and "mine.txt" in str(refused.value)
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert git(root, "ls-files", "-s") == index_before
    assert (root / "mine.txt").read_bytes() == BASE.replace(b"line 5\n", b"my unstaged edit\n")


def test_a_hook_that_leaves_the_planned_tree_alone_commits(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"agent.txt": BASE, "mine.txt": BASE})
    write(root, {"mine.txt": BASE.replace(b"line 5\n", b"my unstaged edit\n")})
    _hook(root, "pre-commit", "git diff --cached --quiet -- mine.txt\n")
    result = commit_accepted(open_repo(root), [_agent_change(root)], "Agent edit")
    assert result.sha and git(root, "diff-tree", "-r", "--name-only", "--no-commit-id", "HEAD").split() == ["agent.txt"]


def test_the_intent_names_the_tree_before_git_commit_runs_and_recovery_recognises_the_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"agent.txt": BASE})
    head = git(root, "rev-parse", "HEAD").strip()
    seen: list[Intent] = []

    def on_intent(intent: Intent) -> None:
        assert git(root, "rev-parse", "HEAD").strip() == head  # not committed yet
        seen.append(intent)

    index_before = (root / ".git" / "index").read_bytes()
    result = commit_accepted(open_repo(root), [_agent_change(root)], "Agent edit", on_intent=on_intent)

    assert seen and seen[0]["head"] == head
    assert seen[0]["tree"] == git(root, "rev-parse", "HEAD^{tree}").strip()
    # a crash after `git commit` but before the person's index got its entries
    (root / ".git" / "index").write_bytes(index_before)
    (root / ".git" / "hunk" / "hunk-index-stray").write_bytes(b"left by a kill")
    assert git(root, "status", "--porcelain") != ""
    assert finish_interrupted_commit(open_repo(root), seen[0]) == result.sha
    assert git(root, "status", "--porcelain") == ""
    assert list((root / ".git" / "hunk").glob("hunk-index-*")) == []


def test_recovery_sees_an_unfinished_commit_as_not_made(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"agent.txt": BASE})
    head = git(root, "rev-parse", "HEAD").strip()
    (root / ".git" / "hunk-index-0123").write_bytes(b"stray from an older hunk")
    intent: Intent = {"head": head, "tree": "0" * 40, "index": {}}
    assert finish_interrupted_commit(open_repo(root), intent) is None
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert list((root / ".git").glob("hunk-index-*")) == []
