"""The small commands (`config`, `sessions`, `undo`, `recover`, the TUI's start) and what every
command shares: finding the repository, loading the configuration, opening the session."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hunk.cli import EXIT_OK, UsageError, opt
from hunk.config import Config, load_config, state_dir
from hunk.session import Journal, SessionStore, interrupted_writes, restore_history


@dataclass
class Context:
    root: Path
    config: Config
    store: SessionStore


def find_root(cwd: Path | None = None) -> Path:
    from hunk.workspace.errors import GitStateError
    from hunk.workspace.git import open_repo

    try:
        return open_repo(cwd or Path.cwd()).root
    except GitStateError:
        raise UsageError("not inside a git repository: run hunk inside one (or `git init` first)") from None


def flags(args: argparse.Namespace) -> dict[str, Any]:
    approval = "auto" if opt(args, "yes") else opt(args, "approval")
    return {
        "model": opt(args, "model"),
        "approval": approval,
        "reasoning": opt(args, "reasoning"),
        "max_turns": opt(args, "max_turns"),
        "max_cost": opt(args, "max_cost"),
        "no_commit": True if opt(args, "no_commit") else None,
    }


def context(args: argparse.Namespace) -> Context:
    root = find_root()
    config = load_config(root, os.environ, flags(args))
    return Context(root, config, SessionStore(state_dir(os.environ), root))


def open_session(args: argparse.Namespace, store: SessionStore) -> tuple[Journal, list]:
    """A new journal, or the one `-c`/`--resume` names with its conversation restored."""
    resume = opt(args, "resume")
    if resume:
        path = store.find(resume)
        if path is None:
            raise UsageError(f"no session {resume!r} in this repository (see `hunk sessions`)")
    elif opt(args, "continue_"):
        path = store.latest()
        if path is None:
            raise UsageError("no earlier session in this repository to continue")
    else:
        return store.create(), []
    return Journal(path), restore_history(path)


# --- hunk config ---------------------------------------------------------------------------


def show_config(args: argparse.Namespace) -> int:
    from hunk.config import describe

    try:
        root: Path | None = find_root()
    except UsageError:
        root = None
    print(describe(load_config(root, os.environ, flags(args))))
    return EXIT_OK


# --- hunk sessions -------------------------------------------------------------------------


def list_sessions(args: argparse.Namespace) -> int:
    ctx = context(args)
    summaries = ctx.store.summaries()
    if not summaries:
        print("no sessions yet in this repository")
        return EXIT_OK
    print(f"{'ID':<24} {'STARTED':<16} {'TURNS':>5} {'COST':>9} {'COMMITS':>7}  FIRST PROMPT")
    for s in summaries:
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.started_at))
        prompt = " ".join(s.first_prompt.split())[:60]
        flag = " (interrupted)" if s.unfinished_turn is not None else ""
        print(f"{s.id:<24} {started:<16} {s.turns:>5} {'$%.4f' % s.cost_usd:>9} {len(s.commits):>7}  {prompt}{flag}")
    return EXIT_OK


# --- hunk undo -----------------------------------------------------------------------------


def undo(args: argparse.Namespace) -> int:
    from hunk.undoing import NothingToUndo, undo_last_commit

    ctx = context(args)
    try:
        _, said = undo_last_commit(ctx.root, ctx.store.paths())
    except NothingToUndo as exc:
        raise UsageError(str(exc)) from None
    print(said)
    return EXIT_OK


# --- recovery after a crash ----------------------------------------------------------------


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
    journal.append("turn.end", status="restored", skipped=skipped)
    return skipped


def recover(args: argparse.Namespace) -> int:
    ctx = context(args)
    found = pending_recovery(ctx.store)
    if found is None:
        print("nothing to recover: the last session ended cleanly")
        return EXIT_OK
    path, writes = found
    journal = Journal(path)
    names = ", ".join(w.path for w in writes) or "no files"
    if opt(args, "keep"):
        journal.append("turn.end", status="kept")
        print(f"kept the interrupted turn's changes in {names}; they are uncommitted, review them with git diff")
        return EXIT_OK
    if not opt(args, "restore"):
        raise UsageError(f"an interrupted turn changed {names}: say `hunk recover --restore` or `hunk recover --keep`")
    skipped = restore(ctx.root, journal, writes)
    print(f"restored the state before the interrupted turn ({names})")
    for name in skipped:
        print(f"left {name} alone: it changed after the agent wrote it", file=sys.stderr)
    return EXIT_OK


def refuse_if_interrupted(store: SessionStore) -> None:
    found = pending_recovery(store)
    if found is not None and found[1]:
        names = ", ".join(w.path for w in found[1])
        raise UsageError(
            f"an interrupted turn left changes in {names}: run `hunk recover --restore` (put them back) or `hunk recover --keep`"
        )


# --- the TUI -------------------------------------------------------------------------------


def start_tui(args: argparse.Namespace) -> int:
    from hunk.tui_launch import launch

    ctx = context(args)
    refuse_if_interrupted(ctx.store)
    journal, history = open_session(args, ctx.store)
    return launch(ctx.root, ctx.config, journal, history, mode=ctx.config.approval or "ask")
