"""The command line's grammar: every subcommand and flag of `hunk`."""

from __future__ import annotations

import argparse

from hunk.settings.schema import SANDBOX_MODES

def _common(parser: argparse.ArgumentParser, *, run: bool) -> None:
    S = argparse.SUPPRESS  # so a subcommand's defaults never hide a value given before it
    parser.add_argument("-m", "--model", default=S, metavar="PROVIDER:MODEL", help="model to use, e.g. anthropic:claude-sonnet-4-6, openai:gpt-5, ollama:qwen2.5-coder")
    parser.add_argument("--approval", choices=("ask", "plan", "review", "auto"), default=S, help="how changes and commands are approved")
    parser.add_argument("--reasoning", choices=("off", "low", "medium", "high"), default=S, help="how hard the model thinks before answering, where it can (default off)")
    parser.add_argument("--plan", action="store_true", default=S, help="plan mode: the model reads and plans, changes nothing, and ends with a plan for you to review")
    parser.add_argument("--sandbox", choices=SANDBOX_MODES, default=S, metavar="MODE", help="where commands may write: workspace-write (default), read-only, required, off")
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
    from hunk.cli.mcp import add_parser as add_mcp_parser

    add_mcp_parser(commands)
    recover = commands.add_parser("recover", help="deal with a turn that was interrupted by a crash")
    choice = recover.add_mutually_exclusive_group()
    choice.add_argument("--restore", action="store_true", help="put the files back as they were before the turn")
    choice.add_argument("--keep", action="store_true", help="keep the changes and review them hunk by hunk")
    _common(recover, run=False)
    rewind = commands.add_parser("rewind", help="go back to before a turn of the session: code, conversation, or both")
    rewind.add_argument("turn", nargs="?", type=int, metavar="N", help="the turn to go back before (see --list)")
    rewind.add_argument("--list", action="store_true", help="list the session's turns")
    rewind.add_argument("--json", action="store_true", help="with --list: one JSON object per turn")
    what = rewind.add_mutually_exclusive_group()
    what.add_argument("--code", dest="what", action="store_const", const="code", help="take back the agent's commits only")
    what.add_argument("--conversation", dest="what", action="store_const", const="conversation", help="cut the conversation only")
    what.add_argument("--both", dest="what", action="store_const", const="both", help="both (the default)")
    rewind.add_argument("--redo", action="store_true", help="bring back the conversation of the latest rewind")
    rewind.add_argument("--fork", action="store_true", help="start a new session from the conversation before turn N instead")
    _common(rewind, run=False)
    return parser
