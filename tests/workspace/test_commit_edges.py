"""The commit engine's edges, with real git: the person's own mode change, hooks that refuse or
move HEAD, recovery after a crash, the tangled files, undo on a detached HEAD, after later
commits and of a mode change, and the patches shown."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import (
    CommitResult,
    Intent,
    commit_accepted,
    entangled,
    finish_interrupted_commit,
    show_commits,
    undo_last,
)
from hunk.workspace.errors import GitStateError, HookFailed, UndoConflict
from hunk.workspace.git import open_repo
from tests.workspace.conftest import blob_at, git, staged, write
from tests.workspace.test_undo import agent_commit

BASE = b"".join(b"line %d\n" % i for i in range(1, 21))
NOTE = "hunk: undo agent commit"


def _hook(root: Path, name: str, body: str) -> None:
    hook = root / ".git" / "hooks" / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755)


def _edit(root: Path, path: str, old: bytes, new: bytes) -> FileChange:
    before = (root / path).read_bytes()
    assert old in before
    after = before.replace(old, new, 1)
    mode = 0o100755 if os.access(root / path, os.X_OK) else 0o100644
    (root / path).write_bytes(after)
    return FileChange(path, before, after, mode, mode, "edit_file")


def _head(root: Path, rev: str = "HEAD") -> str:
    return git(root, "rev-parse", rev).strip()


def _mode_in(root: Path, rev: str, path: str) -> str:
    return git(root, "ls-tree", rev, "--", path).split()[0]


# --- commit ----------------------------------------------------------------------------------


def test_the_persons_own_mode_change_stays_out_of_the_agents_commit(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"run.sh": BASE})
    (root / "run.sh").chmod(0o755)  # the person's, not staged
    change = _edit(root, "run.sh", b"line 3\n", b"agent three\n")
    assert (change.before_mode, change.after_mode) == (0o100755, 0o100755)
    commit_accepted(open_repo(root), [change], "Agent edit")
    assert blob_at(root, "HEAD", "run.sh") == change.after
    assert _mode_in(root, "HEAD", "run.sh") == "100644"
    assert git(root, "ls-files", "-s", "run.sh").split()[0] == "100644"
    assert os.access(root / "run.sh", os.X_OK)


def test_an_ignored_file_the_person_staged_is_tangled_not_skipped_as_ignored(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({".gitignore": b"build/\n"})
    write(root, {"build/keep.txt": BASE})
    git(root, "add", "-f", "build/keep.txt")  # the person's new file, in the index only
    change = _edit(root, "build/keep.txt", b"line 2\n", b"agent two\n")
    result = commit_accepted(open_repo(root), [change], "Agent edit")
    # the person is asked whether to commit it whole, rather than it being silently left out
    assert result == CommitResult(None, (), ("build/keep.txt",), ())
    write(root, {"build/out.txt": b"agent build\n"})
    only_ignored = [FileChange("build/out.txt", None, b"agent build\n", None, 0o100644)]
    assert commit_accepted(open_repo(root), only_ignored, "Build") == CommitResult(
        None, (), (), ("build/out.txt",)
    )


def test_a_refusing_prepare_commit_msg_hook_is_a_hook_failure(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    head = _head(root)
    _hook(root, "prepare-commit-msg", "echo 'no ticket number' >&2\nexit 1\n")
    change = _edit(root, "a.txt", b"line 1\n", b"one\n")
    with pytest.raises(HookFailed) as caught:
        commit_accepted(open_repo(root), [change], "Agent edit")
    assert str(caught.value) == (
        "A commit hook of the repository refused the commit; nothing was committed and the "
        "changes are still on disk."
    )
    assert "no ticket number" in caught.value.output
    assert _head(root) == head


def test_a_hook_that_sweeps_in_the_persons_edit_is_named_with_every_hook_and_path(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"agent.txt": BASE, "mine.txt": BASE, "ours.txt": BASE})
    head = _head(root)
    write(root, {"mine.txt": b"mine\n", "ours.txt": b"ours\n"})
    _hook(root, "pre-commit", "git add -u\n")
    _hook(root, "commit-msg", "exit 0\n")
    with pytest.raises(HookFailed) as caught:
        commit_accepted(open_repo(root), [_edit(root, "agent.txt", b"line 1\n", b"1\n")], "Agent")
    assert str(caught.value) == (
        "The pre-commit / commit-msg hook changed what was to be committed (mine.txt, ours.txt); "
        "hunk took the commit back. The changes are still on disk, uncommitted."
    )
    assert caught.value.output == ""
    assert _head(root) == head and _head(root, "main") == head
    assert git(root, "reflog", "-1", "--format=%gs", "main") == NOTE + "\n"


def test_a_swept_file_in_a_folder_is_named_by_its_whole_path_whatever_its_bytes(
    make_repo: Callable[..., Path],
) -> None:
    name = os.fsdecode(b"sub/caf\xe9.txt")
    root = make_repo({"agent.txt": BASE, name: BASE})
    write(root, {name: b"mine\n"})
    _hook(root, "pre-commit", "git add -u\n")
    with pytest.raises(HookFailed) as caught:
        commit_accepted(open_repo(root), [_edit(root, "agent.txt", b"line 1\n", b"1\n")], "Agent")
    assert f"changed what was to be committed ({name});" in str(caught.value)


def test_a_hook_that_moves_head_back_is_a_git_failure_not_a_success(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    head = _head(root)
    _hook(root, "post-commit", "git reset -q --soft HEAD^\n")
    with pytest.raises(GitStateError) as caught:
        commit_accepted(open_repo(root), [_edit(root, "a.txt", b"line 1\n", b"1\n")], "Agent")
    assert str(caught.value) == "git commit failed: HEAD did not move"
    assert not isinstance(caught.value, HookFailed)
    assert _head(root) == head


def test_the_intent_carries_the_persons_index_entries_for_recovery(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    seen: list[Intent] = []
    change = _edit(root, "a.txt", b"line 1\n", b"one\n")
    index_before = (root / ".git" / "index").read_bytes()
    result = commit_accepted(open_repo(root), [change], "Agent", on_intent=seen.append)
    (intent,) = seen
    blob = git(root, "rev-parse", "HEAD:a.txt").strip()
    assert intent["index"] == {"a.txt": (blob, 0o100644)}
    (root / ".git" / "index").write_bytes(index_before)  # killed before the index was updated
    assert finish_interrupted_commit(open_repo(root), intent) == result.sha
    assert staged(root, "a.txt") == change.after


def test_recovery_takes_back_a_commit_whose_tree_is_not_the_planned_one(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    before = _head(root)
    write(root, {"a.txt": b"swept in\n"})
    git(root, "commit", "-qam", "what a hook made of it")
    made = _head(root)
    intent: Intent = {"head": before, "tree": "0" * 40, "index": {}}
    assert finish_interrupted_commit(open_repo(root), intent) is None
    assert _head(root) == before and _head(root, "main") == before
    assert git(root, "cat-file", "-t", made).strip() == "commit"  # taken back, not destroyed


def test_recovery_leaves_a_head_that_moved_some_other_way(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    before = _head(root)
    for text in (b"one\n", b"two\n"):  # two commits: HEAD's parent is not the intent's head
        write(root, {"a.txt": text})
        git(root, "commit", "-qam", "the person's")
    now = _head(root)
    tree = git(root, "rev-parse", "HEAD^{tree}").strip()
    assert finish_interrupted_commit(open_repo(root), {"head": before, "tree": tree}) is None
    assert _head(root) == now


def test_recovery_after_a_crash_before_the_first_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"keep.txt": b"k\n"}, commit=False)
    assert finish_interrupted_commit(open_repo(root), {"head": None, "tree": "0" * 40}) is None
    write(root, {"a.txt": b"a\n"})
    seen: list[Intent] = []
    add = [FileChange("a.txt", None, b"a\n", None, 0o100644)]
    result = commit_accepted(open_repo(root), add, "Add a", on_intent=seen.append)
    assert seen[0]["head"] is None
    assert finish_interrupted_commit(open_repo(root), seen[0]) == result.sha


# --- entangled -------------------------------------------------------------------------------


def test_entangled_names_only_tangled_files_with_heads_content_as_on_disk(
    make_repo: Callable[..., Path],
) -> None:
    crlf = BASE.replace(b"\n", b"\r\n")
    root = make_repo({".gitattributes": b"*.txt text eol=crlf\n", "a.txt": crlf, "b.bin": BASE})
    (root / "b.bin").chmod(0o755)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "modes and line ends")
    write(root, {"a.txt": crlf.replace(b"line 5\r\n", b"user five\r\n")})
    write(root, {"b.bin": BASE.replace(b"line 5\n", b"user five\n")})
    changes = [
        _edit(root, "a.txt", b"user five\r\n", b"agent five\r\n"),
        _edit(root, "b.bin", b"user five\n", b"agent five\n"),
        _edit(root, "b.bin", b"line 9\n", b"agent nine\n"),  # separable on its own
    ]
    assert entangled(open_repo(root), changes) == {
        "a.txt": (crlf, 0o100644),
        "b.bin": (BASE, 0o100755),
    }
    assert entangled(open_repo(root), changes[2:]) == {}


# --- undo ------------------------------------------------------------------------------------


def test_undo_on_a_detached_head_moves_head_only(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    first = _head(root)
    git(root, "checkout", "-q", "--detach")
    sha = agent_commit(root)
    result = undo_last(open_repo(root), sha)
    assert (result.mode, result.sha, result.files) == ("reset", first, ("a.txt", "new/file.txt"))
    assert _head(root) == first and _head(root, "main") == first
    assert git(root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "HEAD"  # still detached
    assert git(root, "reflog", "-1", "--format=%gs", "HEAD") == NOTE + "\n"
    assert (root / "a.txt").read_bytes() == BASE and not (root / "new").exists()


def test_undo_of_a_root_commit_on_a_detached_head_reverts_it(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"keep.txt": b"user\n"}, commit=False)
    write(root, {"a.txt": BASE})
    add = [FileChange("a.txt", None, BASE, None, 0o100644)]
    sha = commit_accepted(open_repo(root), add, "Add a").sha or ""
    git(root, "checkout", "-q", "--detach")  # HEAD names the root commit, no branch
    result = undo_last(open_repo(root), sha)
    assert result.mode == "revert" and result.sha == _head(root)
    assert _head(root, "HEAD~1") == sha and _head(root, "main") == sha
    assert git(root, "ls-tree", "--name-only", "HEAD") == ""
    assert not (root / "a.txt").exists() and (root / "keep.txt").read_bytes() == b"user\n"


def test_undo_after_later_commits_reverts_only_the_agents_lines(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE, "other.txt": b"other\n"})
    sha = agent_commit(root)
    write(root, {"a.txt": (root / "a.txt").read_bytes().replace(b"line 2\n", b"user two\n")})
    git(root, "commit", "-qam", "The person's later commit")
    later = _head(root)
    result = undo_last(open_repo(root), sha)
    assert (result.mode, _head(root, "HEAD~1")) == ("revert", later)
    assert git(root, "log", "-1", "--format=%s").strip() == 'Revert "Agent work"'
    assert git(root, "log", "-1", "--format=%b").strip() == f"This reverts commit {sha}."
    assert blob_at(root, "HEAD", "a.txt") == BASE.replace(b"line 2\n", b"user two\n")
    assert blob_at(root, "HEAD", "new/file.txt") is None
    assert blob_at(root, "HEAD", "other.txt") == b"other\n"
    assert git(root, "status", "--porcelain") == ""


def test_a_revert_goes_through_the_persons_hooks(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    sha = agent_commit(root)
    git(root, "update-ref", "refs/remotes/origin/main", sha)  # pushed: undo makes a revert
    _hook(root, "pre-commit", "exit 1\n")
    with pytest.raises(HookFailed):
        undo_last(open_repo(root), sha)
    assert _head(root) == sha
    assert (root / "new" / "file.txt").read_bytes() == b"agent file\n"


def test_undo_of_a_mode_change_puts_the_old_mode_back_on_disk(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"run.sh": b"echo\n"})
    (root / "run.sh").chmod(0o755)
    sha = commit_accepted(
        open_repo(root), [FileChange("run.sh", b"echo\n", b"echo\n", 0o100644, 0o100755)], "Exec"
    ).sha
    undo_last(open_repo(root), sha or "")
    assert not os.access(root / "run.sh", os.X_OK)
    assert git(root, "status", "--porcelain") == ""


def test_every_tangled_file_is_named_and_nothing_changes(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    sha = agent_commit(root)
    write(
        root,
        {
            "a.txt": (root / "a.txt").read_bytes().replace(b"agent nineteen\n", b"mine\n"),
            "new/file.txt": b"mine too\n",
        },
    )
    with pytest.raises(UndoConflict) as caught:
        undo_last(open_repo(root), sha)
    assert caught.value.paths == ("a.txt", "new/file.txt")
    assert str(caught.value) == (
        "Cannot undo: a.txt, new/file.txt changed since the agent's commit in the same lines. "
        "Nothing was changed."
    )
    assert _head(root) == sha


def test_undo_of_a_commit_elsewhere_names_it_by_twelve_characters(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    git(root, "checkout", "-q", "-b", "side")
    sha = agent_commit(root)
    git(root, "checkout", "-q", "main")
    with pytest.raises(GitStateError) as caught:
        undo_last(open_repo(root), sha)
    assert str(caught.value) == (
        f"Commit {sha[:12]} is not in this branch's history; there is nothing to undo."
    )


def test_undo_of_a_file_whose_name_is_not_utf8(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    name = os.fsdecode(b"caf\xe9.txt")
    (root / name).write_bytes(b"agent\n")
    sha = commit_accepted(
        open_repo(root), [FileChange(name, None, b"agent\n", None, 0o100644)], "Add"
    ).sha
    result = undo_last(open_repo(root), sha or "")
    assert result.files == (name,)
    assert not (root / name).exists()


# --- show ------------------------------------------------------------------------------------


def test_show_commits_gives_the_patches_in_the_order_given_without_colour(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    git(root, "config", "color.ui", "always")
    first = commit_accepted(open_repo(root), [_edit(root, "a.txt", b"line 1\n", b"1\n")], "First")
    second = commit_accepted(open_repo(root), [_edit(root, "a.txt", b"line 9\n", b"9\n")], "Second")
    out = show_commits(root, [first.sha or "", second.sha or ""])
    assert out.startswith(f"commit {first.sha}\n\n    First\n")
    assert f"commit {second.sha}\n\n    Second\n" in out
    assert out.index("+1\n") < out.index("Second") < out.index("+9\n")
    assert "\x1b[" not in out
    assert show_commits(root, []) == ""
    latin = commit_accepted(
        open_repo(root), [_edit(root, "a.txt", b"line 5\n", b"caf\xe9\n")], "Latin-1 bytes"
    )
    assert "+caf\ufffd\n" in show_commits(root, [latin.sha or ""])
