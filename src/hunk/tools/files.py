"""The read tools: read_file, list_files, search_files. They answer at once and change nothing
(read_file records what the model saw, so write tools can check it is still current)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hunk.settings.prompts import message
from hunk.tools.base import ToolContext, ToolOutput
from hunk.tools.function_tool import Arguments, FunctionTool, refuse, resolve
from hunk.workspace.errors import GitCommandFailed
from hunk.tools.repo_files import GlobMatcher, repo_files
from hunk.tools.search_backends import BadPattern, Query, search
from hunk.tools.text import NotText, decode
from hunk.workspace.changeset import content_hash

READ_LIMIT = 2000  # lines per read_file call
LINE_CUT = 2000  # characters kept of one line in read_file
LIST_CAP = 500
SEARCH_CAP = 200
SEARCH_LINE_CUT = 300


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + message("tools.line_cut", more=len(text) - limit)


READ_MAX_BYTES = 16 * 1024 * 1024  # larger files are searched or sliced with commands, not read whole


def _read_bytes(absolute: Path, relative: str) -> bytes:
    if absolute.is_dir():
        raise refuse("read_directory", path=relative)
    try:
        size = absolute.stat().st_size
        if size > READ_MAX_BYTES:
            raise refuse("read_too_large", path=relative, size=size, limit=READ_MAX_BYTES)
        return absolute.read_bytes()
    except FileNotFoundError:
        raise refuse("read_missing", path=relative) from None
    except OSError as error:
        raise refuse("read_failed", path=relative, error=error.strerror or str(error)) from None


async def read_file(args: Arguments, ctx: ToolContext) -> ToolOutput:
    relative, absolute = resolve(ctx, args.text("path"))
    offset = args.count("offset", 1) or 1
    limit = min(args.count("limit", READ_LIMIT) or READ_LIMIT, READ_LIMIT)
    data = await asyncio.to_thread(_read_bytes, absolute, relative)
    ctx.read_hashes[relative] = content_hash(data)
    try:
        decoded = decode(data)
    except NotText:
        raise refuse("read_binary", path=relative, size=len(data)) from None
    if not data:
        return ToolOutput(message("tools.read_empty", path=relative), summary="empty")
    lines = decoded.text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if offset > len(lines):
        raise refuse("read_offset_past_end", path=relative, offset=offset, total=len(lines))
    shown: list[str] = []
    budget = ctx.output_limit
    last = offset - 1
    for number in range(offset, min(offset - 1 + limit, len(lines)) + 1):
        row = f"{number:5d}\t{_cut(lines[number - 1].rstrip(chr(13)), LINE_CUT)}"
        budget -= len(row) + 1
        if budget < 0 and shown:
            break
        shown.append(row)
        last = number
    notes = []
    if not decoded.is_utf8:
        notes.append(message("tools.read_encoding", encoding=decoded.encoding))
    if last < len(lines):
        notes.append(message("tools.read_more", first=offset, last=last, total=len(lines), next=last + 1))
    body = "\n".join(shown + notes)
    return ToolOutput(body, summary=f"lines {offset}–{last} of {len(lines)}")


async def list_files(args: Arguments, ctx: ToolContext) -> ToolOutput:
    under = args.optional_text("path") or "."
    relative, absolute = resolve(ctx, under)
    if not absolute.exists():
        raise refuse("list_missing", path=relative)
    accept = GlobMatcher(args.optional_text("pattern"), relative)
    try:
        names = [name for name in await repo_files(ctx.root, relative) if accept(name)]
    except GitCommandFailed as error:
        raise refuse("git_failed", error=str(error)) from None
    if not names:
        return ToolOutput(message("tools.list_none"), summary="0 files")
    body = "\n".join(names[:LIST_CAP])
    if len(names) > LIST_CAP:
        body += "\n" + message("tools.list_more", more=len(names) - LIST_CAP)
    return ToolOutput(body, summary=f"{len(names)} files")


async def search_files(args: Arguments, ctx: ToolContext) -> ToolOutput:
    pattern = args.text("pattern")
    if not pattern:
        raise refuse("arg_missing", name="pattern")
    relative, absolute = resolve(ctx, args.optional_text("path") or ".")
    if not absolute.exists():
        raise refuse("list_missing", path=relative)
    glob = args.optional_text("glob")
    query = Query(
        pattern=pattern,
        under=relative,
        accept=GlobMatcher(glob, relative),
        ignore_case=args.flag("ignore_case"),
        name_glob=glob if glob and "/" not in glob and "{" not in glob else None,
    )
    try:
        hits = await search(ctx.root, query)
    except BadPattern as error:
        raise refuse("search_bad_pattern", pattern=pattern, error=str(error)) from None
    if not hits.total:
        return ToolOutput(message("tools.search_none", pattern=pattern), summary="0 matches")
    shown = hits.first(SEARCH_CAP)
    rows = [f"{path}:{line}: {_cut(text, SEARCH_LINE_CUT)}" for path, line, text in shown]
    if hits.total > len(shown):
        rows.append(message("tools.search_more", more=hits.total - len(shown)))
    noun = "match" if hits.total == 1 else "matches"
    return ToolOutput("\n".join(rows), summary=f"{hits.total} {noun}")


READ_FILE = FunctionTool("read_file", "read", read_file)
LIST_FILES = FunctionTool("list_files", "read", list_files)
SEARCH_FILES = FunctionTool("search_files", "read", search_files)
