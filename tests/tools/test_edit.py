"""write_file and edit_file propose FileChanges, never write, and keep what the file was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hunk.tools.base import ToolContext
from hunk.tools.edit import EDIT_FILE, WRITE_FILE, diff_summary
from hunk.tools.files import READ_FILE
from hunk.workspace.changeset import content_hash

from .conftest import write


async def _read(ctx: ToolContext, path: str) -> None:
    assert not (await READ_FILE.run({"path": path}, ctx)).is_error


async def test_edit_returns_a_change_and_leaves_the_disk_alone(repo: Path, ctx: ToolContext) -> None:
    target = write(repo, "app.py", "def f():\n    return 1\n")
    await _read(ctx, "app.py")
    out = await EDIT_FILE.run({"path": "app.py", "old_string": "return 1", "new_string": "return 2"}, ctx)
    assert not out.is_error, out.content
    assert out.change is not None
    assert out.change.path == "app.py"
    assert out.change.before == b"def f():\n    return 1\n"
    assert out.change.after == b"def f():\n    return 2\n"
    assert out.change.source == "edit_file"
    assert out.summary == "+1 −1"
    assert "app.py" in out.content
    assert target.read_bytes() == b"def f():\n    return 1\n"


async def test_edit_of_an_unread_file_asks_to_read_first(repo: Path, ctx: ToolContext) -> None:
    write(repo, "app.py", "x = 1\n")
    out = await EDIT_FILE.run({"path": "app.py", "old_string": "1", "new_string": "2"}, ctx)
    assert out.is_error and out.change is None
    assert "read_file" in out.content


async def test_edit_of_a_file_changed_since_reading_asks_to_read_again(repo: Path, ctx: ToolContext) -> None:
    target = write(repo, "app.py", "x = 1\n")
    await _read(ctx, "app.py")
    target.write_text("x = 10\n")
    out = await EDIT_FILE.run({"path": "app.py", "old_string": "x", "new_string": "y"}, ctx)
    assert out.is_error and "changed since" in out.content


async def test_write_after_the_agent_recorded_its_own_write_is_allowed(repo: Path, ctx: ToolContext) -> None:
    target = write(repo, "app.py", "v2\n")
    ctx.read_hashes["app.py"] = content_hash(target.read_bytes())
    out = await WRITE_FILE.run({"path": "app.py", "content": "v3\n"}, ctx)
    assert not out.is_error and out.change is not None and out.change.after == b"v3\n"


async def test_edit_keeps_mode_crlf_and_no_final_newline(repo: Path, ctx: ToolContext) -> None:
    target = write(repo, "run.sh", b"#!/bin/sh\r\necho one\r\necho two")
    target.chmod(0o755)
    await _read(ctx, "run.sh")
    out = await EDIT_FILE.run({"path": "run.sh", "old_string": "echo one\necho two", "new_string": "echo 1\necho 2\n"}, ctx)
    assert out.change is not None, out.content
    assert out.change.after == b"#!/bin/sh\r\necho 1\r\necho 2"
    assert out.change.before_mode == out.change.after_mode == 0o100755
    assert "line endings" in out.content


KEEPS = [
    ("final newline the model dropped", b"one\ntwo\n", "two\n", "three", b"one\nthree\n"),
    (
        "cp1252 encoding",
        "café = 1\nthé = 2\n".encode("cp1252"),
        "thé = 2",
        "thé = 3 # crème",
        "café = 1\nthé = 3 # crème\n".encode("cp1252"),
    ),
    ("utf-8 bom", b"\xef\xbb\xbfclass A {}\n", "class A", "class B", b"\xef\xbb\xbfclass B {}\n"),
    ("utf-16 with crlf", "hello\r\nworld\r\n".encode("utf-16"), "world", "there", "hello\r\nthere\r\n".encode("utf-16")),
]


@pytest.mark.parametrize(("name", "before", "old", "new", "after"), KEEPS, ids=[k[0] for k in KEEPS])
async def test_edit_keeps_what_the_file_was(
    repo: Path, ctx: ToolContext, name: str, before: bytes, old: str, new: str, after: bytes
) -> None:
    write(repo, "f.txt", before)
    await _read(ctx, "f.txt")
    out = await EDIT_FILE.run({"path": "f.txt", "old_string": old, "new_string": new}, ctx)
    assert out.change is not None, out.content
    assert out.change.after == after


async def test_character_the_encoding_cannot_hold_is_refused(repo: Path, ctx: ToolContext) -> None:
    write(repo, "legacy.txt", "café\n".encode("cp1252"))
    await _read(ctx, "legacy.txt")
    out = await EDIT_FILE.run({"path": "legacy.txt", "old_string": "café", "new_string": "café ☕"}, ctx)
    assert out.is_error and "cp1252" in out.content and "☕" in out.content


async def test_edit_error_messages_tell_what_to_do(repo: Path, ctx: ToolContext) -> None:
    write(repo, "a.py", "x = 1\nx = 1\nprint(x)\n")
    await _read(ctx, "a.py")
    ambiguous = await EDIT_FILE.run({"path": "a.py", "old_string": "x = 1", "new_string": "x = 2"}, ctx)
    assert ambiguous.is_error and "2 times" in ambiguous.content and "lines 1, 2" in ambiguous.content
    assert "replace_all" in ambiguous.content
    missing = await EDIT_FILE.run({"path": "a.py", "old_string": "print(y)", "new_string": "print(z)"}, ctx)
    assert missing.is_error and "    3\tprint(x)" in missing.content
    same = await EDIT_FILE.run({"path": "a.py", "old_string": "print", "new_string": "print"}, ctx)
    assert same.is_error and "identical" in same.content


async def test_edit_of_a_missing_file_points_to_write_file(ctx: ToolContext) -> None:
    out = await EDIT_FILE.run({"path": "nope.py", "old_string": "a", "new_string": "b"}, ctx)
    assert out.is_error and "write_file" in out.content


async def test_edit_of_a_binary_file_is_refused(repo: Path, ctx: ToolContext) -> None:
    write(repo, "blob.bin", b"\x00\x01\x02abc")
    read = await READ_FILE.run({"path": "blob.bin"}, ctx)
    assert read.is_error and "binary" in read.content
    out = await EDIT_FILE.run({"path": "blob.bin", "old_string": "abc", "new_string": "def"}, ctx)
    assert out.is_error and "binary" in out.content


async def test_write_new_file_needs_no_read(repo: Path, ctx: ToolContext) -> None:
    out = await WRITE_FILE.run({"path": "pkg/new.py", "content": "a\nb\nc\n"}, ctx)
    assert out.change is not None, out.content
    assert (out.change.before, out.change.after) == (None, b"a\nb\nc\n")
    assert (out.change.before_mode, out.change.after_mode) == (None, 0o100644)
    assert out.summary == "+3 −0"
    assert not (repo / "pkg").exists()


async def test_write_existing_keeps_mode_and_needs_a_read(repo: Path, ctx: ToolContext) -> None:
    target = write(repo, "tool.sh", "echo a\n")
    target.chmod(0o755)
    refused = await WRITE_FILE.run({"path": "tool.sh", "content": "echo b\n"}, ctx)
    assert refused.is_error and "read_file" in refused.content
    await _read(ctx, "tool.sh")
    out = await WRITE_FILE.run({"path": "tool.sh", "content": "echo b\n"}, ctx)
    assert out.change is not None
    assert out.change.before_mode == out.change.after_mode == 0o100755
    assert out.change.after == b"echo b\n"


async def test_write_refuses_symlinks_directories_and_escapes(repo: Path, ctx: ToolContext) -> None:
    write(repo, "real.txt", "r\n")
    os.symlink("real.txt", repo / "alias.txt")
    (repo / "dir").mkdir()
    for path in ("alias.txt", "dir", ".git/config", "../x.txt", "/tmp/x.txt"):
        out = await WRITE_FILE.run({"path": path, "content": "x"}, ctx)
        assert out.is_error and out.change is None, path


async def test_missing_or_mistyped_arguments_are_tool_errors(ctx: ToolContext) -> None:
    missing = await EDIT_FILE.run({"path": "a.py", "new_string": "b"}, ctx)
    assert missing.is_error and "old_string" in missing.content
    mistyped = await WRITE_FILE.run({"path": 3, "content": "x"}, ctx)
    assert mistyped.is_error and "path" in mistyped.content


def test_diff_summary_counts_lines_added_and_removed() -> None:
    assert diff_summary(b"a\nb\nc\n", b"a\nB\nc\nd\n") == (2, 1, "+2 −1")
    assert diff_summary(None, b"x\n") == (1, 0, "+1 −0")


@pytest.mark.parametrize(
    ("before", "old", "new", "after"),
    [
        (b"one\ntwo", "two", "two\n", b"one\ntwo\n"),  # add the missing final newline
        (b"one\r\ntwo", "two", "two\n", b"one\r\ntwo\r\n"),  # in the file's own line ending
        (b"one\ntwo\n", "two\n", "two", b"one\ntwo"),  # drop it
    ],
)
async def test_an_edit_that_only_adds_or_drops_the_final_newline_does_so(
    repo: Path, ctx: ToolContext, before: bytes, old: str, new: str, after: bytes
) -> None:
    write(repo, "end.txt", before)
    await _read(ctx, "end.txt")
    out = await EDIT_FILE.run({"path": "end.txt", "old_string": old, "new_string": new}, ctx)
    assert out.change is not None, out.content
    assert out.change.after == after
