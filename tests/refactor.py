"""A scripted refactor for the hunk-group tests: 40 files, `parse_args` renamed `parse_argv` at
120 places (its definition and 119 calls, three per file, each a hunk of its own), plus three
unrelated changes in three of the files."""

from __future__ import annotations

from tests.fakeserver import Reply, ToolCall

FILES = 40
GAP = "".join(f"# unchanged line {n}\n" for n in range(8))  # keeps every change a hunk of its own
UNRELATED = {  # file number → (before, after): three changes unlike each other and the rename
    5: ("TIMEOUT = 30\n", "TIMEOUT = 60\n"),
    17: ("import os\n", "import os\nimport logging\n"),
    30: ('MESSAGE = "did not recieve it"\n', 'MESSAGE = "did not receive it"\n'),
}


def path(n: int) -> str:
    return f"pkg/mod_{n:02}.py"


def source(n: int, renamed: bool, unrelated: bool) -> str:
    name = "parse_argv" if renamed else "parse_args"
    if n == 0:
        sites = [f"def {name}(argv):\n    return list(argv)\n", f"options = {name}(sys.argv)\n", f"    extra = {name}([])\n"]
    else:
        sites = [f"first = {name}(['-v', '{n}'])\n", f"        second = {name}(argv[{n}:])\n", f"third = {name}(load({n}))\n"]
    before, after = UNRELATED.get(n, ("", ""))
    head = after if unrelated else before
    return GAP + head + GAP + GAP.join(sites) + GAP


def before_files() -> dict[str, str]:
    return {path(n): source(n, False, False) for n in range(FILES)}


def after_files() -> dict[str, str]:
    return {path(n): source(n, True, True) for n in range(FILES)}


def model_script(commit_subject: str = "Rename parse_args to parse_argv") -> list[Reply]:
    """The model reads every file, writes each renamed (and the three other changes), ends the
    turn, then writes the commit subject (twice: for the whole change, then for what was accepted)."""
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": path(n)}) for n in range(FILES)]),
        Reply(tool_calls=[ToolCall("write_file", {"path": p, "content": text}) for p, text in after_files().items()]),
        Reply(text="Renamed parse_args to parse_argv everywhere."),
        Reply(text=commit_subject),  # asked when the review begins
        Reply(text=commit_subject),  # asked again for what was accepted, when it differs
    ]


def expected_after(rejected: set[int]) -> dict[str, str]:
    """The files once the rename is accepted everywhere and the unrelated changes of the files
    numbered in `rejected` are rejected."""
    return {path(n): source(n, True, n not in rejected) for n in range(FILES)}
