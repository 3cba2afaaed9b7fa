"""The branch the work tree is on, read from its HEAD file without starting git: the TUI's
header shows it in the first paint, and a git process costs more than the file read. Anything
unusual (GIT_DIR set, a HEAD that is neither a branch nor a commit) is a LookupError: ask git
then (`hunk.workspace.git.branch_name`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

_BRANCH = "ref: refs/heads/"
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def head_branch(root: Path) -> str | None:
    """The branch HEAD names (also an unborn one), or None when HEAD is detached."""
    if "GIT_DIR" in os.environ:
        raise LookupError("GIT_DIR is set")
    dot_git = root / ".git"
    try:
        if dot_git.is_file():  # a linked worktree or a submodule: "gitdir: PATH"
            pointer = dot_git.read_text(encoding="utf-8").strip()
            if not pointer.startswith("gitdir:"):
                raise LookupError(f"{dot_git}: not a gitdir pointer")
            dot_git = root / pointer.removeprefix("gitdir:").strip()  # an absolute PATH stays absolute
        head = (dot_git / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise LookupError(str(error)) from None
    if head.startswith(_BRANCH):
        return head.removeprefix(_BRANCH)
    if _COMMIT.fullmatch(head):
        return None
    raise LookupError(f"HEAD is {head!r}")
