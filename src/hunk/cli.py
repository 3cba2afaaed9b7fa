"""The `hunk` command: argument parsing, configuration, and picking a front end.

Only the standard library is imported at the top, so `hunk --version` and `hunk --help` answer
at once; each command imports what it needs (the TUI lazily, the SDKs only with a provider).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REJECTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """Bad usage or configuration: one line on stderr, exit 2."""


def _common(parser: argparse.ArgumentParser, *, run: bool) -> None:
    S = argparse.SUPPRESS  # so a subcommand's defaults never hide a value given before it
    parser.add_argument("-m", "--model", default=S, metavar="PROVIDER:MODEL", help="model to use, e.g. anthropic:claude-sonnet-4-6, openai:gpt-5, ollama:qwen2.5-coder")
    parser.add_argument("--approval", choices=("ask", "review", "auto"), default=S, help="how changes and commands are approved")
    parser.add_argument("--reasoning", choices=("off", "low", "medium", "high"), default=S, help="how hard the model thinks before answering, where it can (default off)")
    parser.add_argument("-y", "--yes", action="store_true", default=S, help="accept everything (same as --approval auto)")
    parser.add_argument("--no-commit", action="store_true", default=S, help="leave accepted changes uncommitted")
    parser.add_argument("--max-turns", type=int, default=S, metavar="N", help="model requests per prompt (default 50)")
    parser.add_argument("--max-cost", type=float, default=S, metavar="USD", help="stop before the session would cost more")
    parser.add_argument("-c", "--continue", dest="continue_", action="store_true", default=S, help="continue the latest session in this repository")
    parser.add_argument("--resume", default=S, metavar="ID", help="continue a chosen session (see hunk sessions)")
    parser.add_argument("--debug", action="store_true", default=S, help="show tracebacks")
    if run:
        parser.add_argument("--json", action="store_true", default=S, help="print JSON events, one per line")
        parser.add_argument("-q", "--quiet", action="store_true", default=S, help="print the diffstat alone, not the diffs")
        parser.add_argument("-f", "--file", default=S, metavar="FILE", help="read the prompt from FILE")


def build_parser() -> argparse.ArgumentParser:
    from hunk import __version__

    parser = argparse.ArgumentParser(
        prog="hunk",
        description="A coding agent for your terminal: every change reaches you hunk by hunk, and only what you accept is committed.",
    )
    parser.add_argument("--version", action="version", version=f"hunk {__version__}")
    _common(parser, run=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="one prompt, then exit (scripts and CI)")
    run.add_argument("prompt", nargs="*", help="the prompt (or -f FILE, or stdin)")
    _common(run, run=True)
    demo = commands.add_parser("demo", help="a scripted session on a sample repository, no API key needed")
    demo.add_argument("--plain", action="store_true", help="run the demo in the plain terminal printer instead of the TUI")
    demo.add_argument("--keep", action="store_true", help="keep the sample repository afterwards and print its path")
    _common(demo, run=False)
    init = commands.add_parser("init", help="write a starter AGENTS.md from a look at the repository (reviewed like any change)")
    _common(init, run=True)
    sessions = commands.add_parser("sessions", help="list this repository's sessions")
    _common(sessions, run=False)
    undo = commands.add_parser("undo", help="take back the last agent commit")
    _common(undo, run=False)
    models = commands.add_parser("models", help="list known providers and models")
    _common(models, run=False)
    config = commands.add_parser("config", help="print the effective configuration and where each value comes from")
    _common(config, run=False)
    from hunk.mcp_cli import add_parser as add_mcp_parser

    add_mcp_parser(commands)
    recover = commands.add_parser("recover", help="deal with a turn that was interrupted by a crash")
    choice = recover.add_mutually_exclusive_group()
    choice.add_argument("--restore", action="store_true", help="put the files back as they were before the turn")
    choice.add_argument("--keep", action="store_true", help="keep the changes and review them hunk by hunk")
    _common(recover, run=False)
    return parser


def opt(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("hunk: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns errors into one line
        return _report(exc, debug=bool(opt(args, "debug")))


def _report(exc: Exception, *, debug: bool) -> int:
    from hunk.errors import classify_error

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
        from hunk.demo import run_demo

        return run_demo(args)
    if command == "config":
        from hunk.commands import show_config

        return show_config(args)
    if command == "sessions":
        from hunk.commands import list_sessions

        return list_sessions(args)
    if command == "undo":
        from hunk.commands import undo

        return undo(args)
    if command == "recover":
        from hunk.commands import recover

        return recover(args)
    if command == "mcp":
        from hunk.mcp_cli import run_mcp

        return run_mcp(args)
    if command == "run":
        from hunk.oneshot import run_oneshot

        return run_oneshot(args)
    if command == "init":
        from hunk.oneshot import run_oneshot
        from hunk.prompts import render

        args.prompt = [render("init")]
        return run_oneshot(args)
    from hunk.commands import start_tui

    return start_tui(args)


if __name__ == "__main__":
    sys.exit(main())
