"""Skills: folders holding a `SKILL.md` that teach the model a procedure, as in Claude Code.

A skill lives in `.hunk/skills/<name>/SKILL.md` or `.claude/skills/<name>/SKILL.md` (and the
person's `~/.config/hunk/skills`, `~/.claude/skills`). Its `---` header gives `name` and
`description`. Only those two go into the system prompt; the body, and the files beside it, reach
the model when it calls `activate_skill` or the person types `/<name>`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hunk.settings import prompts
from hunk.extensions import frontmatter
from hunk.extensions.places import Origin, folders

if TYPE_CHECKING:  # the tools' package loads with the agent, after the TUI's first paint
    from hunk.tools.base import ToolContext, ToolKind, ToolOutput

SKILL_FILE = "SKILL.md"
TOOL_NAME = "activate_skill"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
MAX_DESCRIPTION = 1024
MAX_FILE_BYTES = 256 * 1024
MAX_LISTED = 50


@dataclass(frozen=True)
class Skill:
    name: str
    description: str
    folder: Path
    origin: Origin = "repo"
    where: str = ""  # ".hunk/skills/release/SKILL.md"

    def body(self) -> str:
        """SKILL.md without its header, read now (the file may have changed since discovery)."""
        text = (self.folder / SKILL_FILE).read_text(encoding="utf-8", errors="replace")
        return frontmatter.split(text)[1].strip()

    def files(self) -> list[str]:
        """The files beside SKILL.md, relative to the skill's folder, sorted."""
        found = sorted(
            p.relative_to(self.folder).as_posix()
            for p in self.folder.rglob("*")
            if p.is_file() and p.name != SKILL_FILE and not p.is_symlink()
        )
        return found[:MAX_LISTED]

    def read(self, relative: str) -> str:
        """One file of the skill's folder; ValueError (a line for the model) when it cannot be."""
        base = self.folder.resolve()
        target = (base / relative).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            raise ValueError(prompts.message("extensions.skill_no_file", name=self.name, file=relative, files=", ".join(self.files()) or "none"))
        data = target.read_bytes()
        if len(data) > MAX_FILE_BYTES or b"\0" in data[:8192]:
            raise ValueError(prompts.message("extensions.skill_file_unreadable", file=relative))
        return data.decode("utf-8", "replace")

    def activation(self, arguments: str = "") -> str:
        """What the model receives when the skill is activated."""
        listed = "\n".join(f"- {f}" for f in self.files()) or prompts.message("extensions.skill_no_files")
        text = prompts.render("skill_activated", skill=self.name, body=self.body(), files=listed)
        if arguments.strip():
            text += "\n\n" + prompts.message("extensions.command_arguments", arguments=arguments.strip())
        return text


def load_skill(folder: Path, origin: Origin, where: str) -> Skill | str:
    """The skill in `folder`, or why it cannot be used (one line)."""
    try:
        text = (folder / SKILL_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"{where}: cannot read it ({exc.strerror or exc})"
    fields, _ = frontmatter.split(text)
    name = frontmatter.text_field(fields, "name") or folder.name
    description = " ".join(frontmatter.text_field(fields, "description").split())
    if not NAME.fullmatch(name):
        return f"{where}: the name {name!r} must be lowercase letters, digits and hyphens (at most 64)"
    if not description:
        return f"{where}: no description in its header; the model could not know when to use it"
    return Skill(name, description[:MAX_DESCRIPTION], folder, origin, where)


def discover_skills(root: Path | None, env: Mapping[str, str]) -> tuple[dict[str, Skill], list[str]]:
    """Name → skill, sorted by name (a repository's skill wins over the person's of the same
    name), and warnings for the person."""
    found: dict[str, Skill] = {}
    warnings: list[str] = []
    for place in folders("skills", root, env):
        if not place.folder.is_dir():
            continue
        for skill_file in sorted(place.folder.glob(f"*/{SKILL_FILE}")):
            loaded = load_skill(skill_file.parent, place.origin, f"{place.label}/{skill_file.parent.name}/{SKILL_FILE}")
            if isinstance(loaded, str):
                warnings.append(loaded)
            else:
                found[loaded.name] = loaded
    return dict(sorted(found.items())), warnings


def skills_prompt(skills: Mapping[str, Skill]) -> str:
    """The system prompt's part about skills: names and descriptions only ("" without skills)."""
    if not skills:
        return ""
    listed = "\n".join(f"- {s.name}: {s.description}" for s in skills.values())
    return prompts.render("skills", skills=listed, tool=TOOL_NAME)


class SkillTool:
    """`activate_skill(name, file?)`: a skill's body and the list of its files, or one file."""

    name = TOOL_NAME
    kind: ToolKind = "read"

    def __init__(self, skills: Mapping[str, Skill]) -> None:
        self.skills = dict(skills)

    @property
    def spec(self) -> Any:
        return prompts.tool_spec(TOOL_NAME)

    async def run(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolOutput:
        from hunk.tools.base import ToolOutput

        name = arguments.get("name")
        skill = self.skills.get(name) if isinstance(name, str) else None
        if skill is None:
            known = ", ".join(self.skills) or "none"
            return ToolOutput(prompts.message("extensions.skill_unknown", name=name, known=known), True, "unknown skill")
        wanted = arguments.get("file")
        try:
            if isinstance(wanted, str) and wanted.strip():
                return ToolOutput(skill.read(wanted.strip()), summary=f"{skill.name}/{wanted.strip()}")
            return ToolOutput(skill.activation(), summary=f"skill {skill.name}")
        except ValueError as refused:
            return ToolOutput(str(refused), True, "refused")
        except OSError as exc:
            return ToolOutput(prompts.message("extensions.skill_file_unreadable", file=f"{skill.name} ({exc.strerror})"), True, "failed")
