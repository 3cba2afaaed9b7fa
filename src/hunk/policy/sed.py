"""Whether a sed command only reads.

sed is the model's favourite way to look at a slice of a file (`sed -n '1,40p' f`), so calling
every sed a write would make plan mode and the read-only class useless. But a sed script can
write files (`w FILE`, `W FILE`, the `w` flag of `s`) and run commands (`e`, the `e` flag of `s`),
so "no -i" is not enough. `only_reads` walks the script's commands; anything it does not
recognise counts as a write, and so does a script read from a file (`-f`), which it cannot see.
"""

from __future__ import annotations

from collections.abc import Sequence

NO_ARGUMENT = set("=dDgGhHlnNpPxzF")  # l takes an optional number, handled below
TO_END_OF_LINE = set("aicrR")  # text or a file to read, up to the end of the line
LABELLED = set("btT:")
WRITES_OR_RUNS = set("wWe")
# --sandbox makes GNU sed itself refuse e, w and r.
SAFE_OPTIONS = {"-n", "--quiet", "--silent", "-E", "-r", "--regexp-extended", "-s", "--separate",
                "-z", "--null-data", "-u", "--unbuffered", "--posix", "--debug", "--sandbox"}


def only_reads(args: Sequence[str]) -> bool:
    """True when `sed ARGS` cannot write or run anything: no in-place editing, and every script
    given is made of reading commands only."""
    scripts: list[str | None] = []  # None: a script file, unseen
    sandboxed = "--sandbox" in args
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            break
        if arg == "--expression" or arg.startswith("--expression="):
            if arg == "--expression" and not rest:
                return False
            scripts.append(arg.split("=", 1)[1] if "=" in arg else rest.pop(0))
        elif arg == "--file" or arg.startswith("--file="):
            scripts.append(None)  # a script in a file this check does not read
            rest = rest[1:] if arg == "--file" else rest
        elif arg == "--line-length":
            rest = rest[1:]
        elif arg.startswith("--"):
            if arg not in SAFE_OPTIONS and not arg.startswith("--line-length="):
                return False
        elif arg.startswith("-") and arg != "-":
            script = _short_options(arg[1:], rest)
            if script is False:
                return False
            if script is not True:
                scripts.append(script)
        elif not scripts:
            scripts.append(arg)  # the first operand is the script when no -e named one
        # later operands are the files sed reads
    if sandboxed:
        return True
    return bool(scripts) and all(script is not None and _script_only_reads(script) for script in scripts)


def _short_options(letters: str, rest: list[str]) -> str | bool | None:
    """One cluster of short options (`-ne`, `-i.bak`, `-l 80`): the script it names (-e), None
    for a script file (-f), False for in-place editing or an unknown option, True when it is
    harmless. Consumes the option's value from `rest` when the value is the next argument."""
    for at, letter in enumerate(letters):
        tail = letters[at + 1 :]
        if letter == "e":
            return tail if tail else (rest.pop(0) if rest else False)
        if letter == "f":
            if not tail and rest:
                rest.pop(0)
            return None
        if letter == "i":
            return False  # in-place editing writes the files
        if letter == "l":  # -l N: the rest of the cluster, or the next argument, is N
            if not tail and rest:
                rest.pop(0)
            return True
        if f"-{letter}" not in SAFE_OPTIONS:
            return False
    return True


def _script_only_reads(script: str) -> bool:
    i, n = 0, len(script)
    while i < n:
        char = script[i]
        if char in " \t\n;{}!":
            i += 1
            continue
        i = _skip_address(script, i)
        if i >= n:
            return True
        while i < n and script[i] in " \t!":
            i += 1
        if i >= n:
            return True
        command = script[i]
        i += 1
        if command in WRITES_OR_RUNS:
            return False
        if command in ("s", "y"):
            end = _after_delimited(script, i, parts=2)
            if end is None:
                return False
            i = end
            if command == "s":
                flags_end = i
                while flags_end < n and script[flags_end] not in ";\n}":
                    flags_end += 1
                flags = script[i:flags_end]
                if set(flags) & {"w", "W", "e"}:
                    return False
                if set(flags.strip()) - set("gpiImM0123456789"):
                    return False
                i = flags_end
        elif command in TO_END_OF_LINE:
            i = _end_of_line(script, i)
        elif command in LABELLED:
            while i < n and script[i] not in ";\n":
                i += 1
        elif command in "qQlLv":
            while i < n and (script[i].isdigit() or script[i] in " \t" or (command == "v" and script[i] in ".")):
                i += 1
        elif command == "#":
            i = _end_of_line(script, i)
        elif command not in NO_ARGUMENT and command not in "{}":
            return False
    return True


def _skip_address(script: str, i: int) -> int:
    """The index after the address at `i` (none, one, or a range), or `i` itself."""
    for part in range(2):
        start = i
        if i < len(script) and script[i] in "0123456789$+~":
            while i < len(script) and (script[i].isdigit() or script[i] in "$+~"):
                i += 1
        elif i < len(script) and script[i] in "/\\":
            if script[i] == "\\":
                i += 1
            after = _after_delimited(script, i, parts=1)
            if after is None:
                return len(script)
            i = after
            while i < len(script) and script[i] in "IM":
                i += 1
        if part == 0 and i > start and i < len(script) and script[i] == ",":
            i += 1
            continue
        break
    return i


def _after_delimited(script: str, i: int, parts: int) -> int | None:
    """`script[i]` is a delimiter; the index after `parts` delimited pieces, or None."""
    if i >= len(script):
        return None
    delimiter = script[i]
    i += 1
    for _ in range(parts):
        while i < len(script) and script[i] != delimiter:
            i += 2 if script[i] == "\\" else 1
        if i >= len(script):
            return None
        i += 1
    return i


def _end_of_line(script: str, i: int) -> int:
    while i < len(script) and script[i] != "\n":
        i += 2 if script[i] == "\\" else 1
    return i
