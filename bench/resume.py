"""Resuming a long session: time and journal reads of what `hunk -c` does before the agent is
built (find the session used last, refuse over an interrupted turn, restore the conversation,
the usage totals and the earlier prompts), on a journal of N records (default 2,000).

"before" replays the pre-fold path: each reader folded the journal itself (the interrupted-turn
check, the conversation, the totals, the TUI's earlier prompts) and the session used last was
looked up twice, parsing every record whole. "after" is `open_session` as the CLI calls it now: one fold, one `Resumed`.

Run: python bench/resume.py [--records 2000] [--runs 7]
"""

from __future__ import annotations

import argparse
import builtins
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hunk.cli.context import open_session
from hunk.journal.journal import Journal, SessionStore, restore_history, usage_totals
from hunk.journal.records import COMMIT, SESSION, TURN_BEGIN, TURN_END, UNDO, fold, read_records
from hunk.journal.recovery import refuse_if_interrupted
from hunk.values.conversation import Message, TextPart, ToolCallPart, ToolResultPart
from hunk.values.usage import Usage

PER_TURN = 8  # records one turn writes below


def write_session(journal: Journal, records: int) -> None:
    """A session of `records` records: turns that read a file, answer and commit."""
    journal.append(SESSION, model="anthropic:claude-sonnet-4-5", repo="/tmp/r", mode="ask")
    for turn in range(1, max(1, records // PER_TURN) + 1):
        prompt = f"turn {turn}: tidy module_{turn}.py and keep its tests green"
        journal.append(TURN_BEGIN, turn=turn, prompt=prompt)
        journal.message(Message.user(prompt))
        call = ToolCallPart(f"c{turn}", "read_file", {"path": f"module_{turn}.py"})
        journal.message(Message("assistant", (TextPart("Reading it first."), call)))
        body = "".join(f"{n:>4}  def f_{n}(x):  return x * {n}\n" for n in range(40))
        journal.message(Message("user", (ToolResultPart(call.id, body),)))
        journal.message(Message("assistant", (TextPart(f"Tidied module_{turn}.py."),)))
        journal.usage(Usage(input_tokens=1200 + turn, output_tokens=300, cache_read_tokens=9000), 0.0123)
        journal.append(COMMIT, sha=f"{turn:040x}", files=[f"module_{turn}.py"], subject=f"Tidy module_{turn}.py")
        journal.append(TURN_END, turn=turn, status="done", commit=f"{turn:040x}")


def latest_parsed(store: SessionStore) -> Path | None:
    """The session used last, found as it was before `last_used` read from the end: every
    record parsed whole."""

    def used(path: Path) -> tuple[float, str]:
        times = [r.get("at", 0.0) for r in read_records(path) if r.get("t") != UNDO]
        return (max(times) if times else path.stat().st_mtime, path.name)

    paths = store.paths()
    return max(paths, key=used) if paths else None


def before(store: SessionStore) -> object:
    latest = latest_parsed(store)  # refuse_if_interrupted
    refuse_if_interrupted(fold(latest) if latest else None)
    path = latest_parsed(store)  # open_session
    assert path is not None
    history = restore_history(path)  # cli/context.open_session
    totals = usage_totals(path)  # agent/assemble.build_agent
    prompts = [t.prompt for t in fold(path).turn_log] if history else ()  # tui/launch.launch
    return history, totals, prompts


def after(store: SessionStore) -> object:
    return open_session(argparse.Namespace(continue_=True, resume=None), store)


def opens_of(path: Path, run: Callable[[], object]) -> int:
    """How often `run` opens the journal at `path`."""
    seen = 0
    real = builtins.open

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        seen += file == path or str(file) == str(path)
        return real(file, *args, **kwargs)

    builtins.open = counting
    try:
        run()
    finally:
        builtins.open = real
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hunk-bench-resume-") as folder:
        store = SessionStore(Path(folder) / "state", Path(folder) / "repo")
        journal = store.create()
        write_session(journal, args.records)
        lines = sum(1 for _ in journal.path.open(encoding="utf-8"))
        size = journal.path.stat().st_size / 1e6
        print(f"journal: {lines} records, {size:.1f} MB")
        for name, run in (("before", before), ("after", after)):
            run(store)  # warm
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                run(store)
                times.append(time.perf_counter() - start)
            reads = opens_of(journal.path, lambda: run(store))
            print(f"{name:>6}: median {statistics.median(times) * 1000:.1f} ms over {args.runs} runs "
                  f"(min {min(times) * 1000:.1f} ms), {reads} reads of the journal")


if __name__ == "__main__":
    main()
