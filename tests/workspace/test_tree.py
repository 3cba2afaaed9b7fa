"""The working tree on disk: states, atomic writes, and snapshots of command side effects."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.workspace import tree
from hunk.workspace.errors import WorkspaceError
from tests.workspace.conftest import git, write


def test_read_state_gives_content_and_git_mode(tmp_path: Path) -> None:
    (tmp_path / "plain").write_bytes(b"a\r\n")
    (tmp_path / "tool").write_bytes(b"#!/bin/sh\n")
    (tmp_path / "tool").chmod(0o755)
    (tmp_path / "link").symlink_to("plain")
    assert tree.read_state(tmp_path, "plain") == (b"a\r\n", 0o100644)
    assert tree.read_state(tmp_path, "tool") == (b"#!/bin/sh\n", 0o100755)
    assert tree.read_state(tmp_path, "link") == (b"plain", 0o120000)
    assert tree.read_state(tmp_path, "missing") == (None, None)


def test_read_state_refuses_paths_outside_the_root(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not a path inside"):
        tree.read_state(tmp_path, "../etc/passwd")


def test_write_atomic_keeps_the_permission_bits_of_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "script.sh"
    target.write_bytes(b"old\n")
    target.chmod(0o750)
    tree.write_atomic(tmp_path, "script.sh", b"new\n", 0o100755)
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["script.sh"]  # no temporary left behind


def test_write_atomic_sets_the_executable_mode(tmp_path: Path) -> None:
    tree.write_atomic(tmp_path, "run", b"x", 0o100755)
    assert tree.read_state(tmp_path, "run") == (b"x", 0o100755)
    tree.write_atomic(tmp_path, "run", b"x", 0o100644)
    assert tree.read_state(tmp_path, "run") == (b"x", 0o100644)


def test_write_atomic_creates_and_prunes_the_folders_it_made(tmp_path: Path) -> None:
    (tmp_path / "keep").mkdir()
    created = tree.write_atomic(tmp_path, "keep/a/b/new.txt", b"1\n", None)
    assert created == ["keep/a", "keep/a/b"]
    tree.write_atomic(tmp_path, "keep/a/b/new.txt", None, None, prune=created)
    assert not (tmp_path / "keep/a").exists() and (tmp_path / "keep").is_dir()


def test_write_atomic_writes_a_symlink(tmp_path: Path) -> None:
    tree.write_atomic(tmp_path, "link", b"somewhere/else", 0o120000)
    assert os.readlink(tmp_path / "link") == "somewhere/else"
    tree.write_atomic(tmp_path, "link", b"plain now\n", 0o100644)
    assert (
        not (tmp_path / "link").is_symlink() and (tmp_path / "link").read_bytes() == b"plain now\n"
    )


def test_full_disk_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.txt"
    target.write_bytes(b"precious\n")

    def no_space(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tree.os, "write", no_space)
    with pytest.raises(WorkspaceError, match="disk is full"):
        tree.write_atomic(tmp_path, "data.txt", b"replacement\n", 0o100644)
    assert target.read_bytes() == b"precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.txt"]


def test_deleting_a_missing_file_is_quiet(tmp_path: Path) -> None:
    assert tree.write_atomic(tmp_path, "nothing", None, None) == []


def test_snapshot_sees_what_a_command_changed(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"clean.txt": b"clean\n", "dirty.txt": b"v1\n", "gone.txt": b"bye\n"})
    write(root, {"dirty.txt": b"v2 user\n", "untracked.txt": b"mine\n", "ignored.log": b"x\n"})
    (root / ".gitignore").write_bytes(b"*.log\n")
    before = tree.take_snapshot(root)
    # what a formatter or `sed -i` might do
    write(
        root,
        {
            "clean.txt": b"CLEAN\n",
            "dirty.txt": b"v3 agent\n",
            "untracked.txt": b"MINE\n",
            "created.txt": b"new\n",
            "ignored.log": b"y\n",
        },
    )
    (root / "gone.txt").unlink()
    after = tree.take_snapshot(root, before)
    changes = {c.path: c for c in tree.changes_between(before, after, root)}
    assert sorted(changes) == ["clean.txt", "created.txt", "dirty.txt", "gone.txt", "untracked.txt"]
    assert (changes["clean.txt"].before, changes["clean.txt"].after) == (b"clean\n", b"CLEAN\n")
    assert (changes["dirty.txt"].before, changes["dirty.txt"].after) == (
        b"v2 user\n",
        b"v3 agent\n",
    )
    assert (changes["gone.txt"].before, changes["gone.txt"].after) == (b"bye\n", None)
    assert (changes["created.txt"].before, changes["created.txt"].after) == (None, b"new\n")
    assert {c.source for c in changes.values()} == {"run_command"}


def test_snapshot_reads_only_files_git_cannot_vouch_for(make_repo: Callable[..., Path]) -> None:
    root = make_repo({f"f{i}.txt": b"%d\n" % i for i in range(50)})
    (root / "f7.txt").write_bytes(b"edited\n")
    snapshot = tree.take_snapshot(root)
    kept = sorted(path for path, state in snapshot.files.items() if state.content is not None)
    assert kept == ["f7.txt"]
    assert tree.changes_between(snapshot, tree.take_snapshot(root, snapshot), root) == []


def test_mode_change_by_a_command_is_a_change(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"run.sh": b"echo\n"})
    before = tree.take_snapshot(root)
    (root / "run.sh").chmod(0o755)
    (change,) = tree.changes_between(before, tree.take_snapshot(root, before), root)
    assert (change.status, change.before_mode, change.after_mode) == ("mode", 0o100644, 0o100755)


def test_large_untracked_file_changed_by_a_command_is_named_unrestorable(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    (root / "big.bin").write_bytes(b"a" * 100)
    before = tree.take_snapshot(root, keep_limit=10)
    (root / "big.bin").write_bytes(b"b" * 100)
    after = tree.take_snapshot(root, before, keep_limit=10)
    assert tree.changes_between(before, after, root) == []
    assert tree.unrestorable(before, after) == ["big.bin"]


def test_snapshot_works_in_a_repository_without_commits(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": b"1\n"}, commit=False)
    before = tree.take_snapshot(root)
    (root / "a.txt").write_bytes(b"2\n")
    (change,) = tree.changes_between(before, tree.take_snapshot(root, before), root)
    assert (change.before, change.after) == (b"1\n", b"2\n")
    git(root, "status")


def test_same_size_rewrite_with_the_same_mtime_is_still_seen(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    target = root / "fresh.txt"
    target.write_bytes(b"aaaa\n")
    before = tree.take_snapshot(root)
    stamp = target.stat()
    with open(target, "r+b") as handle:  # in place: same inode, same size
        handle.write(b"bbbb\n")
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    (change,) = tree.changes_between(before, tree.take_snapshot(root, before), root)
    assert (change.before, change.after) == (b"aaaa\n", b"bbbb\n")
