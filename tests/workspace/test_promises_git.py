"""The two promises against real git, end to end: random user state (staged, unstaged,
untracked), random agent changes, random verdicts → write the accepted result, commit it, and
read back HEAD, the index and the working tree.

Each example builds a fresh repository (a handful of git processes), so this test runs fewer
examples than `test_promises_pure.py`, which checks the same contents a thousand times.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings

from hunk.workspace import tree
from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import commit_accepted
from hunk.workspace.git import open_repo
from tests.workspace.conftest import git, write
from tests.workspace.scenarios import Scenario, decide, scenarios


def contents(root: Path, rev: str) -> dict[str, bytes]:
    """Every blob of a tree-ish ("HEAD") or of the index (rev == "")."""
    if rev:
        listing = git(root, "ls-tree", "-r", "-z", "HEAD").split("\0")
        entries = [(line.split("\t", 1)[1], line.split()[2]) for line in listing if line]
    else:
        listing = git(root, "ls-files", "-s", "-z").split("\0")
        entries = [(line.split("\t", 1)[1], line.split()[1]) for line in listing if line]
    ids = "".join(f"{sha}\n" for _, sha in entries).encode()
    out = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=ids, capture_output=True, check=True
    ).stdout
    result, position = {}, 0
    for path, _ in entries:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[2])
        result[path] = out[end + 1 : end + 1 + size]
        position = end + size + 2
    return result


def setup_repo(root: Path, scenario: Scenario) -> None:
    git(root, "init", "-q", "-b", "main")
    head = {t.path: t.build("head") for t in scenario.texts}
    head.update({w.path: w.head for w in scenario.wholes if w.head is not None})
    write(root, {"keep.txt": b"untouched\n", **head})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    write(root, {t.path: t.build("staged") for t in scenario.texts})
    git(root, "add", "-A")
    write(root, {t.path: t.build("worktree") for t in scenario.texts})
    write(root, {"notes/untracked.txt": scenario.untracked})


def review_and_write(root: Path, scenario: Scenario) -> list[FileChange]:
    """What the agent loop does: decide hunk by hunk, put the accepted result on disk."""
    changes = []
    for index, text in enumerate(scenario.texts):
        if not text.agent_slots:
            continue
        changes.append(decide(text.proposal, scenario.verdicts[index])[1])
    for whole in scenario.wholes:
        changes.append(decide(whole.proposal, whole.accepted)[1])
    for change in changes:
        tree.write_atomic(root, change.path, change.after, change.after_mode)
    return changes


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenarios())
def test_history_index_and_tree_hold_exactly_the_accepted_hunks(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        setup_repo(root, scenario)
        base = git(root, "rev-parse", "HEAD").strip()
        changes = review_and_write(root, scenario)
        result = commit_accepted(open_repo(root), changes, "Agent changes")

        expected_head = {"keep.txt": b"untouched\n"}
        expected_index = {"keep.txt": b"untouched\n"}
        expected_disk = {"keep.txt": b"untouched\n", "notes/untracked.txt": scenario.untracked}
        for index, text in enumerate(scenario.texts):
            accepted = scenario.accepted(index)
            expected_head[text.path] = text.build("head", accepted)
            expected_index[text.path] = text.build("staged", accepted)
            expected_disk[text.path] = text.build("worktree", accepted)
        for whole in scenario.wholes:
            final = whole.after if whole.accepted else whole.head
            for expected in (expected_head, expected_index, expected_disk):
                if final is not None:
                    expected[whole.path] = final

        assert result.unseparable == () and result.ignored == ()
        event("committed" if result.sha else "nothing accepted")
        staged_by_user = any(s.owner in ("staged", "both") for t in scenario.texts for s in t.slots)
        event("user had staged edits" if staged_by_user else "user had nothing staged")
        if result.sha is None:
            assert git(root, "rev-parse", "HEAD").strip() == base
            assert not any(c.after != c.before for c in changes)
        else:
            assert git(root, "rev-parse", "HEAD~1").strip() == base
        assert contents(root, "HEAD") == expected_head
        assert contents(root, "") == expected_index
        on_disk = {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and ".git" not in p.relative_to(root).parts
        }
        assert on_disk == expected_disk
