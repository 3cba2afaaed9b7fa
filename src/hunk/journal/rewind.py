"""Rewind a session to the point before one of its turns: its code through the commit engine
(agent commits reset while unpushed, reverted otherwise; the person's later edits kept, or the
rewind refused naming the files), its conversation cut in the journal but kept, so `redo` can
bring it back. A fork starts a new session from the conversation before a chosen turn."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hunk.journal.journal import Journal, new_session_id
from hunk.journal.records import REDONE, REWOUND, SESSION, SessionView, TurnRecord, fold, history_before
from hunk.settings.prompts import message


class RewindRefused(Exception):
    """The rewind cannot be done as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Rewound:
    turn: int
    commits: tuple[str, ...]  # agent commits taken back, newest first
    files: tuple[str, ...]
    conversation: bool


def pick_turn(view: SessionView, number: int) -> TurnRecord:
    target = view.turn(number)
    if target is None:
        raise RewindRefused(message("rewind.no_such_turn", turn=number, turns=len(view.turn_log)))
    if view.open_turn is not None:
        raise RewindRefused(message("rewind.turn_open"))
    return target


def rewind(root: Path, path: Path, number: int, *, code: bool = True, conversation: bool = True) -> Rewound:
    """Go back to before turn `number` of the session journalled at `path`."""
    from hunk.journal.undo import undo_journalled
    from hunk.workspace.errors import UndoConflict
    from hunk.workspace.git import open_repo

    view = fold(path)
    target = pick_turn(view, number)
    if conversation and target.epoch != view.epoch:
        raise RewindRefused(message("rewind.compacted", turn=number))
    journal = Journal(path)
    live = {c.sha for c in view.live_commits}
    undone: list[str] = []
    files: list[str] = []
    if code:
        repo = open_repo(root)
        later = [sha for turn in view.turn_log[number - 1 :] for sha in turn.commits if sha in live]
        for sha in reversed(later):
            try:
                result = undo_journalled(repo, journal, sha)
            except UndoConflict as conflict:
                raise RewindRefused(
                    message("rewind.conflict", paths=", ".join(conflict.paths), done=len(undone))
                ) from None
            undone.append(sha)
            files.extend(f for f in result.files if f not in files)
    if conversation:
        journal.append(REWOUND, turn=number, code=code, conversation=True)
    return Rewound(number, tuple(undone), tuple(files), conversation)


def redo(path: Path) -> bool:
    """Bring back the conversation of the latest rewind; False when there is none to redo."""
    if not fold(path).redo:
        return False
    Journal(path).append(REDONE)
    return True


def fork(path: Path, number: int) -> Journal:
    """A new session, beside this one, whose conversation is this one's before turn `number`;
    the old one stays as it was."""
    view = fold(path)
    target = pick_turn(view, number)
    if target.epoch != view.epoch:
        raise RewindRefused(message("rewind.compacted", turn=number))
    child = Journal(path.parent / f"{new_session_id()}.jsonl")
    child.append(SESSION, model=view.model, forked_from=view.id, at_turn=number)
    for kept in history_before(view.history, target):
        child.message(kept)
    return child
