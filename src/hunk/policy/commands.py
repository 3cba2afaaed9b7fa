"""Which shell commands run without asking, which are asked about, and which never run.

A command line is split into its parts (`a && b`, `a; b`, pipes, `$(...)`, backticks,
`bash -c '...'`, `sh -c`, `eval`, `find -exec`), wrappers are looked through (`env X=1`,
`sudo`, `timeout 5`, `nice`, `xargs` ...), and each part gets a danger class:
read-only < writes (in the repository) < network < destructive. The line is as dangerous as
its most dangerous part. A line bash could not parse (an unclosed quote) counts as destructive.

`CommandRules.judge(command, repo_root)` gives a `Verdict`:
- **deny** when a built-in rule refuses a part — pushing (`git push`), publishing
  (`npm publish`, `twine upload`, `cargo publish`, `gh release` ...), deleting or writing
  outside the repository or into `.git/` (`rm -rf /`, `> /etc/x`, `cp a ~/`, `cd .. && rm x`)
  — or when a user deny pattern matches any part. Built-in refusals cover only what the
  repository cannot review or undo; no allow pattern lifts them.
- **allow** when every part is read-only or matched by an allow pattern;
- **ask** otherwise, naming the danger and the first part no rule allows.

How the agent uses a verdict, by approval mode:
- `auto`: run unless denied (the policy approver answers every "ask" with yes);
- `ask`: run an "allow" at once, put an "ask" to the person, refuse a "deny";
- `review`: exactly like `ask` for commands: review mode defers *file changes* to the end of the
  turn, but a command cannot be taken back by rolling back hunks (it may use the network or
  delete what the workspace never saw), so it is still asked about before it runs.

Patterns are matched against each part's words joined by single spaces (quotes removed). `*`
matches any text; a trailing ` *` also matches no arguments at all ("pytest *" matches
`pytest`). Allow patterns see the part without its harmless wrappers (`timeout 60 pytest -x`
matches "pytest *") but never through `sudo` or `xargs`; deny patterns see every layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from hunk.policy.danger import HARMLESS_TARGETS, Danger, Judgement, Place, judge_program, writes_to
from hunk.settings.prompts import message
from hunk.policy.shellwords import Parsed, ShellSyntaxError, Simple, parse

__all__ = ["CommandRules", "Danger", "Part", "Verdict", "classify", "parts_of"]

Outcome = Literal["allow", "ask", "deny"]

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_KEYWORDS = {"!", "{", "}", "then", "do", "else", "elif", "if", "while", "until", "time"}
_ENDINGS = {"done", "fi", "esac", "}"}
_SHELLS = {"bash", "sh", "zsh", "dash", "ksh"}
# Wrapper -> its options that take a value. Harmless ones keep allow patterns matching inside.
_HARMLESS = {
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "nice": {"-n", "--adjustment"},
    "nohup": set(),
    "command": set(),
    "exec": {"-a"},
    "stdbuf": {"-i", "-o", "-e"},
    "time": {"-f", "-o"},
}
_ELEVATING = {"sudo": {"-u", "-g", "-h", "-p", "-C", "-U", "-r", "-t", "-D"}, "doas": {"-u"}, "pkexec": {"--user"}}
_FEEDING = {"xargs": {"-n", "-I", "-P", "-d", "-L", "-s", "-E", "-a", "--max-args"}}
_OUTPUT_REDIRECTS = {">", ">>", ">|", "&>", "&>>", "<>"}
_MAX_DEPTH = 8
_FIND_EXEC = {"-exec", "-execdir", "-ok", "-okdir"}


@dataclass(frozen=True)
class Part:
    """One simple command of a line, as judged."""

    text: str  # the words as written, wrappers included
    danger: Danger
    refusal: str | None = None  # "push" | "publish" | "outside"
    detail: str = ""
    allow_forms: tuple[str, ...] = ()  # what allow patterns are matched against
    deny_forms: tuple[str, ...] = ()  # what deny patterns are matched against


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    danger: Danger
    reason: str  # one line, fit to show the person or return to the model


def _env_options(words: list[str]) -> tuple[list[str], list[str]]:
    """`env`'s options read: (the folders `-C`/`--chdir` move the command to, the words after
    the options). `-` alone is `-i`; a cluster (`-iC..`) ends at an option that takes a value."""
    rest, folders = list(words), []
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option == "--":
            break
        if option.startswith("--"):
            name, _, value = option.partition("=")
            if name in ("--chdir", "--unset") and not value and rest:
                value = rest.pop(0)
            if name == "--chdir":
                folders.append(value)
            continue
        for at, letter in enumerate(option[1:], start=2):
            if letter in "Cu":
                value = option[at:] or (rest.pop(0) if rest else "")
                if letter == "C":
                    folders.append(value)
                break
    return folders, rest


def _skip_options(words: list[str], with_value: set[str]) -> list[str]:
    rest = list(words)
    while rest and rest[0].startswith("-") and rest[0] != "-":
        option = rest.pop(0)
        if option == "--":
            break
        if option.split("=", 1)[0] in with_value and "=" not in option and rest:
            rest.pop(0)
    return rest


class _Analyser:
    def __init__(self, root: Path | None) -> None:
        self.place = Place(root)
        self.parts: list[Part] = []

    def line(self, command: str, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise ShellSyntaxError("nested too deeply")
        parsed: Parsed = parse(command)
        for nested in parsed.nested:
            self.line(nested, depth + 1)
        for simple in parsed.commands:
            self.simple(simple, depth)

    def simple(self, simple: Simple, depth: int) -> None:
        text = " ".join([*simple.words, *(f"{r.op} {r.target}" for r in simple.redirects)])
        outputs = [r.target for r in simple.redirects if r.op in _OUTPUT_REDIRECTS]
        targets = [t for t in outputs if not (t.isdigit() or t in HARMLESS_TARGETS)]
        redirected = writes_to(self.place, targets, Danger.WRITES) if targets else None
        words = list(simple.words)
        while words and words[0] in _KEYWORDS:
            words.pop(0)
        if not words or (len(words) == 1 and words[0] in _ENDINGS):
            self.add(text, Judgement(Danger.READ_ONLY), redirected, (text,), (text,))
            return
        allow_form, deny_forms, floor = None, [text], Danger.READ_ONLY
        folders: list[str] = []  # where `env -C` runs the command
        while words:
            head = words[0].rsplit("/", 1)[-1]
            if _ASSIGNMENT.match(words[0]):
                words.pop(0)
            elif head == "command" and {"-v", "-V"} & set(words[1:2]):
                words = ["type", *words[2:]]  # a lookup, not a run
            elif head == "env":
                moved, words = _env_options(words[1:])
                folders += moved
                while words and _ASSIGNMENT.match(words[0]):
                    words.pop(0)
            elif head in _HARMLESS:
                words = _skip_options(words[1:], _HARMLESS[head])
                if head == "timeout" and words:
                    words.pop(0)  # the duration
            elif head in _ELEVATING or head in _FEEDING:
                if allow_form is None:
                    allow_form = " ".join(words)
                if head in _ELEVATING:
                    floor = Danger.DESTRUCTIVE  # acts as root, beyond what hunk can undo
                    words = _skip_options(words[1:], _ELEVATING[head])
                else:
                    words = _skip_options(words[1:], _FEEDING[head])
            else:
                break
            if words:
                deny_forms.append(" ".join(words))
        if allow_form is None:
            allow_form = " ".join(words)
        if not words:  # no command: `env` prints the environment (not read-only), `xargs` echoes;
            # `sudo -v` readies root's credentials for the next sudo, `sudo -s` opens a root shell:
            # whatever sudo does, it does as root (the floor), never read-only
            first = next((w for w in text.split() if not _ASSIGNMENT.match(w)), "")
            printing = first.rsplit("/", 1)[-1] == "env"
            alone = max(floor, Danger.WRITES if printing else Danger.READ_ONLY)
            self.add(text, Judgement(alone), redirected, (allow_form,), deny_forms)
            return
        head, args = words[0].rsplit("/", 1)[-1], tuple(words[1:])
        shell_cwd = self.place.cwd
        for folder in folders:  # for this command alone (`cd` itself moves the shell)
            self.place.change_dir((folder,))
        if self.inner_line(head, args, depth):
            judged = Judgement(floor)
        else:
            judged = judge_program(head, args, self.place)
            if judged.danger < floor:
                judged = Judgement(floor, judged.refusal, judged.detail)
        if folders:
            self.place.cwd = shell_cwd
        self.add(text, judged, redirected, (allow_form,), deny_forms)

    def inner_line(self, head: str, args: tuple[str, ...], depth: int) -> bool:
        """Judge the commands a shell, eval or find -exec runs; True when there were any."""
        if head in _SHELLS:
            for i, arg in enumerate(args):
                if not arg.startswith("-"):
                    return False
                if "c" in arg.lstrip("-") and not arg.startswith("--") and i + 1 < len(args):
                    self.line(args[i + 1], depth + 1)
                    return True
            return False
        if head == "eval" and args:
            self.line(" ".join(args), depth + 1)
            return True
        if head == "find" and _FIND_EXEC & set(args):
            outer: list[str] = []
            inner: list[str] | None = None
            for arg in args:
                if inner is None and arg in _FIND_EXEC:
                    inner = []
                elif inner is not None and arg in (";", "+"):
                    if inner:
                        self.simple(Simple(tuple(inner)), depth + 1)
                    inner = None
                elif inner is not None:
                    inner.append(arg)
                else:
                    outer.append(arg)
            if inner:
                self.simple(Simple(tuple(inner)), depth + 1)
            outer_text = " ".join(["find", *outer])
            judged = judge_program("find", tuple(outer), self.place)
            self.add(outer_text, judged, None, (outer_text,), (outer_text,))
            return True
        return False

    def add(
        self,
        text: str,
        judged: Judgement,
        redirected: Judgement | None,
        allow_forms: Iterable[str],
        deny_forms: Iterable[str],
    ) -> None:
        if redirected and (redirected.refusal or redirected.danger > judged.danger):
            if not judged.refusal:
                judged = redirected
        self.parts.append(
            Part(text, judged.danger, judged.refusal, judged.detail,
                 tuple(allow_forms), tuple(deny_forms))
        )


def parts_of(command: str, repo_root: Path | None = None) -> list[Part]:
    """The judged parts of a command line; raises `ShellSyntaxError` when bash could not parse it."""
    analyser = _Analyser(repo_root)
    analyser.line(command)
    return analyser.parts


def classify(command: str, repo_root: Path | None = None) -> Danger:
    """The danger of a command line: that of its most dangerous part."""
    try:
        parts = parts_of(command, repo_root)
    except ShellSyntaxError:
        return Danger.DESTRUCTIVE
    return max((p.danger for p in parts), default=Danger.READ_ONLY)


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    words = " ".join(pattern.split())
    tail = ""
    if words.endswith(" *"):
        words, tail = words[:-2], "(?: .*)?"
    body = ".*".join(re.escape(piece) for piece in words.split("*"))
    return re.compile(body + tail, re.DOTALL)


def _matching(patterns: Iterable[str], forms: Iterable[str]) -> str | None:
    forms = [" ".join(f.split()) for f in forms]
    for pattern in patterns:
        if any(_pattern(pattern).fullmatch(form) for form in forms):
            return pattern
    return None


@dataclass(frozen=True)
class CommandRules:
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    exact: frozenset[str] = field(default_factory=frozenset)  # remembered for this session

    def __post_init__(self) -> None:
        object.__setattr__(self, "allow", tuple(self.allow))
        object.__setattr__(self, "deny", tuple(self.deny))

    def allowing(self, command: str) -> CommandRules:
        """These rules plus `command` allowed word for word (the person said "always")."""
        return CommandRules(self.allow, self.deny, self.exact | {" ".join(command.split())})

    def judge(self, command: str, repo_root: Path | None) -> Verdict:
        try:
            parts = parts_of(command, repo_root)
        except ShellSyntaxError as error:
            if pattern := _matching(self.deny, [command]):
                return Verdict("deny", Danger.DESTRUCTIVE,
                               message("rules.denied_by_rule", pattern=pattern, part=command))
            return Verdict("ask", Danger.DESTRUCTIVE, message("rules.unparsable", error=error))
        danger = max((p.danger for p in parts), default=Danger.READ_ONLY)
        for part in parts:
            if part.refusal:
                return Verdict("deny", danger, message(
                    f"rules.refused_{part.refusal}", part=part.text, path=part.detail))
        for part in parts:
            if pattern := _matching(self.deny, part.deny_forms):
                return Verdict("deny", danger,
                               message("rules.denied_by_rule", pattern=pattern, part=part.text))
        if " ".join(command.split()) in self.exact:
            return Verdict("allow", danger, message("rules.allowed_remembered"))
        used: list[str] = []
        for part in parts:
            if part.danger == Danger.READ_ONLY:
                continue
            if pattern := _matching(self.allow, part.allow_forms):
                used.append(pattern)
                continue
            return Verdict("ask", danger, message(
                "rules.ask_no_rule", danger=part.danger.label, part=part.text))
        if used:
            quoted = ", ".join(f'"{p}"' for p in dict.fromkeys(used))
            return Verdict("allow", danger, message("rules.allowed_by_rule", patterns=quoted))
        return Verdict("allow", danger, message("rules.allowed_read_only"))
