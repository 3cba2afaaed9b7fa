"""An invalid file, variable or flag stops hunk with one line: path, line, key, what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.settings.config import ConfigError, load_config

USER = "~/.config/hunk/config.toml"


def error_of(repo: Path | None, env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(repo, env, {})
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'model = "openai:gpt-5"\n\n[limits]\nmax_turns = "ten"\n',
            f'{USER}:4: limits.max_turns must be an integer, got "ten"',
        ),
        (
            "[limits]\nmax_turn = 3\n",
            f'{USER}:2: limits.max_turn is not a hunk setting (did you mean "max_turns"?)',
        ),
        ('modle = "openai:gpt-5"\n', f'{USER}:1: modle is not a hunk setting (did you mean "model"?)'),
        ("[limts]\nmax_turns = 3\n", f'{USER}:1: limts is not a hunk setting (did you mean "limits"?)'),
        ("colour_scheme = 1\n", f"{USER}:1: colour_scheme is not a hunk setting"),
        ('approval = "yolo"\n', f'{USER}:1: approval must be "ask" or "plan" or "review" or "auto", got "yolo"'),
        ("[commit]\n\nenabled = 1\n", f"{USER}:3: commit.enabled must be true or false, got 1"),
        ("limits.context_compact_at = 1.5\n",
         f"{USER}:1: limits.context_compact_at must be between 0 and 1, got 1.5"),
        ("limits = { max_cost_usd = -2 }\n",
         f"{USER}:1: limits.max_cost_usd must be greater than 0, got -2.0"),
        ('[commands]\nallow = "pytest *"\n',
         f'{USER}:2: commands.allow must be a list of strings, got "pytest *"'),
        ('model = "gpt-5"\n',
         f'{USER}:1: model must look like "provider:model" (e.g. "openai:gpt-5"), got "gpt-5"'),
        ('limits = "many"\n', f'{USER}:1: limits must be a table, got "many"'),
        ('[providers.ollama]\nurl = "http://x"\n',
         f'{USER}:2: providers.ollama.url is not a hunk setting (did you mean "base_url"?)'),
        ('[providers.ollama]\nbase_url = "localhost:11434"\n',
         f'{USER}:2: providers.ollama.base_url must be an http:// or https:// URL, got "localhost:11434"'),
        ('[commit]\ntrailer_text = "made by a robot"\n',
         f'{USER}:2: commit.trailer_text must be a git trailer like "Assisted-by: $model via hunk", '
         'got "made by a robot"'),
    ],
)
def test_invalid_user_file_is_reported_with_path_line_and_key(
    env: dict[str, str], user_file: Path, text: str, expected: str
) -> None:
    user_file.write_text(text)
    assert error_of(None, env) == expected


def test_syntax_error_reports_tomls_line_and_column(env: dict[str, str], user_file: Path) -> None:
    user_file.write_text('model = "openai:gpt-5"\n\n[limits]\nmax_turns = = 3\n')
    assert error_of(None, env) == f"{USER}:4: TOML syntax error: Invalid value (column 13)"


def test_error_in_repo_file_names_the_repo_file(env: dict[str, str], repo: Path) -> None:
    (repo / ".hunk.toml").write_text("[ui]\ndiff_style = \"sideways\"\n")
    assert error_of(repo, env) == (
        f'{repo}/.hunk.toml:2: ui.diff_style must be "unified" or "split", got "sideways"'
    )


def test_non_utf8_file_is_an_error_not_a_crash(env: dict[str, str], repo: Path) -> None:
    (repo / ".hunk.toml").write_bytes(b'theme = "caf\xe9"\n')
    assert error_of(repo, env).startswith(f"{repo}/.hunk.toml: not UTF-8 text")


def test_a_valid_user_file_does_not_survive_an_invalid_repo_file(
    env: dict[str, str], user_file: Path, repo: Path
) -> None:
    user_file.write_text('model = "openai:gpt-5"\n')
    (repo / ".hunk.toml").write_text("[limits]\nmax_turns = 0\n")
    assert error_of(repo, env) == f"{repo}/.hunk.toml:2: limits.max_turns must be greater than 0, got 0"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("HUNK_MAX_TURNS", "ten", 'HUNK_MAX_TURNS must be an integer, got "ten"'),
        ("HUNK_MAX_TURNS", "-1", "HUNK_MAX_TURNS must be greater than 0, got -1"),
        ("HUNK_MAX_COST", "lots", 'HUNK_MAX_COST must be a number, got "lots"'),
        ("HUNK_MAX_COST", "nan", 'HUNK_MAX_COST must be a number, got "nan"'),
        ("HUNK_APPROVAL", "maybe", 'HUNK_APPROVAL must be "ask" or "plan" or "review" or "auto", got "maybe"'),
        ("HUNK_NO_COMMIT", "perhaps",
         'HUNK_NO_COMMIT must be 1/true/yes/on or 0/false/no/off, got "perhaps"'),
        ("HUNK_MODEL", "claude", 'HUNK_MODEL must look like "provider:model" (e.g. "openai:gpt-5"), got "claude"'),
    ],
)
def test_bad_environment_values_name_the_variable(
    env: dict[str, str], variable: str, value: str, expected: str
) -> None:
    assert error_of(None, {**env, variable: value}) == expected
