"""Custom slash commands: found in the repository's and the person's folders, expanded with
their arguments."""

from __future__ import annotations

from pathlib import Path

from hunk.extensions.slash_commands import CustomCommand, discover_commands, split_invocation
from tests.extensions.conftest import write

NOTES = "---\ndescription: Draft release notes\nargument-hint: VERSION [SINCE]\nmodel: anthropic:claude-haiku-4-5\nallowed-tools: Read, Bash(git log:*)\n---\nWrite notes for $1 since $2.\nAll: $ARGUMENTS\n"


def test_commands_come_from_every_folder_namespaced_by_subfolder(repo: Path, env: dict[str, str]) -> None:
    home = Path(env["HOME"])
    write(repo / ".hunk" / "commands" / "release-notes.md", NOTES)
    write(repo / ".claude" / "commands" / "frontend" / "component.md", "Make a component called $ARGUMENTS\n")
    write(home / ".claude" / "commands" / "standup.md", "# Summarise yesterday\nLook at git log.\n")
    write(home / ".config" / "hunk" / "commands" / "release-notes.md", "the person's own version\n")

    commands, warnings = discover_commands(repo, env)

    assert list(commands) == ["frontend:component", "release-notes", "standup"]
    notes = commands["release-notes"]
    assert (notes.description, notes.argument_hint, notes.model, notes.allowed_tools) == (
        "Draft release notes", "VERSION [SINCE]", "anthropic:claude-haiku-4-5", ("Read", "Bash(git log:*)")
    )
    assert notes.where == ".hunk/commands/release-notes.md" and notes.origin == "repo"  # the repository's wins
    assert commands["standup"].description == "Summarise yesterday" and commands["standup"].origin == "user"
    assert commands["frontend:component"].usage == "/frontend:component" and warnings == []


def test_arguments_fill_dollar_arguments_and_positions() -> None:
    command = CustomCommand("release-notes", "Write notes for $1 since $2.\nAll: $ARGUMENTS\nNot $10.\n")
    assert command.expand('v2.0 "last tag"') == 'Write notes for v2.0 since last tag.\nAll: v2.0 "last tag"\nNot $10.'
    assert command.expand("") == "Write notes for  since .\nAll: \nNot $10."


def test_a_body_without_placeholders_gets_the_arguments_appended() -> None:
    assert CustomCommand("review", "Review the staged diff.\n").expand("focus on tests") == (
        "Review the staged diff.\n\nARGUMENTS: focus on tests"
    )
    assert CustomCommand("review", "Review the staged diff.\n").expand() == "Review the staged diff."


def test_allowed_tools_limit_the_tools_by_claude_or_hunk_names() -> None:
    assert CustomCommand("x", "", allowed_tools=("Read", "Bash(git log:*)", "list_files")).tools() == {"read_file", "run_command", "list_files"}
    assert CustomCommand("x", "").tools() is None


def test_a_command_named_like_a_built_in_is_skipped_with_a_warning(repo: Path, env: dict[str, str]) -> None:
    write(repo / ".hunk" / "commands" / "undo.md", "undo everything\n")
    commands, warnings = discover_commands(repo, env, reserved={"undo"})
    assert commands == {} and warnings == [".hunk/commands/undo.md: /undo is a built-in command; this file is not used"]


def test_only_a_slash_and_a_name_make_an_invocation() -> None:
    assert split_invocation("/release-notes v2 v1") == ("release-notes", "v2 v1")
    assert split_invocation("  /frontend:component Button ") == ("frontend:component", "Button")
    assert split_invocation("/usr/bin is odd") is None
    assert split_invocation("fix /this") is None
