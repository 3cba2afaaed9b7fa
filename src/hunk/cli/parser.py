"""The command line's grammar: every subcommand and flag of `hunk`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn

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


def _top() -> argparse.ArgumentParser:
    from hunk import __version__

    parser = argparse.ArgumentParser(
        prog="hunk",
        description="A coding agent for your terminal: every change reaches you hunk by hunk, and only what you accept is committed.",
    )
    parser.add_argument("--version", action="version", version=f"hunk {__version__}")
    _common(parser, run=False)
    return parser


def _run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("prompt", nargs="*", help="the prompt (or -f FILE, or stdin)")
    _common(parser, run=True)


def _demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plain", action="store_true", help="run the demo in the plain terminal printer instead of the TUI")
    parser.add_argument("--keep", action="store_true", help="keep the sample repository afterwards and print its path")
    _common(parser, run=False)


def _plain(parser: argparse.ArgumentParser) -> None:
    _common(parser, run=False)


def _mcp(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="mcp_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="each server with its state, tools and last error")
    add = actions.add_parser(
        "add", help="add a server: hunk mcp add NAME -- COMMAND [ARGS...], or hunk mcp add NAME --url URL"
    )
    add.add_argument("name")
    add.add_argument("server_command", nargs="*", metavar="COMMAND", help="after --: the command that starts the server, and its arguments")
    add.add_argument("--url", help="a streamable HTTP server's URL")
    add.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="an environment variable for the server")
    add.add_argument("--header", action="append", default=[], metavar="'Name: value'", help="an HTTP header sent to the server")
    add.add_argument("--repo", action="store_true", help="write the repository's .mcp.json instead of your own mcp.json")
    remove = actions.add_parser("remove", help="remove a server you added")
    remove.add_argument("name")
    remove.add_argument("--repo", action="store_true", help="remove it from the repository's .mcp.json")
    approve = actions.add_parser("approve", help="let this repository's server start (asked once per server)")
    approve.add_argument("name")


def _recover(parser: argparse.ArgumentParser) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--restore", action="store_true", help="put the files back as they were before the turn")
    choice.add_argument("--keep", action="store_true", help="keep the changes and review them hunk by hunk")
    _common(parser, run=False)


def _rewind(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("turn", nargs="?", type=int, metavar="N", help="the turn to go back before (see --list)")
    parser.add_argument("--list", action="store_true", help="list the session's turns")
    parser.add_argument("--json", action="store_true", help="with --list: one JSON object per turn")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--code", dest="what", action="store_const", const="code", help="take back the agent's commits only")
    what.add_argument("--conversation", dest="what", action="store_const", const="conversation", help="cut the conversation only")
    what.add_argument("--both", dest="what", action="store_const", const="both", help="both (the default)")
    parser.add_argument("--redo", action="store_true", help="bring back the conversation of the latest rewind")
    parser.add_argument("--fork", action="store_true", help="start a new session from the conversation before turn N instead")
    _common(parser, run=False)


COMMANDS: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("run", "one prompt, then exit (scripts and CI)", _run),
    ("demo", "a scripted session on a sample repository, no API key needed", _demo),
    ("init", "write a starter AGENTS.md from a look at the repository (reviewed like any change)", _run),
    ("sessions", "list this repository's sessions", _plain),
    ("undo", "take back the last agent commit", _plain),
    ("models", "list known providers and models", _plain),
    ("config", "print the effective configuration and where each value comes from", _plain),
    ("mcp", "list, add, remove or approve MCP servers", _mcp),
    ("recover", "deal with a turn that was interrupted by a crash", _recover),
    ("rewind", "go back to before a turn of the session: code, conversation, or both", _rewind),
)


class _Unsure(Exception):
    pass


class _Probe(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Unsure(message)


def parse(argv: Sequence[str], *, lean: bool = True) -> argparse.Namespace:
    """`argv` read by the grammar (`lean`: declaring only its subcommand's arguments). In
    `mcp add NAME [OPTIONS] -- COMMAND...` every word after the first `--` is the server's
    command, as written: argparse alone ends the command at an option (`--env A=1 -- srv`
    failed) and drops a later `--` the server itself may need."""
    words = list(argv)
    command, rest = _probe(words)
    parser = _grammar(_wanted(words, command) if lean else "*")
    if command == "mcp" and rest[:1] == ["add"] and "--" in words:
        cut = words.index("--")
        args = parser.parse_args(words[:cut])
        args.server_command = [*args.server_command, *words[cut + 1 :]]
        return args
    return parser.parse_args(words)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole grammar, or, given the arguments it will parse, the grammar with only their
    subcommand's arguments declared: argparse takes several milliseconds to declare them all,
    and `hunk` pays them before its first paint. Help, and anything the probe cannot read,
    get the whole grammar."""
    return _grammar("*" if argv is None else _wanted(list(argv), _probe(list(argv))[0]))


def _wanted(argv: list[str], command: str) -> str:
    return "*" if any(a in ("-h", "--help") for a in argv) else command


def _grammar(wanted: str) -> argparse.ArgumentParser:
    parser = _top()
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text, declare in COMMANDS:
        sub = commands.add_parser(name, help=help_text)
        if wanted in (name, "*"):
            declare(sub)
    return parser


def _probe(argv: list[str]) -> tuple[str, list[str]]:
    """The subcommand `argv` names ("" for none, "*" when unsure) and the words after it, read
    by a parser that knows the top-level options (so `-m run` is a model named run)."""
    probe = _Probe(prog="hunk", add_help=False)
    _common(probe, run=False)
    probe.add_argument("command", nargs="?", default="")
    try:
        known, rest = probe.parse_known_args(argv)
    except _Unsure:
        return "*", []
    command = str(known.command)
    return (command if command in {name for name, _, _ in COMMANDS} or not command else "*"), rest
