"""Repositories whose disk bytes are not their blob bytes (core.autocrlf, .gitattributes eol):
contents are compared in blob form and written back in disk form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hunk.workspace import tree
from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import commit_accepted, undo_last
from hunk.workspace.git import open_repo
from tests.workspace.conftest import blob_at, git, staged, write

LF = b"".join(b"line %d\n" % i for i in range(1, 21))
CRLF = LF.replace(b"\n", b"\r\n")


def crlf_repo(make_repo: Callable[..., Path]) -> Path:
    root = make_repo({".gitattributes": b"*.txt text eol=crlf\n"})
    write(root, {"a.txt": CRLF})
    git(root, "add", "a.txt")
    git(root, "commit", "-q", "-m", "add a.txt")
    assert blob_at(root, "HEAD", "a.txt") == LF
    return root


def test_agent_edit_next_to_a_user_edit_commits_in_blob_form(
    make_repo: Callable[..., Path],
) -> None:
    root = crlf_repo(make_repo)
    before = CRLF.replace(b"line 2\r\n", b"user two\r\n")
    after = before.replace(b"line 19\r\n", b"agent nineteen\r\n")
    write(root, {"a.txt": after})
    result = commit_accepted(
        open_repo(root), [FileChange("a.txt", before, after, 0o100644, 0o100644)], "Edit"
    )
    assert result.unseparable == () and result.files == ("a.txt",)
    assert blob_at(root, "HEAD", "a.txt") == LF.replace(b"line 19\n", b"agent nineteen\n")
    assert staged(root, "a.txt") == blob_at(root, "HEAD", "a.txt")
    assert (root / "a.txt").read_bytes() == after


def test_snapshot_restores_a_clean_file_in_disk_form(make_repo: Callable[..., Path]) -> None:
    root = crlf_repo(make_repo)
    before = tree.take_snapshot(root)
    (root / "a.txt").write_bytes(b"formatted\r\n")
    (change,) = tree.changes_between(before, tree.take_snapshot(root, before), root)
    assert change.before == CRLF


def test_undo_writes_the_working_tree_back_in_disk_form(make_repo: Callable[..., Path]) -> None:
    root = crlf_repo(make_repo)
    after = CRLF.replace(b"line 19\r\n", b"agent nineteen\r\n")
    write(root, {"a.txt": after})
    sha = commit_accepted(
        open_repo(root), [FileChange("a.txt", CRLF, after, 0o100644, 0o100644)], "Edit"
    ).sha
    write(root, {"a.txt": after.replace(b"line 1\r\n", b"user one\r\n")})
    undo_last(open_repo(root), sha or "")
    assert (root / "a.txt").read_bytes() == CRLF.replace(b"line 1\r\n", b"user one\r\n")
    assert staged(root, "a.txt") == LF
