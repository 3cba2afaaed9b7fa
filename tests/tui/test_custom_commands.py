"""Custom commands and skills in the TUI: completed, listed in /help and the palette, and
expanded into the prompt of a turn."""

from __future__ import annotations

import os
from pathlib import Path

from hunk.settings.config import load_config
from hunk.extensions.loading import load_extensions
from hunk.tui.app import create_app
from hunk.tui.completion import SLASH_COMMANDS
from tests.tui.fakes import factory, send, settle

REVIEW = "---\ndescription: Review the staged diff for bugs\nargument-hint: FOCUS\nallowed-tools: Read, Grep\nmodel: anthropic:claude-opus-4-6\n---\nReview the staged diff. Focus on $ARGUMENTS.\n"
SKILL = "---\nname: release\ndescription: How this project cuts a release\n---\nBump the version, then tag.\n"


def app_with_extensions(root: Path):  # type: ignore[no-untyped-def]
    (root / ".hunk" / "commands").mkdir(parents=True)
    (root / ".hunk" / "commands" / "review.md").write_text(REVIEW)
    (root / ".claude" / "skills" / "release").mkdir(parents=True)
    (root / ".claude" / "skills" / "release" / "SKILL.md").write_text(SKILL)
    env = dict(os.environ)
    extensions = load_extensions(load_config(root, env), root, env, reserved=[c.name for c in SLASH_COMMANDS])
    make, built = factory()
    app = create_app(
        agent_factory=make, repo_label="demo", branch="main", model="replay:fake", mode="ask", root=root, extensions=extensions
    )
    return app, built


def transcript_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in app.chat.transcript.children)


async def test_a_custom_command_completes_and_expands_into_the_turn_s_prompt(tmp_path: Path) -> None:
    app, built = app_with_extensions(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("/", "r", "e", "v")
        assert app.chat.prompt.menu.display
        await pilot.press("tab")
        assert app.chat.prompt.text == "/review "
        await pilot.press(*"error handling", "enter")
        await settle(pilot, app)
        assert "/review error handling" in transcript_text(app)  # the person sees what they typed
    [(prompt, _)] = built[0].prompts
    assert prompt == "Review the staged diff. Focus on error handling."
    assert built[0].overrides == [("anthropic:claude-opus-4-6", {"read_file", "search_files"})]


async def test_slash_skill_sends_its_body_and_help_lists_commands_and_skills(tmp_path: Path) -> None:
    app, built = app_with_extensions(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(0.1)
        await send(pilot, "/help")
        await settle(pilot, app)
        listed = transcript_text(app)
        assert "/review FOCUS" in listed and "Review the staged diff for bugs" in listed
        assert "skill: How this project cuts a release" in listed
        await send(pilot, "/release")
        await settle(pilot, app)
    [(prompt, _)] = built[0].prompts
    assert "Bump the version, then tag." in prompt and built[0].overrides == [(None, None)]


async def test_the_palette_offers_custom_commands(tmp_path: Path) -> None:
    app, _ = app_with_extensions(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("ctrl+p")
        await pilot.pause(0.1)
        await pilot.press(*"review FOCUS")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.chat.prompt.text == "/review "


async def test_extensions_found_after_the_first_paint_complete_and_expand(tmp_path: Path) -> None:
    """`hunk` finds commands, skills and MCP servers in a thread once the prompt is on screen
    (`load_extras`): they complete and expand just as ones found before the start."""
    given, _ = app_with_extensions(tmp_path)
    calls: list[str] = []

    def load_extras():  # type: ignore[no-untyped-def]
        calls.append("loaded")
        return given.extensions, None

    make, built = factory()
    app = create_app(
        agent_factory=make, repo_label="demo", branch="main", model="replay:fake", mode="ask", root=tmp_path, load_extras=load_extras
    )
    assert app.custom_commands == ()  # nothing read before the first paint
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("/", "r", "e", "v")
        assert app.chat.prompt.menu.display
        await pilot.press("tab")
        await pilot.press(*"naming", "enter")
        await settle(pilot, app)
    assert calls == ["loaded"]
    [(prompt, _)] = built[0].prompts
    assert prompt == "Review the staged diff. Focus on naming."


async def test_extensions_that_cannot_be_read_end_the_app_with_the_error(tmp_path: Path) -> None:
    from hunk.settings.config import ConfigError

    problem = ConfigError(".mcp.json: cannot read it as JSON")

    def load_extras():  # type: ignore[no-untyped-def]
        raise problem

    make, built = factory()
    app = create_app(
        agent_factory=make, repo_label="demo", branch="main", model="replay:fake", mode="ask", root=tmp_path, load_extras=load_extras
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
    assert app.startup_error is problem and app.return_code == 1
    assert built == []  # no agent was built over extensions that could not be read
