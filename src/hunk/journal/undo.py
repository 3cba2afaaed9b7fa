"""Taking back agent commits (`hunk undo`, `/undo`), and showing a session's commits (`/diff`).

The journals say which commits the agent made; the workspace engine takes one back without
touching the user's other work.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from hunk.journal.journal import Journal
from hunk.journal.records import UNDO, fold

if TYPE_CHECKING:
    from hunk.workspace.commits import UndoResult
    from hunk.workspace.git import GitRepo


class NothingToUndo(Exception):
    """No agent commit is left to take back."""


def session_commits(path: Path) -> list[str]:
    """The commits one session made, oldest first, without those undone since."""
    return [c.sha for c in fold(path).live_commits]


def last_agent_commit(journals: Iterable[Path]) -> tuple[Path, str] | None:
    """The newest commit any of these sessions made that has not been undone."""
    best: tuple[float, Path, str] | None = None
    for path in journals:
        for commit in fold(path).live_commits:
            if best is None or commit.at > best[0]:
                best = (commit.at, path, commit.sha)
    return None if best is None else (best[1], best[2])


def undo_journalled(repo: GitRepo, journal: Journal, sha: str) -> UndoResult:
    """Take back one agent commit of `journal`'s session, and journal that it was."""
    from hunk.workspace.commits import undo_last

    result = undo_last(repo, sha)
    journal.append(UNDO, sha=sha, mode=result.mode, new_head=result.sha)
    return result


def undo_last_commit(root: Path, journals: Iterable[Path]) -> tuple[str, str]:
    """Take back the newest agent commit. Returns (its sha, one line saying what happened)."""
    from hunk.workspace.git import open_repo

    found = last_agent_commit(journals)
    if found is None:
        raise NothingToUndo("no agent commit to undo in this repository")
    path, sha = found
    result = undo_journalled(open_repo(root), Journal(path), sha)
    how = "removed it from the branch" if result.mode == "reset" else f"made revert commit {str(result.sha)[:10]}"
    return sha, f"undid {sha[:10]}: {how}; {len(result.files)} file(s) back as they were"
