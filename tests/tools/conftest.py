"""A real git repository in tmp_path for every tool test, with a hermetic HOME and git config."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hunk.tools.base import ToolContext


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root.resolve()


@pytest.fixture
def ctx(repo: Path) -> ToolContext:
    return ToolContext(root=repo)


def write(root: Path, relative: str, data: str | bytes) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8", newline="")
    else:
        target.write_bytes(data)
    return target
