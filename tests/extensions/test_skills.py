"""Skills: names and descriptions for the system prompt; body and files on activation."""

from __future__ import annotations

from pathlib import Path

from hunk.extensions.skills import SkillTool, discover_skills, skills_prompt
from hunk.tools.base import ToolContext
from tests.extensions.conftest import write

RELEASE = "---\nname: release\ndescription: How this project cuts a release. Use when asked to release.\n---\n# Release\n1. Run `make check`.\n2. See checklist.md.\n"


def test_skills_are_found_and_only_names_and_descriptions_reach_the_prompt(repo: Path, env: dict[str, str]) -> None:
    write(repo / ".hunk" / "skills" / "release" / "SKILL.md", RELEASE)
    write(repo / ".hunk" / "skills" / "release" / "checklist.md", "- tag\n- push\n")
    write(Path(env["HOME"]) / ".claude" / "skills" / "pdf" / "SKILL.md", "---\ndescription: Fill PDF forms\n---\nUse pdftk.\n")
    write(repo / ".claude" / "skills" / "broken" / "SKILL.md", "---\nname: Broken Name\ndescription: x\n---\n")
    write(repo / ".claude" / "skills" / "quiet" / "SKILL.md", "no header at all\n")

    skills, warnings = discover_skills(repo, env)
    prompt = skills_prompt(skills)

    assert list(skills) == ["pdf", "release"] and skills["pdf"].origin == "user"
    assert "- release: How this project cuts a release. Use when asked to release." in prompt
    assert "- pdf: Fill PDF forms" in prompt and "make check" not in prompt and "pdftk" not in prompt
    assert warnings == [
        ".claude/skills/broken/SKILL.md: the name 'Broken Name' must be lowercase letters, digits and hyphens (at most 64)",
        ".claude/skills/quiet/SKILL.md: no description in its header; the model could not know when to use it",
    ]
    assert skills_prompt({}) == ""


async def test_activation_returns_the_body_and_files_then_one_file_on_request(repo: Path, env: dict[str, str]) -> None:
    write(repo / ".hunk" / "skills" / "release" / "SKILL.md", RELEASE)
    write(repo / ".hunk" / "skills" / "release" / "checklist.md", "- tag\n- push\n")
    skills, _ = discover_skills(repo, env)
    tool, ctx = SkillTool(skills), ToolContext(root=repo)

    activated = await tool.run({"name": "release"}, ctx)
    assert not activated.is_error and "1. Run `make check`." in activated.content
    assert "- checklist.md" in activated.content and "description:" not in activated.content
    assert (await tool.run({"name": "release", "file": "checklist.md"}, ctx)).content == "- tag\n- push\n"
    outside = await tool.run({"name": "release", "file": "../../../.git/config"}, ctx)
    assert outside.is_error and "has no file ../../../.git/config" in outside.content
    unknown = await tool.run({"name": "deploy"}, ctx)
    assert unknown.is_error and unknown.content == "There is no skill named deploy. The skills are: release."
