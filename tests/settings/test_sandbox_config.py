"""The `[sandbox]` table: mode, network and writable paths, from every layer; a repository's own
file may make the sandbox stricter, never looser."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.settings.config import ConfigError, SandboxConfig, load_config
from hunk.settings.describe import describe


def test_the_default_is_workspace_write_without_network(env: dict[str, str], repo: Path) -> None:
    assert load_config(repo, env, {}).sandbox == SandboxConfig("workspace-write", False, ())


def test_every_layer_can_set_the_sandbox(env: dict[str, str], repo: Path, user_file: Path) -> None:
    user_file.write_text('[sandbox]\nmode = "read-only"\nnetwork = true\nwritable = ["~/.cache"]\n')
    config = load_config(repo, env, {})
    assert config.sandbox == SandboxConfig("read-only", True, ("~/.cache",))
    assert load_config(repo, {**env, "HUNK_SANDBOX": "off"}, {}).sandbox.mode == "off"
    assert load_config(repo, env, {"sandbox": "required"}).sandbox.mode == "required"
    shown = describe(config)
    assert 'sandbox.mode' in shown and '"read-only"' in shown and '"~/.cache"' in shown


@pytest.mark.parametrize(
    ("user", "text", "line", "why"),
    [
        ("", '[sandbox]\nmode = "off"\n', 2, "loosen the sandbox from workspace-write to off"),
        ('[sandbox]\nmode = "read-only"\n', '[sandbox]\nmode = "workspace-write"\n', 2, "loosen the sandbox from read-only to workspace-write"),
        ("", "[sandbox]\nnetwork = true\n", 2, "let commands reach the network"),
        ("", '[sandbox]\nwritable = ["/"]\n', 2, "let commands write outside the repository"),
    ],
)
def test_a_repository_file_cannot_loosen_the_sandbox(
    env: dict[str, str], repo: Path, user_file: Path, user: str, text: str, line: int, why: str
) -> None:
    user_file.write_text(user)
    (repo / ".hunk.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(repo, env, {})
    assert str(caught.value).startswith(f"{repo}/.hunk.toml:{line}: sandbox.")
    assert f"would {why};" in str(caught.value)


def test_a_repository_file_may_tighten_the_sandbox(env: dict[str, str], repo: Path, user_file: Path) -> None:
    user_file.write_text('[sandbox]\nnetwork = true\n')
    (repo / ".hunk.toml").write_text('[sandbox]\nmode = "required"\nnetwork = false\n')
    assert load_config(repo, env, {}).sandbox == SandboxConfig("required", False, ())


def test_the_persons_flag_still_decides(env: dict[str, str], repo: Path) -> None:
    (repo / ".hunk.toml").write_text('[sandbox]\nmode = "read-only"\n')
    assert load_config(repo, env, {"sandbox": "off"}).sandbox.mode == "off"
