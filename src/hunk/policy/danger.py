"""How dangerous one simple command is: the tables, and the few commands that need a look.

`rules.py` splits a command line and judges it; this module answers, for one simple command
(`words` after `shellwords.parse`), its danger class and whether a built-in rule refuses it.
Unknown programs "write in the repository": running a script or a test suite may change files,
and the workspace shows those changes for review afterwards.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from hunk.policy.sed import only_reads as sed_only_reads


class Danger(StrEnum):
    """A danger class; a plain string ("writes") that also orders by how dangerous it is."""

    READ_ONLY = "read-only"
    WRITES = "writes"  # changes files in the repository, which the workspace can show and undo
    NETWORK = "network"
    DESTRUCTIVE = "destructive"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return self.value

    def __lt__(self, other: object) -> bool:
        return self.rank < Danger(other).rank

    def __le__(self, other: object) -> bool:
        return self.rank <= Danger(other).rank

    def __gt__(self, other: object) -> bool:
        return self.rank > Danger(other).rank

    def __ge__(self, other: object) -> bool:
        return self.rank >= Danger(other).rank


_RANKS = {danger: rank for rank, danger in enumerate(Danger)}
RO, WR, NET, DES = Danger.READ_ONLY, Danger.WRITES, Danger.NETWORK, Danger.DESTRUCTIVE
PUSH, PUBLISH = "push", "publish"  # built-in refusals named by the table
Entry = Danger | str | dict[str, "Danger | str"]  # a class, a refusal, or by subcommand ("*")

READ_ONLY = """
    ls cat head tail wc grep egrep fgrep rg ag ack fd tree pwd echo printf which type whereis
    file stat du df diff cmp comm uniq cut tr jq yq less more nl basename dirname realpath
    readlink date whoami id uname hostname true false test [ [[ seq sleep column paste
    fold expand od hexdump xxd strings md5sum sha1sum sha256sum cksum base64 rev tac man help
    ps free uptime nproc locale cd pushd popd : export set unset shopt alias local declare read
    wait exit return break continue history for case select sort
""".split()
NETWORK = """
    curl wget ssh scp sftp ftp telnet nc ncat netcat ping dig nslookup host http https xh aria2c
    rsync apt apt-get brew conda mamba pipx npx bunx pnpx kubectl aws gcloud az
""".split()
DESTRUCTIVE = """
    dd shred wipefs fdisk parted mkswap kill pkill killall shutdown reboot halt poweroff
    crontab chattr userdel su doas sudoedit
""".split()
_PIP: dict[str, Danger | str] = {
    "install": NET, "download": NET, "wheel": NET, "uninstall": WR,
    "list": RO, "show": RO, "freeze": RO, "check": RO, "help": RO, "*": WR,
}
_NODE: dict[str, Danger | str] = {
    "install": NET, "i": NET, "ci": NET, "add": NET, "update": NET, "upgrade": NET, "up": NET,
    "dlx": NET, "create": NET, "exec": NET, "x": NET, "outdated": NET, "audit": NET,
    "publish": PUBLISH, "list": RO, "ls": RO, "view": RO, "info": RO, "": NET, "*": WR,
}
SUBCOMMANDS: dict[str, dict[str, Danger | str]] = {
    "pip": _PIP, "pip3": _PIP,
    "npm": _NODE, "pnpm": _NODE, "yarn": _NODE, "bun": _NODE,
    "cargo": {"install": NET, "fetch": NET, "update": NET, "add": NET, "search": NET,
              "login": NET, "publish": PUBLISH, "yank": PUBLISH, "owner": PUBLISH, "*": WR},
    "go": {"get": NET, "install": NET, "mod": NET, "version": RO, "env": RO, "list": RO,
           "*": WR},
    "gem": {"install": NET, "update": NET, "fetch": NET, "push": PUBLISH, "list": RO, "*": WR},
    "bundle": {"install": NET, "update": NET, "*": WR},
    "twine": {"upload": PUBLISH, "register": PUBLISH, "check": RO, "*": WR},
    "poetry": {"publish": PUBLISH, "install": NET, "add": NET, "update": NET, "lock": NET,
               "*": WR},
    "hatch": {"publish": PUBLISH, "*": WR},
    "flit": {"publish": PUBLISH, "*": WR},
    "uv": {"publish": PUBLISH, "pip": NET, "add": NET, "sync": NET, "lock": NET, "tool": NET,
           "*": WR},
    "gh": {"release": PUBLISH, "*": NET},
    "docker": {"push": PUBLISH, "ps": RO, "images": RO, "inspect": RO, "logs": RO, "*": NET},
    "podman": {"push": PUBLISH, "ps": RO, "images": RO, "inspect": RO, "logs": RO, "*": NET},
    "helm": {"push": PUBLISH, "*": NET},
    "mvn": {"deploy": PUBLISH, "*": NET},
    "gradle": {"publish": PUBLISH, "*": WR},
    "vsce": {"publish": PUBLISH, "*": WR},
    "dotnet": {"nuget": PUBLISH, "*": WR},
}
GIT: dict[str, Danger | str] = {
    **dict.fromkeys(
        "status log diff show blame rev-parse ls-files ls-tree grep describe shortlog cat-file "
        "whatchanged rev-list show-ref merge-base name-rev count-objects version help "
        "check-ignore for-each-ref var".split(),
        RO,
    ),
    **dict.fromkeys("pull fetch clone ls-remote submodule".split(), NET),
    **dict.fromkeys("filter-branch filter-repo prune".split(), DES),
    "push": PUSH,
    "send-email": PUBLISH,
    "*": WR,
}
GIT_OPTIONS_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace"}
# git options that name a program to run (core.fsmonitor, core.pager, an alias with !, ...)
GIT_RUNS = ("-c", "--config-env", "--exec-path")
# options that make an otherwise read-only program run another program or write a file
RUNS_OR_WRITES: dict[str, set[str]] = {
    "rg": {"--pre"},
    "fd": {"-x", "-X", "--exec", "--exec-batch"},
    "tree": {"-o"},
    "less": {"-o", "-O", "--log-file", "--LOG-FILE"},
    "date": {"-s", "--set"},
    "history": {"-w", "-a", "-r", "-n", "-c", "-d", "-s"},
    "man": {"-P", "--pager", "-H", "--html"},
    "yq": {"-i", "--inplace"},
}
HARMLESS_TARGETS = {"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-"}


@dataclass(frozen=True)
class Judgement:
    danger: Danger
    refusal: str | None = None  # "push" | "publish" | "outside"
    detail: str = ""  # the path that leaves the repository, for "outside"


def positional(args: list[str] | tuple[str, ...]) -> list[str]:
    out, options_done = [], False
    for arg in args:
        if arg == "--" and not options_done:
            options_done = True
        elif options_done or not arg.startswith("-") or arg == "-":
            out.append(arg)
    return out


def _flags(args: list[str] | tuple[str, ...]) -> set[str]:
    """Short options split into letters (-rf -> r, f) and long options whole."""
    found: set[str] = set()
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("--"):
            found.add(arg.split("=", 1)[0])
        elif arg.startswith("-") and len(arg) > 1:
            found.update(f"-{c}" for c in arg[1:])
    return found


class Place:
    """Where paths are judged from: the repository root and the current directory in it."""

    def __init__(self, root: Path | None) -> None:
        self.known_root = root is not None
        self.root = Path(os.path.realpath(root)) if root else Path("/__repository__")
        self.cwd: Path | None = self.root

    def change_dir(self, args: tuple[str, ...]) -> None:
        target = positional(args)
        if not target or target[0].startswith("~"):
            self.cwd = Path("/__home__")
        elif target[0] == "-" or "$" in target[0] or self.cwd is None:
            self.cwd = None
        else:
            self.cwd = Path(os.path.normpath(self.cwd / target[0]))

    def shown(self, word: str) -> str:
        """A path as the person should read it: absolute unless written from the root."""
        if word.startswith(("/", "~")) or self.cwd is None or self.cwd == self.root:
            return word
        return os.path.normpath(self.cwd / word)

    def outside(self, word: str, *, whole_root: bool = False) -> bool | None:
        """True when `word` names a path outside the repository (or in `.git/`; with
        `whole_root`, the root itself), None when it is only known at run time."""
        if word in HARMLESS_TARGETS or word.startswith("/dev/fd/"):
            return False
        if word.startswith("~"):
            return True
        if "$" in word or "`" in word:
            return None
        if not word.startswith("/") and self.cwd is None:
            return None
        path = Path(os.path.normpath(Path(word) if word.startswith("/") else self.cwd / word))
        if self.known_root:
            path = Path(os.path.realpath(path))
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return True
        parts = relative.parts
        return (bool(parts) and parts[0] == ".git") or (whole_root and not parts)


def writes_to(place: Place, paths: list[str], danger: Danger, *, whole_root: bool = False
              ) -> Judgement:
    """`danger` for a command writing `paths`, refused when one leaves the repository."""
    unknown = False
    for path in paths:
        leaves = place.outside(path, whole_root=whole_root)
        if leaves:
            return Judgement(DES, "outside", place.shown(path))
        unknown = unknown or leaves is None
    return Judgement(max(danger, DES) if unknown else danger)


def _git(args: tuple[str, ...], place: Place) -> Judgement:
    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        if option.split("=", 1)[0] in GIT_RUNS:
            return Judgement(WR)
        if option in GIT_OPTIONS_WITH_VALUE and rest:
            value = rest.pop(0)
            if option == "-C" and place.outside(value) is not False:
                return Judgement(DES)
    if not rest:
        return Judgement(RO)
    sub, tail = rest[0], rest[1:]
    flags, names = _flags(tail), positional(tail)
    if "--output" in flags or (sub == "grep" and flags & {"-O", "--open-files-in-pager"}):
        return Judgement(WR)  # writes the output to a file; runs a pager program
    entry = GIT.get(sub, GIT["*"])
    if entry == PUSH:
        return Judgement(DES if flags & {"-f", "--force", "--force-with-lease"} else NET, PUSH)
    if not isinstance(entry, Danger):
        return Judgement(NET, entry)
    match sub:
        case "reset" if "--hard" in flags or "--keep" in flags:
            return Judgement(DES)
        case "clean" if not flags & {"-n", "--dry-run"}:
            return Judgement(DES)
        case "checkout" if "--" in tail or "." in names or flags & {"-f", "--force"}:
            return Judgement(DES)
        case "restore" if not flags & {"-S", "--staged"} or flags & {"-W", "--worktree"}:
            return Judgement(DES)
        case "branch" | "tag":
            if flags & {"-D", "-M", "-f", "--force"} or (sub == "tag" and "-d" in flags):
                return Judgement(DES)
            listing = {"-a", "-r", "-v", "-l", "--list", "--show-current", "--all", "-n"}
            return Judgement(RO if not names or flags & listing else WR)
        case "stash":
            verb = names[0] if names else "push"
            return Judgement({"list": RO, "show": RO, "drop": DES, "clear": DES}.get(verb, WR))
        case "reflog":
            verb = names[0] if names else "show"
            return Judgement(DES if verb in ("expire", "delete") else RO)
        case "remote":
            verb = names[0] if names else ""
            return Judgement(
                {"": RO, "show": RO, "get-url": RO, "update": NET, "prune": NET}.get(verb, WR)
            )
        case "config":
            reading = flags & {"--get", "--get-all", "--get-regexp", "--list", "-l"} or (
                len(names) == 1
            )
            if reading:
                return Judgement(RO)
            if flags & {"--global", "--system"}:
                return Judgement(DES, "outside", "~/.gitconfig")
            return Judgement(WR)
    return Judgement(entry)


def _by_table(name: str, args: tuple[str, ...]) -> Judgement | None:
    if name in SUBCOMMANDS:
        names = positional(args)
        table = SUBCOMMANDS[name]
        entry = table.get(names[0] if names else "", table["*"])
        return Judgement(NET, entry) if not isinstance(entry, Danger) else Judgement(entry)
    if name in READ_ONLY:
        return Judgement(RO)
    if name in NETWORK:
        return Judgement(NET)
    if name in DESTRUCTIVE or name.startswith("mkfs"):
        return Judgement(DES)
    return None


def judge_program(name: str, args: tuple[str, ...], place: Place) -> Judgement:
    """The danger of running `name args` (wrappers and shells already taken off)."""
    flags = _flags(args)
    match name:
        case "git":
            return _git(args, place)
        case "cd" | "pushd":
            place.change_dir(args)
            return Judgement(RO)
        case "rm" | "rmdir" | "unlink":
            recursive = bool(flags & {"-r", "-R", "--recursive"})
            return writes_to(place, positional(args), DES if recursive else WR, whole_root=True)
        case "mv":
            return writes_to(place, positional(args), WR, whole_root=True)
        case "cp" | "ln" | "install":
            names = positional(args)
            return writes_to(place, names[-1:], WR)
        case "touch" | "mkdir" | "truncate" | "tee" | "patch":
            return writes_to(place, positional(args), WR)
        case "chmod" | "chown" | "chgrp":
            recursive = bool(flags & {"-R", "--recursive"})
            return writes_to(place, positional(args)[1:], DES if recursive else WR)
        case "find":
            if "-delete" in args:
                return writes_to(place, [a for a in args if not a.startswith("-")][:1], DES)
            if {"-fprint", "-fprintf", "-fls"} & set(args):
                return Judgement(WR)
            return Judgement(RO)
        case "sed":
            if any(a.startswith(("-i", "--in-place")) or re.fullmatch(r"-[a-z]*i", a)
                   for a in args):
                return writes_to(place, positional(args)[1:], WR)
            return Judgement(RO if sed_only_reads(args) else WR)
        case "sort" if flags & {"-o", "--output"}:
            return Judgement(WR)
        case "uniq" | "xxd" if len(positional(args)) > 1:  # the second name is the output file
            return writes_to(place, positional(args)[1:2], WR)
        case "hostname" if positional(args):
            return Judgement(WR)
        case _ if flags & RUNS_OR_WRITES.get(name, set()):
            return Judgement(WR)
        case "awk" | "gawk" | "mawk" | "nawk":
            program = " ".join(positional(args)[:1])
            risky = "system" in program or ">" in program or "|" in program
            return Judgement(WR if risky or "inplace" in args else RO)
        case "dd":
            outputs = [a[3:] for a in args if a.startswith("of=")]
            return writes_to(place, outputs, DES)
        case "curl" | "wget":
            outputs = [
                b for a, b in zip(args, args[1:], strict=False)
                if a in ("-o", "--output", "-O", "--output-document") and name + a != "curl-O"
            ]
            return writes_to(place, outputs, NET)
        case "python" | "python3" | "py" if args[:1] == ("-m",) and len(args) > 1:
            return judge_program(args[1], args[2:], place)
        case "env" | "printenv" if not positional(args) or name == "printenv":
            return Judgement(WR)  # reading the environment is not read-only: it may hold secrets
        case "set" | "export" | "declare" | "typeset" if not args or args in (("-p",), ("-x",)):
            return Judgement(WR)
    return _by_table(name, args) or Judgement(WR)
