"""The grammar declared for one argv (only its subcommand's arguments) reads that argv exactly
as the whole grammar does: same values, same errors, same help."""

from __future__ import annotations

import contextlib
import io

import pytest

from hunk.cli.parser import COMMANDS, build_parser, parse

ARGVS = [
    [],
    ["-m", "ollama:qwen", "--approval", "review"],
    ["-m", "run"],  # a model named "run": not the subcommand
    ["-m", "run", "demo", "--keep"],
    ["--resume", "demo"],
    ["-c", "--max-turns", "3"],
    ["run", "fix", "the", "bug", "--json", "-q"],
    ["run", "-f", "prompt.txt", "--max-cost", "0.5"],
    ["--sandbox", "off", "run", "--", "-h is a prompt word"],
    ["demo", "--plain", "--yes"],
    ["init", "--json"],
    ["sessions"],
    ["undo", "--debug"],
    ["models"],
    ["config", "--plan"],
    ["mcp", "list"],
    ["mcp", "add", "files", "--env", "A=1", "--", "python", "-m", "server"],
    ["mcp", "add", "web", "--url", "http://localhost:1/mcp", "--header", "X: y", "--repo"],
    ["mcp", "remove", "web", "--repo"],
    ["mcp", "approve", "files"],
    ["recover", "--restore"],
    ["recover", "--keep"],
    ["rewind", "2", "--code"],
    ["rewind", "--list", "--json"],
    ["rewind", "--redo"],
    ["rewind", "1", "--fork", "--conversation"],
]

BAD = [
    ["--approval", "bogus"],
    ["run", "--approval", "bogus", "x"],
    ["bogus"],
    ["mcp"],
    ["mcp", "add"],
    ["recover", "--restore", "--keep"],
    ["rewind", "two"],
    ["demo", "extra"],
    ["--max-turns", "many", "run"],
    ["-m"],
]

HELP = [["--help"], ["-h"], ["run", "--help"], ["mcp", "add", "-h"], ["rewind", "-h"], ["--version"]]


def _outcome(argv: list[str], *, lean: bool) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            parsed: object = vars(parse(argv, lean=lean))
        except SystemExit as exit_:
            parsed = ("exit", exit_.code)
    return parsed, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", ARGVS + BAD + HELP, ids=lambda argv: " ".join(argv) or "(none)")
def test_the_lean_grammar_reads_every_argv_as_the_whole_one_does(argv: list[str]) -> None:
    assert _outcome(argv, lean=True) == _outcome(argv, lean=False)


def test_good_argvs_parse_and_bad_ones_fail() -> None:
    """The table above is not vacuous: its good lines parse, its bad lines exit 2 with an error."""
    for argv in ARGVS:
        assert isinstance(_outcome(argv, lean=True)[0], dict), argv
    for argv in BAD:
        parsed, _, err = _outcome(argv, lean=True)
        assert parsed == ("exit", 2) and "error:" in err, argv


def test_only_the_named_subcommand_gets_its_arguments() -> None:
    parser = build_parser(["run", "hello"])
    subparsers = next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001
    declared = {name: len(sub._actions) for name, sub in subparsers.items()}  # noqa: SLF001
    assert declared["run"] > 10
    assert all(count == 1 for name, count in declared.items() if name != "run")  # -h alone
    assert set(declared) == {name for name, _, _ in COMMANDS}


@pytest.mark.parametrize(
    ("argv", "name", "command"),
    [
        (["mcp", "add", "files", "--", "python", "-m", "server"], "files", ["python", "-m", "server"]),
        (["mcp", "add", "files", "--env", "A=1", "--", "python", "srv.py"], "files", ["python", "srv.py"]),
        (["mcp", "add", "--repo", "files", "--", "npx", "-y", "pkg", "--", "--port", "1"], "files", ["npx", "-y", "pkg", "--", "--port", "1"]),
        (["-m", "mcp", "mcp", "add", "x", "--header", "A: b", "--", "srv"], "x", ["srv"]),
    ],
)
def test_everything_after_mcp_adds_double_dash_is_the_servers_command(argv: list[str], name: str, command: list[str]) -> None:
    """argparse alone failed the documented `hunk mcp add NAME --env K=V -- COMMAND` with
    "unrecognized arguments", and dropped a `--` the server's own command needs."""
    args = parse(argv)
    assert (args.command, args.mcp_action, args.name, args.server_command) == ("mcp", "add", name, command)


def test_plain_hunk_reads_what_the_grammar_reads_from_nothing_without_loading_it() -> None:
    """`hunk` alone (the TUI) starts without argparse: what it reads is what the grammar reads."""
    import subprocess
    import sys

    code = (
        "import sys\nimport hunk.cli as cli\n"
        "seen = []\ncli._dispatch = lambda args: seen.append(vars(args)) or 0\n"
        "cli.main([])\nprint(seen[0], 'argparse' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"{vars(parse([]))} False"
