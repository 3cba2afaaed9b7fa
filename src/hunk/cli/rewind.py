"""`hunk rewind`: list a session's turns, go back to before one (code, conversation or both),
redo a rewound conversation, or fork a new session from a turn."""

from __future__ import annotations

import argparse
import json
import sys

from hunk.cli.context import Context, context, hold_repository
from hunk.cli.exits import EXIT_OK, UsageError
from hunk.cli.flags import opt
from hunk.journal.records import SessionView, fold
from hunk.journal.rewind import RewindRefused, fork, redo, rewind
from hunk.settings.prompts import message


def _session(args: argparse.Namespace) -> tuple[SessionView, Context]:
    ctx = context(args)
    resume = opt(args, "resume")
    path = ctx.store.find(resume) if resume else ctx.store.latest()
    if path is None:
        raise UsageError(f"no session {resume!r} in this repository (see `hunk sessions`)" if resume else "no session in this repository yet")
    return fold(path), ctx


def _rows(view: SessionView) -> list[dict]:
    live = {c.sha for c in view.live_commits}
    return [
        {
            "turn": t.number,
            "prompt": t.prompt,
            "commits": [sha for sha in t.commits if sha in live],
            "files": t.files,
            "cost_usd": t.cost_usd,
            "rewound": t.rewound,
        }
        for t in view.turn_log
    ]


def run_rewind(args: argparse.Namespace) -> int:
    view, ctx = _session(args)
    if opt(args, "list") or (opt(args, "turn") is None and not opt(args, "redo")):
        rows = _rows(view)
        if opt(args, "json"):
            for row in rows:
                print(json.dumps({"session": view.id, **row}, ensure_ascii=False))
            return EXIT_OK
        print(f"session {view.id}")
        for row in rows:
            commit = ",".join(sha[:10] for sha in row["commits"]) or "-"
            mark = "  (rewound)" if row["rewound"] else ""
            prompt = " ".join(row["prompt"].split())[:60]
            print(f"{row['turn']:>3}  {commit:<10}  {', '.join(row['files']) or '-':<30}  {prompt}{mark}")
        return EXIT_OK
    hold_repository(ctx.store, "rewind")  # a live session's turn, code and journal are its own
    try:
        if opt(args, "redo"):
            print(message("rewind.redone") if redo(view.path) else message("rewind.nothing_to_redo"))
            return EXIT_OK
        number = int(opt(args, "turn"))
        if opt(args, "fork"):
            child = fork(view.path, number)
            print(message("rewind.forked", session=child.session_id, turn=number, parent=view.id))
            return EXIT_OK
        what = opt(args, "what") or "both"
        if not opt(args, "yes") and not _confirm(number, what):
            print("nothing rewound")
            return EXIT_OK
        done = rewind(ctx.root, view.path, number, code=what in ("code", "both"), conversation=what in ("conversation", "both"))
    except RewindRefused as refused:
        raise UsageError(str(refused)) from None
    code = (
        message("rewind.code_back", count=len(done.commits), files=", ".join(done.files) or "no files")
        if done.commits
        else message("rewind.code_none")
    ) if what != "conversation" else ""
    said = message("rewind.conversation_cut") if done.conversation else message("rewind.conversation_kept")
    print(message("rewind.done", turn=number, code=code, conversation=said))
    return EXIT_OK


def _confirm(number: int, what: str) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(f"hunk rewind {number} changes your repository: pass --yes to confirm without a terminal")
    answer = input(f"Rewind the {what} to before turn {number}? [y/N] ").strip().lower()
    return answer.startswith("y")
