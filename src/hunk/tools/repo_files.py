"""Which files the repository holds, as git sees them, and `**`-aware glob filters over them."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from hunk.workspace.git import git_output


async def repo_files(root: Path, under: str = ".") -> list[str]:
    """Tracked and untracked-not-ignored files below `under` that exist on disk, sorted."""
    out = await git_output(root, "ls-files", "-co", "--exclude-standard", "-z", "--", under)
    names = {name for name in out.decode("utf-8", "surrogateescape").split("\0") if name}
    present = [name for name in names if os.path.lexists(root / name)]
    return sorted(present)


@lru_cache(maxsize=64)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        elif char == "{":
            end = pattern.find("}", i)
            if end < 0:
                out.append(re.escape(char))
            else:
                options = pattern[i + 1 : end].split(",")
                out.append("(?:" + "|".join(_glob_regex(o).pattern[:-2] for o in options) + ")")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


class GlobMatcher:
    """`*.py` (no slash) matches the file name at any depth; a pattern with a slash matches the
    path from the repository root or from `base`; `**` spans directories; `{a,b}` alternates."""

    def __init__(self, pattern: str | None, base: str = ".") -> None:
        self.pattern = pattern.strip().lstrip("/") if pattern else None
        if self.pattern and self.pattern.startswith("./"):
            self.pattern = self.pattern[2:]
        self._regex = _glob_regex(self.pattern) if self.pattern else None
        self._by_name = bool(self.pattern) and "/" not in (self.pattern or "")
        self._base = "" if base in (".", "") else base.rstrip("/") + "/"

    def __call__(self, path: str) -> bool:
        if self._regex is None:
            return True
        if self._by_name:
            return bool(self._regex.match(path.rsplit("/", 1)[-1]))
        if self._regex.match(path):
            return True
        return bool(self._base) and path.startswith(self._base) and bool(self._regex.match(path[len(self._base) :]))
