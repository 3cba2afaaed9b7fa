"""The small commands: `config`, `sessions`, `undo`, `recover`, and starting the TUI."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from hunk.cli.context import context, find_root, hold_repository, open_session
from hunk.cli.exits import EXIT_OK, UsageError
from hunk.cli.flags import flags, opt
from hunk.settings.config import load_config
from hunk.journal.journal import Journal
from hunk.journal.lock import stamp_owner
from hunk.journal.recovery import pending_recovery, restore
from hunk.journal.records import TURN_END

if TYPE_CHECKING:  # the command line's grammar loads only when there are arguments to read
    import argparse


# --- hunk config ---------------------------------------------------------------------------


def show_config(args: argparse.Namespace) -> int:
    from hunk.providers.catalog import small_model
    from hunk.settings.describe import describe

    try:
        root: Path | None = find_root()
    except UsageError:
        root = None
    config = load_config(root, os.environ, flags(args))
    provider, _, model = config.model.partition(":")
    small = f"the commit subject uses {small_model(provider, model, config.models.small)}"
    print(describe(config, {"models.small": small}))
    if root is not None:
        from hunk.agent.assemble import make_sandbox

        print(f"\n{make_sandbox(config, root).state()}")
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
        flag += f" (fork of {s.forked_from})" if s.forked_from else ""
        print(f"{s.id:<24} {started:<16} {s.turns:>5} {'$%.4f' % s.cost_usd:>9} {len(s.commits):>7}  {prompt}{flag}")
    return EXIT_OK


# --- hunk undo -----------------------------------------------------------------------------


def undo(args: argparse.Namespace) -> int:
    from hunk.journal.undo import NothingToUndo, undo_last_commit

    ctx = context(args)
    hold_repository(ctx.store, "undo")
    try:
        _, said = undo_last_commit(ctx.root, ctx.store.paths())
    except NothingToUndo as exc:
        raise UsageError(str(exc)) from None
    print(said)
    return EXIT_OK


# --- hunk recover --------------------------------------------------------------------------


def recover(args: argparse.Namespace) -> int:
    ctx = context(args)
    hold_repository(ctx.store, "recover")
    found = pending_recovery(ctx.store)
    if found is None or not found[1].anything:
        if found is not None:
            Journal(found[0]).append(TURN_END, status="nothing to recover")
        print("nothing to recover: the last session ended cleanly")
        return EXIT_OK
    path, pending = found
    journal = Journal(path)
    names = pending.names()
    if opt(args, "keep"):
        restore(ctx.root, journal, pending, keep_files=True)
        if pending.committed:
            print(f"the interrupted turn's commit {pending.committed[:10]} was complete; recorded it")
        else:
            print(f"kept the interrupted turn's changes ({names}); they are uncommitted, review them with git diff")
        return EXIT_OK
    if not opt(args, "restore"):
        raise UsageError(f"an interrupted turn left changes ({names}): say `hunk recover --restore` or `hunk recover --keep`")
    skipped = restore(ctx.root, journal, pending)
    if pending.committed:
        print(f"the interrupted turn's commit {pending.committed[:10]} was complete; recorded it (hunk undo takes it back)")
    else:
        print(f"restored the state before the interrupted turn ({names})")
    for name in skipped:
        print(f"left {name} alone: it changed after the agent wrote it", file=sys.stderr)
    return EXIT_OK


# --- the TUI -------------------------------------------------------------------------------


def start_tui(args: argparse.Namespace) -> int:
    from hunk.tui.launch import launch

    ctx = context(args)
    hold_repository(ctx.store, "start")
    journal, resumed = open_session(args, ctx.store)
    stamp_owner(ctx.store, journal.session_id)
    return launch(ctx.root, ctx.config, journal, resumed, mode=ctx.config.approval or "ask")
