"""Recovery after a crash: the turn a journal left open, and putting its files back."""

from __future__ import annotations

from pathlib import Path

from hunk.journal.journal import Journal, SessionStore, interrupted_writes
from hunk.journal.records import TURN_END


class InterruptedTurn(Exception):
    """A session cannot start over an interrupted turn until the person settles it."""


def pending_recovery(store: SessionStore) -> tuple[Path, list] | None:
    path = store.latest()
    if path is None:
        return None
    turn, writes = interrupted_writes(path)
    if turn is None:
        return None
    return path, writes


def restore(root: Path, journal: Journal, writes: list) -> list[str]:
    """Put every file the interrupted turn wrote back as it was before the turn. A file changed
    since the agent wrote it is left alone and named."""
    from hunk.workspace import tree
    from hunk.workspace.changeset import content_hash

    skipped = []
    for write in writes:
        current, mode = tree.read_state(root, write.path)
        if content_hash(current) not in (write.after, write.before):
            skipped.append(write.path)
            continue
        tree.write_atomic(root, write.path, journal.blob(write.before), mode)
    journal.append(TURN_END, status="restored", skipped=skipped)
    return skipped


def refuse_if_interrupted(store: SessionStore) -> None:
    found = pending_recovery(store)
    if found is not None and found[1]:
        names = ", ".join(w.path for w in found[1])
        raise InterruptedTurn(
            f"an interrupted turn left changes in {names}: run `hunk recover --restore` (put them back) or `hunk recover --keep`"
        )
