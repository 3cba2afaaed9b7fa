"""A hermetic HOME and XDG for every config test, and a small git repository to read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "HUNK_MODEL", "HUNK_APPROVAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    return {"HOME": str(home)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.fixture
def user_file(env: dict[str, str]) -> Path:
    path = Path(env["HOME"]) / ".config" / "hunk" / "config.toml"
    path.parent.mkdir(parents=True)
    return path
