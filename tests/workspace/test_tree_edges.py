"""The working tree's edges: write failures named in one line, permissions from the umask, one
file's state, and what a snapshot trusts, re-reads, keeps and reports."""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hunk.workspace import tree
from hunk.workspace.changeset import FileChange, content_hash
from hunk.workspace.errors import WorkspaceError
from tests.workspace.conftest import git, write

HOUR_NS = 3600 * 10**9


@pytest.fixture
def odd_umask() -> Iterator[None]:
    """An unusual umask, so that a wrong base mode or a misread umask shows in the result."""
    previous = os.umask(0o012)
    yield
    os.umask(previous)


def _refused(root: Path, path: str, content: bytes | None) -> str:
    with pytest.raises(WorkspaceError) as caught:
        tree.write_atomic(root, path, content, None)
    return str(caught.value)


# --- reading and writing ---------------------------------------------------------------------


def test_paths_outside_the_root_and_folders_are_named_in_the_refusal(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(WorkspaceError) as outside:
        tree.read_state(tmp_path, "../x")
    assert str(outside.value) == "../x is not a path inside the repository."
    with pytest.raises(WorkspaceError) as folder:
        tree.read_state(tmp_path, "sub")
    assert str(folder.value) == "sub is a directory, not a file."
    assert _refused(tmp_path, "sub", None) == "sub is a directory, not a file."
    assert (tmp_path / "sub").is_dir()


def test_deleting_a_symlink_to_a_folder_removes_the_link_only(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "kept.txt").write_bytes(b"kept\n")
    (tmp_path / "link").symlink_to("real")
    assert tree.write_atomic(tmp_path, "link", None, None) == []
    assert not (tmp_path / "link").is_symlink()
    assert (tmp_path / "real" / "kept.txt").read_bytes() == b"kept\n"


def test_a_file_where_a_folder_should_be_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_bytes(b"file\n")
    # deleting below a file, creating a folder below it, writing below it
    assert _refused(tmp_path, "f.txt/x", None) == (
        "Could not write f.txt/x: Not a directory. The file was left as it was."
    )
    assert _refused(tmp_path, "f.txt/sub/x", b"1\n") == (
        "Could not write f.txt/sub/x: Not a directory. The file was left as it was."
    )
    assert _refused(tmp_path, "f.txt/x", b"1\n") == (
        "Could not write f.txt/x: Not a directory. The file was left as it was."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]
    assert (tmp_path / "f.txt").read_bytes() == b"file\n"


def test_writing_content_over_a_folder_is_refused_and_the_folder_stays(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "inner").write_bytes(b"x")
    assert _refused(tmp_path, "d", b"1\n") == (
        "Could not write d: Is a directory. The file was left as it was."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]
    assert (tmp_path / "d" / "inner").read_bytes() == b"x"


def test_a_name_near_the_length_limit_is_written(tmp_path: Path) -> None:
    name = "n" * 250  # fits the file system; a temporary named after it would not
    assert tree.write_atomic(tmp_path, name, b"long\n", None) == []
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_bytes() == b"long\n"


def test_a_failure_before_the_temporary_exists_removes_the_folders_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_descriptors(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(tree.os, "open", no_descriptors)
    assert _refused(tmp_path, "new/deep/f.txt", b"1\n") == (
        "Could not write new/deep/f.txt: Too many open files. The file was left as it was."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int, data: object) -> int:
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(tree.os, "write", no_space)
    assert _refused(tmp_path, "data.txt", b"1\n") == (
        "Could not write data.txt: the disk is full. The file was left as it was."
    )


def test_short_writes_still_write_everything_to_a_private_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    modes: set[int] = set()

    def short_write(fd: int, data: memoryview) -> int:
        modes.add(os.fstat(fd).st_mode & 0o777)
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(tree.os, "write", short_write)
    tree.write_atomic(tmp_path, "f.txt", b"0123456789\n", None)
    assert (tmp_path / "f.txt").read_bytes() == b"0123456789\n"
    assert modes == {0o600}  # nobody else can read the bytes while they are being written


def test_new_files_get_their_permissions_from_the_umask(tmp_path: Path, odd_umask: None) -> None:
    tree.write_atomic(tmp_path, "plain", b"x", 0o100644)
    tree.write_atomic(tmp_path, "tool", b"x", 0o100755)
    assert (tmp_path / "plain").stat().st_mode & 0o777 == 0o664
    assert (tmp_path / "tool").stat().st_mode & 0o777 == 0o765


def test_the_umask_is_read_without_changing_it_for_other_threads(
    tmp_path: Path, odd_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def shared_by_every_thread(mask: int) -> int:
        raise AssertionError("os.umask changes the umask of every thread, even for a moment")

    with monkeypatch.context() as patched:
        patched.setattr(tree.os, "umask", shared_by_every_thread)
        tree.write_atomic(tmp_path, "plain", b"x", 0o100644)
    assert (tmp_path / "plain").stat().st_mode & 0o777 == 0o664


def test_without_proc_the_umask_is_still_honoured_and_left_as_it_was(
    tmp_path: Path, odd_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_proc(*args: object, **kwargs: object) -> object:
        raise OSError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(tree, "open", no_proc, raising=False)  # a system without /proc
    tree.write_atomic(tmp_path, "plain", b"x", 0o100644)
    assert (tmp_path / "plain").stat().st_mode & 0o777 == 0o664
    assert os.umask(0o012) == 0o012


# --- one file's state ------------------------------------------------------------------------


def test_file_state_describes_one_file_as_a_snapshot_does(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"0123456789")
    (tmp_path / "tool").write_bytes(b"#!/bin/sh\n")
    (tmp_path / "tool").chmod(0o755)
    (tmp_path / "link").symlink_to("a.txt")
    (tmp_path / "sub").mkdir()
    st = (tmp_path / "a.txt").lstat()
    assert tree.file_state(tmp_path, "a.txt") == tree.FileState(
        10, st.st_mtime_ns, st.st_ino, 0o100644, content_hash(b"0123456789") or "", b"0123456789"
    )
    whole = tree.file_state(tmp_path, "a.txt", keep_limit=10)
    assert whole is not None and whole.content == b"0123456789"
    small = tree.file_state(tmp_path, "a.txt", keep_limit=9)
    assert small is not None and small.content is None and small.blob == content_hash(b"0123456789")
    assert tree.file_state(tmp_path, "tool").mode == 0o100755  # type: ignore[union-attr]
    link = tree.file_state(tmp_path, "link")
    assert link is not None and (link.mode, link.content) == (0o120000, b"a.txt")
    assert link.blob == content_hash(b"a.txt")
    assert tree.file_state(tmp_path, "sub") is None
    assert tree.file_state(tmp_path, "missing") is None
    assert tree.file_state(tmp_path, "a.txt/below") is None
    with pytest.raises(WorkspaceError):
        tree.file_state(tmp_path, "../a.txt")


# --- snapshots -------------------------------------------------------------------------------


def _rewrite_in_place(target: Path, content: bytes) -> None:
    """Same inode, same size, same mtime: a change a stat cannot see."""
    stamp = target.stat()
    with open(target, "r+b") as handle:
        handle.write(content)
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


def test_a_file_unchanged_by_stat_and_older_than_the_racy_window_is_not_read_again(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    write(root, {"notes.txt": b"aaaa\n", "z.txt": b"z\n"})
    old = (root / "notes.txt").stat().st_mtime_ns - HOUR_NS
    os.utime(root / "notes.txt", ns=(old, old))
    before = tree.take_snapshot(root)
    assert before.root == root
    _rewrite_in_place(root / "notes.txt", b"bbbb\n")
    after = tree.take_snapshot(root, before)
    assert after.files["notes.txt"] is before.files["notes.txt"]  # trusted, not re-read
    assert sorted(after.files) == ["README.md", "notes.txt", "z.txt"]
    assert tree.changes_between(before, after, root) == []


def test_a_file_modified_at_the_edge_of_the_racy_window_is_read_again(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    write(root, {"notes.txt": b"aaaa\n"})
    first = tree.take_snapshot(root)
    mtime = first.files["notes.txt"].mtime_ns
    _rewrite_in_place(root / "notes.txt", b"bbbb\n")
    just_trusted = dataclasses.replace(first, taken_ns=mtime + tree._RACY_NS + 1)
    assert tree.take_snapshot(root, just_trusted).files["notes.txt"] is first.files["notes.txt"]
    at_the_edge = dataclasses.replace(first, taken_ns=mtime + tree._RACY_NS)
    after = tree.take_snapshot(root, at_the_edge)
    (change,) = tree.changes_between(at_the_edge, after, root)
    assert (change.path, change.before, change.after) == ("notes.txt", b"aaaa\n", b"bbbb\n")


def test_missing_files_folders_and_spaces_in_names_do_not_cut_a_snapshot_short(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a": b"was a file\n", "b.txt": b"b\n", "c d.txt": b"c\n", "e.txt": b"e\n"})
    (root / "a").unlink()
    (root / "a").mkdir()  # a tracked file replaced by a folder
    (root / "a" / "x").write_bytes(b"x\n")
    (root / "b.txt").unlink()  # a tracked file deleted
    snapshot = tree.take_snapshot(root)
    assert sorted(snapshot.files) == ["a/x", "c d.txt", "e.txt"]
    assert snapshot.files["c d.txt"].in_git


def test_a_symlink_a_command_retargets_is_a_change_with_its_old_target(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    (root / "link").symlink_to("one")
    before = tree.take_snapshot(root)
    assert before.files["link"].content == b"one"
    (root / "link").unlink()
    (root / "link").symlink_to("two")
    changes = tree.changes_between(before, tree.take_snapshot(root, before), root)
    assert changes == [FileChange("link", b"one", b"two", 0o120000, 0o120000, "run_command")]


def test_the_keep_limit_is_inclusive(make_repo: Callable[..., Path]) -> None:
    root = make_repo()
    write(root, {"ten.txt": b"0123456789", "eleven.txt": b"0123456789A"})
    before = tree.take_snapshot(root, keep_limit=10)
    assert before.files["ten.txt"].content == b"0123456789"
    assert before.files["eleven.txt"].content is None
    write(root, {"ten.txt": b"9876543210", "eleven.txt": b"A9876543210"})
    after = tree.take_snapshot(root, before, keep_limit=10)
    changes = tree.changes_between(before, after, root)
    assert [(c.path, c.before) for c in changes] == [("ten.txt", b"0123456789")]
    assert tree.unrestorable(before, after) == ["eleven.txt"]


def test_only_changed_files_too_large_to_keep_and_not_in_git_are_unrestorable(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"clean.txt": b"clean\n", "dirty.txt": b"v1\n"})
    write(root, {"dirty.txt": b"v2\n", "small.txt": b"s\n", "big-unchanged.bin": b"u" * 50})
    before = tree.take_snapshot(root, keep_limit=10)
    write(root, {"clean.txt": b"CLEAN\n", "dirty.txt": b"v3\n", "small.txt": b"S\n"})
    write(root, {"new.txt": b"n\n"})
    after = tree.take_snapshot(root, before, keep_limit=10)
    assert tree.unrestorable(before, after) == []
    assert [c.path for c in tree.changes_between(before, after, root)] == [
        "clean.txt",
        "dirty.txt",
        "new.txt",
        "small.txt",
    ]


def test_an_unrestorable_file_does_not_hide_the_changes_after_it(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo()
    write(root, {"a-big.bin": b"a" * 50, "b.txt": b"b\n"})
    before = tree.take_snapshot(root, keep_limit=10)
    write(root, {"a-big.bin": b"b" * 50, "b.txt": b"B\n"})
    after = tree.take_snapshot(root, before, keep_limit=10)
    assert [(c.path, c.before, c.after) for c in tree.changes_between(before, after, root)] == [
        ("b.txt", b"b\n", b"B\n")
    ]


def test_a_file_created_and_gone_again_is_no_change(make_repo: Callable[..., Path]) -> None:
    root = make_repo()
    before = tree.take_snapshot(root)
    write(root, {"flash.txt": b"here\n", "stays.txt": b"s\n"})
    after = tree.take_snapshot(root, before)
    (root / "flash.txt").unlink()
    changes = tree.changes_between(before, after, root)
    assert [(c.path, c.before, c.after) for c in changes] == [("stays.txt", None, b"s\n")]


def _crlf_repo(make_repo: Callable[..., Path]) -> Path:
    root = make_repo({".gitattributes": b"*.txt text eol=crlf\n"})
    write(root, {"a.txt": b"one\r\ntwo\r\n", "b.txt": b"b\r\n"})
    for name in ("a.txt", "b.txt"):  # an old stat: the index entries are not racily clean
        stamp = (root / name).stat().st_mtime_ns - HOUR_NS
        os.utime(root / name, ns=(stamp, stamp))
    git(root, "add", "a.txt", "b.txt")
    git(root, "commit", "-q", "-m", "crlf files")
    return root


def test_rewriting_a_converted_file_with_the_same_bytes_is_no_change(
    make_repo: Callable[..., Path],
) -> None:
    root = _crlf_repo(make_repo)
    before = tree.take_snapshot(root)
    assert before.files["a.txt"].in_git and before.files["b.txt"].in_git
    # what a formatter that changed nothing does: the same bytes, a new mtime
    stamp = (root / "a.txt").stat().st_mtime_ns + 10**9
    (root / "a.txt").write_bytes(b"one\r\ntwo\r\n")
    os.utime(root / "a.txt", ns=(stamp, stamp))
    (root / "b.txt").write_bytes(b"B\r\n")
    after = tree.take_snapshot(root, before)
    assert not after.files["a.txt"].in_git  # git's stat says touched: read and hashed
    changes = tree.changes_between(before, after, root)
    assert [(c.path, c.before, c.after) for c in changes] == [("b.txt", b"b\r\n", b"B\r\n")]


def test_kept_bytes_of_a_converted_file_are_reported_as_they_were(
    make_repo: Callable[..., Path],
) -> None:
    root = _crlf_repo(make_repo)
    write(root, {"mixed.txt": b"lf\ncrlf\r\n"})  # untracked, kept as it is on disk
    before = tree.take_snapshot(root)
    write(root, {"mixed.txt": b"new\r\n"})
    (change,) = tree.changes_between(before, tree.take_snapshot(root, before), root)
    assert (change.path, change.before, change.after) == ("mixed.txt", b"lf\ncrlf\r\n", b"new\r\n")
