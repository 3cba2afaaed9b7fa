"""One live session per repository: a lock file beside the journals, holding the owner's pid.

`hold` takes an exclusive `flock` on `<sessions>/<repo-key>/live.lock` for the life of the
process (the kernel lets go when the process dies, `kill -9` included; commands do not inherit
the descriptor) and writes the owner's pid and session id into it, so a second session, and
`hunk recover`, can say which one is running.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from hunk.journal.journal import SessionStore, private_dirs

LOCK_NAME = "live.lock"
_held: dict[Path, int] = {}  # lock file → descriptor, for the life of the process


class SessionBusy(Exception):
    """Another live hunk session holds this repository."""


def _path(store: SessionStore) -> Path:
    private_dirs(store.dir)
    return store.dir / LOCK_NAME


def _owner_text(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 200).decode("utf-8", "replace").split()
    pid = raw[0] if raw else "?"
    session = raw[1] if len(raw) > 1 else "?"
    return f"pid {pid}, session {session}"


def hold(store: SessionStore, session_id: str, doing: str = "start") -> None:
    """Hold the repository for this process, or raise SessionBusy naming the live session."""
    path = _path(store)
    if path in _held:
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        owner = _owner_text(fd)
        os.close(fd)
        raise SessionBusy(
            f"another hunk session is running in this repository ({owner}); cannot {doing} until it ends"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {session_id}\n".encode(), 0)
    _held[path] = fd


def release(store: SessionStore) -> None:
    fd = _held.pop(store.dir / LOCK_NAME, None)
    if fd is not None:
        os.close(fd)


def stamp_owner(store: SessionStore, session_id: str) -> None:
    """Name the session in the lock this process holds (once its journal exists)."""
    fd = _held.get(store.dir / LOCK_NAME)
    if fd is not None:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {session_id}\n".encode(), 0)
