"""What every command shares: finding the repository, loading the configuration, opening the
session (new, or the one `-c`/`--resume` names)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hunk.cli.exits import UsageError
from hunk.cli.flags import flags, opt
from hunk.settings.config import Config, load_config, state_dir
from hunk.journal.journal import Journal, SessionStore
from hunk.journal.records import Resumed, fold
from hunk.journal.recovery import may_be_open, refuse_if_interrupted

if TYPE_CHECKING:  # the command line's grammar loads only when there are arguments to read
    import argparse


@dataclass
class Context:
    """What every command that works in a repository starts from."""

    root: Path
    config: Config
    store: SessionStore


def find_root(cwd: Path | None = None) -> Path:
    """The work tree's top folder: read from the files when the layout is plain, else asked of
    git itself (neither GitPython nor a git process delays the first paint)."""
    from hunk.workspace.head import work_tree_top

    try:
        return work_tree_top(cwd or Path.cwd())
    except LookupError:
        pass
    from hunk.workspace.errors import GitStateError
    from hunk.workspace.git import run_git

    try:
        top = run_git(cwd or Path.cwd(), "rev-parse", "--show-toplevel", check=False).decode("utf-8", "replace").strip()
    except GitStateError:  # no git at all
        top = ""
    if not top:  # outside a repository, in a bare one, or inside .git
        raise UsageError("not inside a git repository: run hunk inside one (or `git init` first)")
    return Path(top)


def context(args: argparse.Namespace) -> Context:
    root = find_root()
    config = load_config(root, os.environ, flags(args))
    return Context(root, config, SessionStore(state_dir(os.environ), root))


def open_session(args: argparse.Namespace, store: SessionStore) -> tuple[Journal, Resumed]:
    """A new journal, or the one `-c`/`--resume` names with the session as it left it; refused
    (InterruptedTurn) while the last session has an interrupted turn to settle. A journal is
    read and folded once here, and everything the session starts from comes from that fold."""
    latest = store.latest()
    resume = opt(args, "resume")
    wanted = bool(resume or opt(args, "continue_")) or (latest is not None and may_be_open(latest))
    view = fold(latest) if latest is not None and wanted else None  # a new session after one that ended well folds nothing
    refuse_if_interrupted(view)
    if resume:
        path = store.find(resume)
        if path is None:
            raise UsageError(f"no session {resume!r} in this repository (see `hunk sessions`)")
        if path != latest:
            view = fold(path)
    elif opt(args, "continue_"):
        if latest is None or view is None:
            raise UsageError("no earlier session in this repository to continue")
        path = latest
    else:
        return store.create(), Resumed()
    return Journal(path), Resumed.of(view)


def hold_repository(store: SessionStore, doing: str) -> None:
    """One live session per repository: hold it, or a UsageError naming the session running."""
    from hunk.journal.lock import SessionBusy, hold

    try:
        hold(store, "-", doing)
    except SessionBusy as exc:
        raise UsageError(str(exc)) from None
