"""Regex search over the repository's files: ripgrep, else `git grep`, else plain Python.

All three see the same files (tracked + untracked-not-ignored, `.git/` never) and return the
same `Hits`: the first `keep` hits in (path, line) order and the total count. A backend that
fails on a pattern (ripgrep has no look-around, old git no PCRE) hands over to the next one;
only a pattern Python's `re` rejects is an error for the model.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from hunk.workspace.errors import GitCommandFailed
from hunk.workspace.git import start_git
from hunk.tools.repo_files import repo_files
from hunk.tools.text import NotText, decode

BACKENDS: tuple[str, ...] = ("rg", "git", "python")
_COLLECT = 10_000  # hits held for sorting; beyond that they are only counted
_CHUNK = 1 << 16


class BadPattern(Exception):
    pass


class _BackendFailed(Exception):
    pass


@dataclass
class Hits:
    found: list[tuple[str, int, str]] = field(default_factory=list)
    total: int = 0

    def add(self, path: str, line: int, text: str) -> None:
        self.total += 1
        if len(self.found) < _COLLECT:
            self.found.append((path, line, text))

    def first(self, keep: int) -> list[tuple[str, int, str]]:
        return sorted(self.found)[:keep]


@dataclass(frozen=True)
class Query:
    pattern: str
    under: str  # repo-relative path, "." for the root
    accept: Callable[[str], bool]  # glob filter on repo-relative paths
    ignore_case: bool = False
    name_glob: str | None = None  # a slash-free glob the backend may apply itself (speed only)


def available_backends() -> list[str]:
    """The backends this machine can run, best first."""
    found = [name for name in ("rg", "git") if shutil.which(name)]
    return found + ["python"]


def compile_pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as error:
        raise BadPattern(str(error)) from None


async def search(root: Path, query: Query, backends: list[str] | None = None) -> Hits:
    compiled = compile_pattern(query.pattern, query.ignore_case)
    chain = list(backends or available_backends())
    if "python" not in chain:
        chain.append("python")
    for backend in chain:
        try:
            if backend == "rg":
                return await _ripgrep(root, query)
            if backend == "git":
                return await _git_grep(root, query)
            return await asyncio.to_thread(_python_search, root, query, compiled)
        except _BackendFailed:
            continue
    raise BadPattern("no search backend could run this pattern")


async def _ripgrep(root: Path, query: Query) -> Hits:
    try:
        return await _run_tool(_start(root, _rg_command(query)), query, _parse_rg, no_match=1)
    except _BackendFailed:  # look-around and back-references need ripgrep's PCRE2 engine
        return await _run_tool(_start(root, _rg_command(query, "--pcre2")), query, _parse_rg, no_match=1)


def _rg_command(query: Query, *engine: str) -> list[str]:
    command = ["rg", "--no-config", "--null", "--line-number", "--with-filename", "--no-heading"]
    command += ["--color", "never", "--hidden", "--no-ignore-dot", "--no-ignore-parent"]
    command += ["--glob", "!.git"]
    if query.name_glob:
        command += ["--glob", query.name_glob]
    if query.ignore_case:
        command.append("--ignore-case")
    return command + [*engine, "--regexp", query.pattern, "--", query.under]


def _git_grep_args(query: Query, flavour: str) -> list[str]:
    command = ["grep", "--untracked", "-n", "-I", "-z", "--no-color", flavour]
    if query.ignore_case:
        command.append("-i")
    return command + ["-e", query.pattern, "--", query.under]


async def _git_grep(root: Path, query: Query) -> Hits:
    try:
        return await _run_tool(start_git(root, *_git_grep_args(query, "-P")), query, _parse_git, no_match=1)
    except _BackendFailed:  # git built without PCRE, or a pattern PCRE dislikes
        return await _run_tool(start_git(root, *_git_grep_args(query, "-E")), query, _parse_git, no_match=1)


def _parse_rg(record: bytes) -> tuple[bytes, bytes, bytes]:
    path, _, rest = record.partition(b"\0")
    line, _, text = rest.partition(b":")
    return path, line, text


def _parse_git(record: bytes) -> tuple[bytes, bytes, bytes]:
    path, _, rest = record.partition(b"\0")
    line, _, text = rest.partition(b"\0")
    return path, line, text


def _clean_path(raw: bytes) -> str:
    path = raw.decode("utf-8", "surrogateescape")
    return path[2:] if path.startswith("./") else path


def _start(root: Path, command: list[str]) -> Awaitable[asyncio.subprocess.Process]:
    return asyncio.create_subprocess_exec(
        *command,
        cwd=root,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _run_tool(
    starting: Awaitable[asyncio.subprocess.Process],
    query: Query,
    parse: Callable[[bytes], tuple[bytes, bytes, bytes]],
    no_match: int,
) -> Hits:
    try:
        process = await starting
    except OSError as error:
        raise _BackendFailed(str(error)) from None
    assert process.stdout is not None and process.stderr is not None
    hits = Hits()
    errors = asyncio.ensure_future(process.stderr.read())
    pending = b""
    try:
        while chunk := await process.stdout.read(_CHUNK):
            records = (pending + chunk).split(b"\n")
            pending = records.pop()
            _take(records, parse, query, hits)
        if pending:
            _take([pending], parse, query, hits)
        code = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    await errors
    if code not in (0, no_match):
        raise _BackendFailed(errors.result().decode("utf-8", "replace"))
    return hits


def _take(records: list[bytes], parse: Callable[[bytes], tuple[bytes, bytes, bytes]], query: Query, hits: Hits) -> None:
    for record in records:
        raw_path, raw_line, raw_text = parse(record)
        path = _clean_path(raw_path)
        if not query.accept(path) or not raw_line.isdigit():
            continue
        if len(hits.found) >= _COLLECT:
            hits.total += 1
            continue
        text = raw_text.decode("utf-8", "replace").rstrip("\r")
        hits.add(path, int(raw_line), text)


def _stays_inside(root: Path, path: str) -> bool:
    """Whether `path`, symlinks followed, is a file of the repository (not of .git, not outside)."""
    real = Path(os.path.realpath(root / path))
    base = Path(os.path.realpath(root))
    return real.is_relative_to(base) and ".git" not in real.relative_to(base).parts


def _python_search(root: Path, query: Query, compiled: re.Pattern[str]) -> Hits:
    hits = Hits()
    for path in _python_files(root, query.under):
        if not query.accept(path) or not _stays_inside(root, path):
            continue
        try:
            data = (root / path).read_bytes()
            text = decode(data).text
        except (OSError, NotText):
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if compiled.search(line):
                hits.add(path, number, line.rstrip("\r"))
    return hits


def _python_files(root: Path, under: str) -> list[str]:
    if shutil.which("git"):
        try:
            return asyncio.run(repo_files(root, under))
        except GitCommandFailed:
            pass
    start = root / under
    if start.is_file():
        return [under]
    found: list[str] = []
    for folder, dirs, files in os.walk(start):
        dirs[:] = sorted(d for d in dirs if d.casefold() != ".git")
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + name for name in sorted(files)]
    return found
