"""hunk's own short-lived folders in the system's temporary folder, and the ones a killed hunk left.

Each is named `<prefix><pid>-<random>` (`hunk-msg-4242-k3j9a_x2`) by the process that makes it,
which removes it when done. A process killed outright (SIGKILL, the OOM killer) cannot; the next
hunk that makes a folder with the same prefix removes those that are provably stale: a folder
(not a link) of this user, named the way hunk names them, whose process no longer exists.
Folders of a live process, of other users, and any other name are left alone.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """A fresh private folder named after this process, removed on the way out; stale ones of
    the same prefix are swept first."""
    sweep(prefix)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep(prefix: str, where: Path | None = None) -> list[Path]:
    """Remove the `prefix` folders in `where` (the temporary folder) whose process is gone;
    returns them."""
    where = Path(where or tempfile.gettempdir())
    named = re.compile(re.escape(prefix) + r"([1-9][0-9]*)-[a-z0-9_]{8}")  # mkdtemp's 8 random characters
    removed = []
    try:
        entries = list(os.scandir(where))
    except OSError:
        return []
    for entry in entries:
        found = named.fullmatch(entry.name)
        if found is None or int(found[1]) == os.getpid() or _alive(int(found[1])):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether a process `pid` exists (unsure counts as alive: its folder stays)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process; a number no pid can be
        return True
    return True
