"""What the prompt can complete: slash commands and `@path` files (git-aware, fuzzy)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hunk.workspace.errors import WorkspaceError


@dataclass(frozen=True)
class SlashCommand:
    """A `/` command the prompt completes and the palette lists."""

    name: str
    usage: str
    help: str


SLASH_COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand("help", "/help", "show the commands and keys"),
    SlashCommand("model", "/model PROVIDER:MODEL", "switch the model"),
    SlashCommand("approval", "/approval ask|plan|review|auto", "switch the approval mode (shift+tab cycles)"),
    SlashCommand("plan", "/plan [PROMPT]", "plan mode: read, then propose a plan; nothing changes until you approve it"),
    SlashCommand("undo", "/undo", "take back the last agent commit"),
    SlashCommand("diff", "/diff", "show the session's changes so far"),
    SlashCommand("rewind", "/rewind [N]", "go back to before a turn: code, conversation or both"),
    SlashCommand("redo", "/redo", "bring back the conversation of the last rewind"),
    SlashCommand("fork", "/fork [N]", "go on in a new session from before a turn"),
    SlashCommand("clear", "/clear", "start a new conversation"),
    SlashCommand("compact", "/compact", "summarise older turns to free context"),
    SlashCommand("cost", "/cost", "tokens and cost of this session"),
    SlashCommand("mcp", "/mcp [approve NAME]", "MCP servers: state, tools, last error"),
    SlashCommand("quit", "/quit", "leave hunk"),
)

_ATTACHMENT = re.compile(r"(?:^|\s)@(\S+)")


def fuzzy_score(query: str, candidate: str) -> int | None:
    """None when `query` is not a subsequence of `candidate`; higher is better.

    Contiguous runs, matches at word starts and matches in the file name score more; a
    shorter candidate wins ties.
    """
    if not query:
        return -len(candidate)
    q = query.lower()
    c = candidate.lower()
    base = c.rfind("/") + 1
    score = 0
    position = -1
    previous = -2
    for char in q:
        position = c.find(char, position + 1)
        if position < 0:
            return None
        if position == previous + 1:
            score += 5
        if position == 0 or c[position - 1] in "/_-. ":
            score += 3
        if position >= base:
            score += 2
        previous = position
    if q in c[base:]:
        score += 10
    return score * 10 - len(candidate)


def fuzzy_filter(query: str, candidates: list[str], limit: int = 8) -> list[str]:
    scored = [(s, c) for c in candidates if (s := fuzzy_score(query, c)) is not None]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [c for _, c in scored[:limit]]


def slash_matches(word: str, custom: tuple[SlashCommand, ...] = ()) -> list[SlashCommand]:
    """Built-in commands, then the repository's and the person's own, that start with `word`."""
    name = word.removeprefix("/")
    return [c for c in SLASH_COMMANDS + custom if c.name.startswith(name)]


def list_repo_files(root: Path) -> list[str]:
    """Blocking (run it in a thread): tracked plus untracked-not-ignored files, sorted."""
    from hunk.workspace.git import listed_files  # git's module waits for the first @, not the first paint

    try:
        return listed_files(root)
    except WorkspaceError:
        return sorted(
            str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
        )[:5000]


def attachments(text: str, known: set[str], root: Path) -> list[str]:
    """The `@path` words of a prompt that name files in the repository."""
    found: list[str] = []
    for match in _ATTACHMENT.finditer(text):
        path = match.group(1).rstrip(",.;:)")
        if path in found:
            continue
        if path in known or (root / path).is_file():
            found.append(path)
    return found
