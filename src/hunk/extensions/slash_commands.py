"""Custom slash commands: markdown files whose text becomes the prompt, as in Claude Code.

`.hunk/commands/release-notes.md` is `/release-notes`; `.claude/commands/frontend/component.md`
is `/frontend:component` (a subfolder is a namespace). The person's own folders
(`~/.config/hunk/commands`, `~/.claude/commands`) hold commands for every repository; a
repository's command of the same name wins. The optional `---` header may set `description`,
`argument-hint`, `model` and `allowed-tools`. In the body, `$ARGUMENTS` is everything typed after
the name and `$1`…`$9` its words; a body with neither gets the arguments appended.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hunk.settings import prompts
from hunk.extensions import frontmatter
from hunk.extensions.hook_config import CLAUDE_TOOL_NAMES
from hunk.extensions.places import Origin, folders

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(?::[A-Za-z0-9][A-Za-z0-9_.-]*)*")
_POSITIONAL = re.compile(r"\$([1-9])(?![0-9])")
MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class CustomCommand:
    name: str  # "release-notes", "frontend:component"
    body: str
    description: str = ""
    argument_hint: str = ""
    model: str | None = None  # PROVIDER:MODEL for this prompt only
    allowed_tools: tuple[str, ...] = ()  # empty: every tool; otherwise only these are offered
    origin: Origin = "repo"
    where: str = ""  # ".hunk/commands/release-notes.md"

    @property
    def usage(self) -> str:
        return f"/{self.name}" + (f" {self.argument_hint}" if self.argument_hint else "")

    def expand(self, arguments: str = "") -> str:
        """The prompt this command sends, with `arguments` put in its place."""
        arguments = arguments.strip()
        words = _words(arguments)
        uses_arguments = "$ARGUMENTS" in self.body or _POSITIONAL.search(self.body)
        text = self.body.replace("$ARGUMENTS", arguments)
        text = _POSITIONAL.sub(lambda m: words[int(m.group(1)) - 1] if int(m.group(1)) <= len(words) else "", text)
        text = text.strip()
        if arguments and not uses_arguments:
            text += "\n\n" + prompts.message("extensions.command_arguments", arguments=arguments)
        return text

    def tools(self) -> set[str] | None:
        """The tools this command's prompt may use, by hunk's names; None when not limited.
        Claude's names and rule forms (`Bash(git add:*)`) count as the tool they name."""
        if not self.allowed_tools:
            return None
        names = (entry.split("(", 1)[0].strip() for entry in self.allowed_tools)
        return {CLAUDE_TOOL_NAMES.get(name, name) for name in names}


def _words(arguments: str) -> list[str]:
    try:
        return shlex.split(arguments)
    except ValueError:  # an unclosed quote: plain words then
        return arguments.split()


def split_invocation(line: str) -> tuple[str, str] | None:
    """`"/name args"` → ("name", "args"); None when the line is not a slash command."""
    stripped = line.strip()
    if not stripped.startswith("/"):
        return None
    name, _, arguments = stripped[1:].partition(" ")
    name = name.strip()
    if not NAME.fullmatch(name):
        return None
    return name, arguments.strip()


def load_command(path: Path, name: str, origin: Origin, where: str) -> CustomCommand:
    text = path.read_bytes()[:MAX_BYTES].decode("utf-8", "replace")
    fields, body = frontmatter.split(text)
    description = frontmatter.text_field(fields, "description")
    if not description:  # as Claude Code does: the body's first line
        description = next((line.strip("# ").strip() for line in body.splitlines() if line.strip()), "")
    return CustomCommand(
        name=name,
        body=body,
        description=description[:200],
        argument_hint=frontmatter.text_field(fields, "argument-hint"),
        model=frontmatter.text_field(fields, "model") or None,
        allowed_tools=frontmatter.list_field(fields, "allowed-tools"),
        origin=origin,
        where=where,
    )


def discover_commands(
    root: Path | None, env: Mapping[str, str], reserved: Iterable[str] = ()
) -> tuple[dict[str, CustomCommand], list[str]]:
    """Name → command, sorted by name, and warnings for the person (unreadable files, names
    taken by a built-in command)."""
    found: dict[str, CustomCommand] = {}
    warnings: list[str] = []
    reserved = set(reserved)
    for place in folders("commands", root, env):
        if not place.folder.is_dir():
            continue
        for path in sorted(place.folder.rglob("*.md")):
            relative = path.relative_to(place.folder).with_suffix("")
            name = ":".join(relative.parts)
            where = f"{place.label}/{path.relative_to(place.folder).as_posix()}"
            if not NAME.fullmatch(name) or not path.is_file():
                continue
            if name in reserved:
                warnings.append(f"{where}: /{name} is a built-in command; this file is not used")
                continue
            try:
                found[name] = load_command(path, name, place.origin, where)
            except OSError as exc:
                warnings.append(f"{where}: cannot read it ({exc.strerror or exc})")
    return dict(sorted(found.items())), warnings
