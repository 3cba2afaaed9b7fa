"""Recovery after a crash: the turn a journal left open, and putting everything back.

An open turn may have left three things, each journalled before it happened:
- a command that never ended (`command.begin` without `command.end`): every byte the person
  had, and the git state, were kept just before it; recovery puts all of it back;
- a commit under way (`commit.intent` without `commit` or `commit.failed`): recovery checks
  whether git finished it as planned; a finished commit is recorded (and the turn counts as
  committed, its files stay), an unfinished one leaves nothing behind (no stray index);
- the files the agent wrote (`write` records): put back as they were before the turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hunk.journal.journal import Journal, SessionStore, records_from_end
from hunk.journal.records import COMMIT, TURN_BEGIN, TURN_END, InterruptedWrite, SessionView, fold


class InterruptedTurn(Exception):
    """A session cannot start over an interrupted turn until the person settles it."""


@dataclass
class Pending:
    """What an interrupted turn left, from its journal."""

    writes: list[InterruptedWrite] = field(default_factory=list)
    keep: str | None = None  # the keep taken before a command that never ended
    intent: dict[str, Any] | None = None  # a commit that may or may not have been made
    committed: str | None = None  # the turn's commit, recorded before the crash

    @property
    def anything(self) -> bool:
        return bool(self.writes or self.keep or self.intent)

    def names(self) -> str:
        names = [w.path for w in self.writes]
        if self.keep:
            names.append("a command that never ended")
        if self.intent:
            names.append("a commit under way")
        return ", ".join(names) or "no files"


def may_be_open(path: Path) -> bool:
    """Whether the journal may hold a turn that never ended: its last turn record, read from the
    end, is a beginning. Every start asks, and a long session need not be folded, its messages
    parsed, to learn that it ended well."""
    try:
        return next((r.get("t") == TURN_BEGIN for r in records_from_end(path) if r.get("t") in (TURN_BEGIN, TURN_END)), False)
    except FileNotFoundError:
        return False


def _pending(view: SessionView) -> Pending | None:
    if view.open_turn is None:
        return None
    return Pending(view.interrupted, view.open_keep, view.open_intent, view.open_commit)


def pending_recovery(store: SessionStore) -> tuple[Path, Pending] | None:
    path = store.latest()
    if path is None:
        return None
    found = _pending(fold(path)) if may_be_open(path) else None
    return None if found is None else (path, found)


def restore(root: Path, journal: Journal, pending: Pending, *, keep_files: bool = False) -> list[str]:
    """Settle the interrupted turn. A finished commit is recorded and the turn's files stay.
    Otherwise the git state goes back, and (unless `keep_files`) every byte a killed command
    touched and every file the agent wrote goes back as before; a file changed since the agent
    wrote it is left alone and named. Returns the names left alone."""
    from hunk.workspace import gitstate, tree
    from hunk.workspace.changeset import content_hash
    from hunk.workspace.commits import finish_interrupted_commit, remove_stray_indexes
    from hunk.workspace.git import open_repo
    from hunk.workspace.keep import load
    from hunk.workspace.keep_restore import restore as restore_kept

    repo = open_repo(root)
    remove_stray_indexes(repo)
    if pending.intent is not None:
        sha = finish_interrupted_commit(repo, pending.intent)
        if sha is not None:
            journal.append(COMMIT, sha=sha, files=sorted(pending.intent.get("index") or {}), subject="(recovered)")
            pending.committed = sha
    if pending.keep is not None:
        manifest = load(repo, pending.keep)
        if keep_files:
            if manifest.git is not None:
                gitstate.put_back(repo, manifest.git)
                gitstate.put_back_index(repo, manifest.git)
        elif pending.committed is None:
            restore_kept(repo, manifest)
    skipped = []
    if not keep_files and pending.committed is None:
        for write in pending.writes:
            current, mode = tree.read_state(root, write.path)
            if content_hash(current) not in (write.after, write.before):
                skipped.append(write.path)
                continue
            tree.write_atomic(root, write.path, journal.blob(write.before), mode)
    status = "committed" if pending.committed else ("kept" if keep_files else "restored")
    journal.append(TURN_END, status=status, skipped=skipped, commit=pending.committed)
    return skipped


def refuse_if_interrupted(latest: SessionView | None) -> None:
    """Refuse to start while the last session (`latest`, folded by the caller: None when there
    is none) has an interrupted turn that left changes to settle."""
    found = None if latest is None else _pending(latest)
    if found is not None and found.anything:
        raise InterruptedTurn(
            f"an interrupted turn left changes ({found.names()}): run `hunk recover --restore` (put them back) or `hunk recover --keep`"
        )
