"""Each layer overrides the one below it, and every value knows where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.settings.config import (
    Config,
    ConfigError,
    Source,
    load_config,
    state_dir,
    user_config_path,
)
from hunk.settings.describe import describe


def test_defaults_alone_equal_the_dataclass_defaults(env: dict[str, str], repo: Path) -> None:
    config = load_config(repo, env, {})
    assert config == Config()
    assert config.model == "anthropic:claude-sonnet-4-6"
    assert config.approval is None
    assert config.limits.max_turns == 50
    assert config.limits.max_cost_usd is None
    assert config.limits.context_compact_at == 0.8
    assert config.source("model") == Source("default")


def test_each_layer_overrides_the_one_below_and_records_its_source(
    env: dict[str, str], repo: Path, user_file: Path
) -> None:
    user_file.write_text(
        'model = "openai:gpt-5"\ntheme = "nord"\n\n[limits]\nmax_turns = 10\nmax_cost_usd = 3\n'
    )
    (repo / ".hunk.toml").write_text('theme = "gruvbox"\n[limits]\nmax_turns = 20\n')
    env = {**env, "HUNK_MAX_TURNS": "30", "HUNK_MAX_COST": "1.5"}
    config = load_config(repo, env, {"max_turns": 40})

    assert config.model == "openai:gpt-5"
    assert config.source("model") == Source("user", "~/.config/hunk/config.toml:1")
    assert config.theme == "gruvbox"
    assert config.source("theme") == Source("repo", f"{repo}/.hunk.toml:1")
    assert config.limits.max_cost_usd == 1.5
    assert config.source("limits.max_cost_usd") == Source("env", "HUNK_MAX_COST")
    assert config.limits.max_turns == 40
    assert config.source("limits.max_turns") == Source("flag", "--max-turns")


def test_repo_file_line_is_found_inside_its_table(env: dict[str, str], repo: Path) -> None:
    (repo / ".hunk.toml").write_text("# mine\n\n[commit]\nenabled = true\ntrailer = false\n")
    config = load_config(repo, env, {})
    assert config.commit.trailer is False
    assert str(config.source("commit.trailer")) == f"{repo}/.hunk.toml:5"


def test_command_patterns_add_up_across_layers_without_repeats(
    env: dict[str, str], repo: Path, user_file: Path
) -> None:
    user_file.write_text(f'trusted_repos = ["{repo}"]\n[commands]\nallow = ["pytest *"]\ndeny = ["git push *"]\n')
    (repo / ".hunk.toml").write_text('commands.allow = ["npm run *", "pytest *"]\n')
    config = load_config(repo, env, {})
    assert config.commands.allow == ("pytest *", "npm run *")
    assert config.commands.deny == ("git push *",)
    assert config.source("commands.allow[1]") == Source("repo", f"{repo}/.hunk.toml:1")
    assert config.source("commands.allow[0]").kind == "user"


def test_switch_flags_and_variables_turn_commits_off_and_approval_auto(
    env: dict[str, str], repo: Path
) -> None:
    config = load_config(repo, {**env, "HUNK_NO_TRAILER": "yes"}, {"no_commit": True, "yes": True})
    assert config.commit.enabled is False
    assert config.source("commit.enabled") == Source("flag", "--no-commit")
    assert config.commit.trailer is False
    assert config.commit.trailer_line("openai:gpt-5") is None
    assert config.approval == "auto"
    assert config.source("approval") == Source("flag", "--yes")


def test_switches_that_are_off_or_flags_not_given_change_nothing(
    env: dict[str, str], repo: Path
) -> None:
    config = load_config(
        repo, {**env, "HUNK_NO_COMMIT": "0", "HUNK_MODEL": ""}, {"no_commit": False, "model": None}
    )
    assert config == Config()


def test_trailer_names_the_model_in_use(env: dict[str, str], repo: Path) -> None:
    config = load_config(repo, env, {})
    assert config.commit.trailer_line("openai:gpt-5") == "Assisted-by: openai:gpt-5 via hunk"


def test_provider_overrides_are_read_per_provider(env: dict[str, str], user_file: Path) -> None:
    user_file.write_text(
        '[providers.ollama]\nbase_url = "http://127.0.0.1:11434/v1"\n'
        '[providers.openrouter]\napi_key_env = "MY_ROUTER_KEY"\n'
    )
    config = load_config(None, env, {})
    assert config.providers["ollama"].base_url == "http://127.0.0.1:11434/v1"
    assert config.providers["ollama"].api_key_env is None
    assert config.providers["openrouter"].api_key_env == "MY_ROUTER_KEY"
    assert config.source("providers.ollama.base_url").where == "~/.config/hunk/config.toml:2"


def test_xdg_config_home_moves_the_user_file(env: dict[str, str], tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    (xdg / "hunk").mkdir(parents=True)
    (xdg / "hunk" / "config.toml").write_text('approval = "review"\n')
    env = {**env, "XDG_CONFIG_HOME": str(xdg)}
    assert user_config_path(env) == xdg / "hunk" / "config.toml"
    config = load_config(None, env, {})
    assert config.approval == "review"
    assert config.source("approval") == Source("user", f"{xdg}/hunk/config.toml:1")


def test_state_dir_follows_xdg_and_ignores_relative_values(env: dict[str, str]) -> None:
    home = Path(env["HOME"])
    assert state_dir(env) == home / ".local" / "state" / "hunk"
    assert state_dir({**env, "XDG_STATE_HOME": "/var/st"}) == Path("/var/st/hunk")
    assert state_dir({**env, "XDG_STATE_HOME": "rel/st"}) == home / ".local" / "state" / "hunk"


def test_describe_prints_every_value_with_its_source(
    env: dict[str, str], repo: Path, user_file: Path
) -> None:
    user_file.write_text('[commands]\nallow = ["pytest *", "npm run *"]\n')
    config = load_config(repo, {**env, "HUNK_MODEL": "ollama:qwen2.5-coder"}, {"max_cost": 2})
    lines = describe(config).splitlines()
    assert any(
        line.startswith("model ") and '"ollama:qwen2.5-coder"' in line and
        line.endswith("# env HUNK_MODEL") for line in lines
    )
    assert any("limits.max_cost_usd" in ln and "2.0" in ln and "flag --max-cost" in ln for ln in lines)
    allow = [ln for ln in lines if ln.startswith("commands.allow")]
    assert len(allow) == 2 and all("~/.config/hunk/config.toml:2" in ln for ln in allow)
    assert any(ln.startswith("approval") and "(unset)" in ln and "# default" in ln for ln in lines)
    assert any(ln.startswith("commands.deny") and "[]" in ln for ln in lines)


def test_unknown_flag_is_a_programming_error(env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown flag 'colour'"):
        load_config(None, env, {"colour": "red"})


def test_dotted_flags_set_any_key(env: dict[str, str]) -> None:
    config = load_config(None, env, {"limits.command_timeout_s": 30})
    assert config.limits.command_timeout_s == 30
    assert config.source("limits.command_timeout_s") == Source("flag", "--limits.command_timeout_s")


def test_a_bad_flag_value_raises_a_config_error(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(None, env, {"approval": "sometimes"})
    assert str(caught.value) == '--approval must be "ask" or "plan" or "review" or "auto", got "sometimes"'
