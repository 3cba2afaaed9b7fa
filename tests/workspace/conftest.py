"""Real git repositories in tmp_path, with a hermetic HOME and git identity."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test User",
    "GIT_AUTHOR_EMAIL": "user@example.com",
    "GIT_COMMITTER_NAME": "Test User",
    "GIT_COMMITTER_EMAIL": "user@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def hermetic_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("GIT_INDEX_FILE", raising=False)
    monkeypatch.delenv("GIT_DIR", raising=False)
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


def git(root: Path, *args: str, input: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=root, input=input, capture_output=True, check=True)
    return done.stdout.decode("utf-8", "surrogateescape")


def write(root: Path, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """A repository with one commit of `files` (or none with commit=False)."""

    def make(
        files: dict[str, bytes] | None = None, *, commit: bool = True, name: str = "repo"
    ) -> Path:
        root = tmp_path / name
        root.mkdir()
        git(root, "init", "-q", "-b", "main")
        write(root, files or {"README.md": b"hello\n"})
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "initial")
        return root

    return make


def blob_at(root: Path, rev: str, path: str) -> bytes | None:
    done = subprocess.run(
        ["git", "cat-file", "blob", f"{rev}:{path}"], cwd=root, capture_output=True
    )
    return done.stdout if done.returncode == 0 else None


def staged(root: Path, path: str) -> bytes | None:
    return blob_at(root, "", path)
