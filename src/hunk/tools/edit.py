"""The write tools: write_file and edit_file. They never touch the disk: each returns a
`FileChange` (before, after, modes) that the agent hands to the approver and the workspace.

A file that exists must have been read in this session (`ctx.read_hashes`) and be unchanged
since; the edited file keeps its encoding, BOM, line endings, final-newline state and mode.
"""

from __future__ import annotations

import asyncio
import difflib
from pathlib import Path

from hunk.settings.prompts import message
from hunk.tools.base import ToolContext, ToolOutput
from hunk.tools.function_tool import Arguments, FunctionTool, ToolRefusal, file_mode, refuse, resolve
from hunk.tools.matching import EditProblem, apply_edit
from hunk.tools.text import Decoded, NotText, decode, uses_crlf
from hunk.workspace.changeset import FileChange, content_hash
from hunk.workspace.filetypes import REGULAR



def _current(absolute: Path, relative: str) -> tuple[bytes, int] | None:
    """The file's bytes and git mode, or None when it does not exist."""
    if absolute.is_symlink():
        raise refuse("write_symlink", path=relative)
    if absolute.is_dir():
        raise refuse("write_directory", path=relative)
    if not absolute.exists():
        for parent in absolute.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise refuse("write_parent_file", path=relative)
                break
        return None
    try:
        return absolute.read_bytes(), file_mode(absolute)
    except OSError as error:
        raise refuse("read_failed", path=relative, error=error.strerror or str(error)) from None


def _check_read(ctx: ToolContext, relative: str, data: bytes) -> None:
    if relative not in ctx.read_hashes:
        raise refuse("write_unread", path=relative)
    if ctx.read_hashes[relative] != content_hash(data):
        raise refuse("write_stale", path=relative)


def _encode(decoded: Decoded, text: str, relative: str) -> bytes:
    try:
        return decoded.encode(text)
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end]
        raise refuse("write_unencodable", path=relative, encoding=decoded.encoding, chars=bad) from None


def diff_summary(before: bytes | None, after: bytes) -> tuple[int, int, str]:
    """(lines added, lines removed, "+3 −3") between two versions of a file."""
    old = (before or b"").splitlines()
    new = after.splitlines()
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old, new = old[head : len(old) - tail], new[head : len(new) - tail]
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed, f"+{added} −{removed}"


def _keep_final_newline(before: str, after: str, crlf: bool, old_string: str, new_string: str) -> str:
    """The final-newline state of `before` (a model often drops or adds one by accident),
    unless adding or dropping the final newline is all the edit does."""
    ending = "\r\n" if crlf else "\n"
    only_newline = old_string != new_string and old_string.rstrip("\r\n") == new_string.rstrip("\r\n")
    if not after or only_newline:
        return after
    if before.endswith("\n") and not after.endswith("\n"):
        return after + ending
    if not before.endswith("\n") and after.endswith("\n"):
        return after.removesuffix("\n").removesuffix("\r")
    return after


async def edit_file(args: Arguments, ctx: ToolContext) -> ToolOutput:
    relative, absolute = resolve(ctx, args.text("path"))
    old_string, new_string = args.text("old_string"), args.text("new_string")
    replace_all = args.flag("replace_all")
    current = await asyncio.to_thread(_current, absolute, relative)
    if current is None:
        raise refuse("edit_missing", path=relative)
    data, mode = current
    _check_read(ctx, relative, data)
    try:
        decoded = decode(data)
    except NotText:
        raise refuse("edit_binary", path=relative) from None
    crlf = uses_crlf(decoded.text)
    try:
        edited = apply_edit(decoded.text, old_string, new_string, replace_all, crlf)
    except EditProblem as problem:
        raise ToolRefusal(message(f"tools.{problem.key}", path=relative, **problem.values)) from None
    text = _keep_final_newline(decoded.text, edited.text, crlf, old_string, new_string)
    after = _encode(decoded, text, relative)
    if after == data:
        raise refuse("edit_no_change", path=relative)
    change = FileChange(relative, data, after, mode, mode, source="edit_file")
    _, _, summary = diff_summary(data, after)
    key = "edit_done" if edited.way == "exact" else "edit_done_loose"
    way = message(f"tools.way_{edited.way}")
    reply = message(f"tools.{key}", path=relative, summary=summary, count=edited.count, way=way)
    return ToolOutput(reply, summary=summary, change=change)


async def write_file(args: Arguments, ctx: ToolContext) -> ToolOutput:
    relative, absolute = resolve(ctx, args.text("path"))
    if relative == ".":
        raise refuse("write_directory", path=relative)
    content = args.text("content")
    current = await asyncio.to_thread(_current, absolute, relative)
    if current is None:
        after = content.encode("utf-8")
        change = FileChange(relative, None, after, None, REGULAR, source="write_file")
        _, _, summary = diff_summary(None, after)
        return ToolOutput(message("tools.write_created", path=relative, summary=summary), summary=summary, change=change)
    data, mode = current
    _check_read(ctx, relative, data)
    try:
        after = _encode(decode(data), content, relative)
    except NotText:
        after = content.encode("utf-8")
    if after == data:
        raise refuse("edit_no_change", path=relative)
    change = FileChange(relative, data, after, mode, mode, source="write_file")
    _, _, summary = diff_summary(data, after)
    return ToolOutput(message("tools.write_replaced", path=relative, summary=summary), summary=summary, change=change)


EDIT_FILE = FunctionTool("edit_file", "write", edit_file)
WRITE_FILE = FunctionTool("write_file", "write", write_file)
