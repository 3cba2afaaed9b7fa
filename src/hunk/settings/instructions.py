"""Project instructions: AGENTS.md (and CLAUDE.md) from the repository root down to the cwd.

`project_instructions` collects them, root first, each with its repository-relative path and
its text cut at `MAX_CHARS`; `format_instructions` renders them for the system prompt from
`prompts/instructions.md`. Both are cheap, blocking file reads: call them once per session, or
through `asyncio.to_thread` from the event loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hunk.settings.prompts import message, render

FILE_NAMES = ("AGENTS.md", "CLAUDE.md")
MAX_CHARS = 16_000


@dataclass(frozen=True)
class Instruction:
    path: str  # relative to the repository root, with forward slashes: "src/api/AGENTS.md"
    text: str  # as read, cut at MAX_CHARS
    truncated: bool = False
    total_chars: int = 0


def _folders(root: Path, cwd: Path) -> list[Path]:
    """The root, then each folder down to `cwd`; only the root when `cwd` is elsewhere."""
    try:
        relative = cwd.relative_to(root)
    except ValueError:
        return [root]
    folders = [root]
    for part in relative.parts:
        if part == ".git":
            break
        folders.append(folders[-1] / part)
    return folders


def _read(path: Path, root: Path) -> str | None:
    """The file's text, or None when it is missing, not a file or leaves the repository."""
    if not path.is_file():
        return None
    real = Path(os.path.realpath(path))
    if real != root and root not in real.parents:
        return None
    return real.read_bytes().decode("utf-8", errors="replace")


def project_instructions(repo_root: Path, cwd: Path) -> list[Instruction]:
    root = Path(os.path.realpath(repo_root))
    here = Path(os.path.realpath(cwd))
    found: list[Instruction] = []
    for folder in _folders(root, here):
        seen: list[tuple[Path, str]] = []
        for name in FILE_NAMES:
            path = folder / name
            text = _read(path, root)
            if text is None or not text.strip():
                continue
            real = Path(os.path.realpath(path))
            if any(real == p or text == t for p, t in seen):  # CLAUDE.md -> AGENTS.md
                continue
            seen.append((real, text))
            relative = path.relative_to(root).as_posix()
            cut = len(text) > MAX_CHARS
            found.append(Instruction(relative, text[:MAX_CHARS], cut, len(text)))
    return found


def format_instructions(instructions: list[Instruction]) -> str:
    """The `$instructions` slot of the system prompt; empty when the project has none."""
    if not instructions:
        return ""
    blocks = []
    for item in instructions:
        text = item.text.rstrip("\n")
        if item.truncated:
            text += "\n" + message("instructions.truncated", total=item.total_chars)
        blocks.append(message("instructions.file", path=item.path, text=text))
    return render("instructions", files="\n".join(blocks)).rstrip("\n")
