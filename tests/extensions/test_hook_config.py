"""Which hooks run: hunk's [[hooks.<Event>]] tables and Claude Code's settings files, and a
repository's hooks only once the person trusts the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hunk.settings.config import ConfigError, load_config
from hunk.extensions.hook_config import load_hooks
from tests.extensions.conftest import write

REPO_HOOK = '[[hooks.PreToolUse]]\nmatcher = "run_command"\ncommand = "./check.sh"\ntimeout_s = 5\n'
CLAUDE = {"hooks": {"PostToolUse": [{"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "fmt", "timeout": 9}]}]}}


def user_config(env: dict[str, str], text: str) -> Path:
    return write(Path(env["HOME"]) / ".config" / "hunk" / "config.toml", text)


def test_hunk_tables_give_event_matcher_command_and_timeout(env: dict[str, str], repo: Path) -> None:
    user_config(env, '[[hooks.PreCommit]]\ncommand = "scan"\n\n[[hooks.PreToolUse]]\nmatcher = "run_command"\ncommand = "guard"\ntimeout_s = 3\n')
    setup = load_hooks(load_config(repo, env), repo, env)
    assert [(h.event, h.matcher, h.command, h.timeout_s, h.origin) for h in setup.hooks] == [
        ("PreCommit", "", "scan", 60.0, "user"),
        ("PreToolUse", "run_command", "guard", 3.0, "user"),
    ]
    assert setup.hooks[1].where == "~/.config/hunk/config.toml:4"


def test_an_untrusted_repository_s_hooks_are_ignored_and_named(env: dict[str, str], repo: Path) -> None:
    write(repo / ".hunk.toml", REPO_HOOK)
    write(repo / ".claude" / "settings.json", json.dumps(CLAUDE))
    setup = load_hooks(load_config(repo, env), repo, env)
    assert setup.hooks == []
    assert setup.ignored == [f"{repo}/.hunk.toml:1", ".claude/settings.json"]


def test_a_trusted_repository_s_hooks_run(env: dict[str, str], repo: Path) -> None:
    user_config(env, f'trusted_repos = ["{repo}"]\n')
    write(repo / ".hunk.toml", REPO_HOOK)
    write(repo / ".claude" / "settings.json", json.dumps(CLAUDE))
    setup = load_hooks(load_config(repo, env), repo, env)
    assert [(h.event, h.command, h.origin, h.flavour) for h in setup.hooks] == [
        ("PreToolUse", "./check.sh", "repo", "hunk"),
        ("PostToolUse", "fmt", "repo", "claude"),
    ]
    assert setup.hooks[1].timeout_s == 9.0 and setup.ignored == []


def test_claude_matchers_find_hunk_tools_by_claude_names() -> None:
    from hunk.extensions.hook_config import HookSpec

    edit_or_write = HookSpec("PostToolUse", "fmt", "Edit|Write")
    assert edit_or_write.matches("edit_file") and edit_or_write.matches("write_file")
    assert not edit_or_write.matches("run_command")
    assert HookSpec("PreToolUse", "x", "run_command").matches("run_command")
    assert HookSpec("PreToolUse", "x", "Bash").matches("run_command")
    assert HookSpec("PreToolUse", "x", "*").matches("anything")
    assert not HookSpec("PreToolUse", "x", "run").matches("run_command")  # whole names only


def test_a_person_s_claude_settings_run_anywhere(env: dict[str, str], repo: Path) -> None:
    write(Path(env["HOME"]) / ".claude" / "settings.json", json.dumps(CLAUDE))
    setup = load_hooks(load_config(repo, env), repo, env)
    assert [(h.command, h.origin) for h in setup.hooks] == [("fmt", "user")]


def test_a_broken_claude_settings_file_is_skipped_with_a_warning(env: dict[str, str], repo: Path) -> None:
    write(Path(env["HOME"]) / ".claude" / "settings.json", '{"hooks": [')
    setup = load_hooks(load_config(repo, env), repo, env)
    assert setup.hooks == []
    assert setup.warnings == ["~/.claude/settings.json: not valid JSON (line 1: Expecting value); its hooks are not used"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[[hooks.PreToolUze]]\ncommand = "x"\n', 'hooks.PreToolUze is not a hunk setting (did you mean "PreToolUse"?)'),
        ('[[hooks.Stop]]\nmatcher = "x"\n', "hooks.Stop (entry 1): command must be a non-empty string"),
        ('[[hooks.Stop]]\ncommand = "x"\ntimeout_s = 0\n', "hooks.Stop (entry 1): timeout_s must be greater than 0, got 0"),
        ('[[hooks.Stop]]\ncommand = "x"\nwhen = 1\n', "hooks.Stop (entry 1): when is not a hook setting"),
        ('[[hooks.PreToolUse]]\ncommand = "x"\nmatcher = "("\n', "hooks.PreToolUse (entry 1): matcher is not a valid regular expression"),
        ('[hooks]\nStop = "x"\n', "hooks.Stop must be written as [[hooks.Stop]] tables"),
    ],
)
def test_a_bad_hook_table_is_one_line_naming_file_and_line(env: dict[str, str], repo: Path, text: str, said: str) -> None:
    user_config(env, text)
    with pytest.raises(ConfigError) as caught:
        load_config(repo, env)
    assert str(caught.value).startswith("~/.config/hunk/config.toml:")
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_hunk_config_shows_each_hook_and_where_it_came_from(env: dict[str, str], repo: Path) -> None:
    from hunk.settings.describe import describe

    user_config(env, '[[hooks.PreCommit]]\ncommand = "scan"\n[[hooks.PreToolUse]]\nmatcher = "run_command"\ncommand = "guard"\n')
    shown = describe(load_config(repo, env)).splitlines()
    assert any(line.startswith("hooks.PreCommit") and '"scan"' in line and line.endswith("# ~/.config/hunk/config.toml:1") for line in shown)
    assert any('"guard (matcher run_command)"' in line and line.endswith("# ~/.config/hunk/config.toml:3") for line in shown)
