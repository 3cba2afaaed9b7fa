"""hunk.cli — the face: parses the command line, loads the configuration and picks a front end.

May import: everything (the TUI lazily). Only the standard library is imported at the top, so
`hunk --version` and `hunk --help` answer at once; each command imports what it needs (the TUI
lazily, the SDKs only with a provider). Public: main.
"""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING

from hunk.cli.exits import EXIT_INTERRUPTED, EXIT_OK, classify_error
from hunk.cli.flags import opt

if TYPE_CHECKING:
    import argparse


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if words:
        from hunk.cli.parser import parse

        args = parse(words)
    else:  # plain `hunk`: what the grammar reads from nothing, without loading argparse before the first paint
        args = SimpleNamespace(command=None)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("hunk: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into one line
        return _report(exc, debug=bool(opt(args, "debug")))


def _report(exc: Exception, *, debug: bool) -> int:
    message, code = classify_error(exc)
    if debug:
        import traceback

        traceback.print_exception(exc)
    print(f"hunk: {message}", file=sys.stderr)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "models":
        from hunk.providers.models_report import models_report

        print(models_report(os.environ), end="")
        return EXIT_OK
    if command == "demo":
        from hunk.cli.demo import run_demo

        return run_demo(args)
    if command == "config":
        from hunk.cli.commands import show_config

        return show_config(args)
    if command == "sessions":
        from hunk.cli.commands import list_sessions

        return list_sessions(args)
    if command == "undo":
        from hunk.cli.commands import undo

        return undo(args)
    if command == "recover":
        from hunk.cli.commands import recover

        return recover(args)
    if command == "mcp":
        from hunk.cli.mcp import run_mcp

        return run_mcp(args)
    if command == "rewind":
        from hunk.cli.rewind import run_rewind

        return run_rewind(args)
    if command == "run":
        from hunk.cli.run import run_oneshot

        return run_oneshot(args)
    if command == "init":
        from hunk.cli.run import init_prompt, run_oneshot

        args.prompt = [init_prompt()]
        return run_oneshot(args)
    from hunk.cli.commands import start_tui

    return start_tui(args)

