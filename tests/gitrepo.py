"""Real git repositories in temporary folders, and a hermetic environment for `hunk` itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test User",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test User",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, env={**os.environ, **IDENTITY})
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def git_bytes(root: Path, *args: str) -> bytes:
    """git's stdout as bytes (text mode would turn CRLF into LF)."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True, env={**os.environ, **IDENTITY})
    return done.stdout


def make_repo(root: Path, files: dict[str, str | bytes], *, commit: bool = True) -> Path:
    """A git repository at `root` holding `files`, committed once (unless commit=False)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(root, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(root, "config", "commit.gpgsign", "false")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
    return root


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def hunk_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a `hunk` subprocess runs in: no keys, no user config, own state dir."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_API_KEY", "_BASE_URL", "_AUTH_TOKEN")) and not k.startswith(("HUNK_", "ANTHROPIC_", "AWS_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".state"),
        TMPDIR=str(_made(home / "tmp")),  # what a killed hunk leaves stays with the test
        NO_COLOR="1",
        PYTHONUNBUFFERED="1",
        **IDENTITY,
    )
    env.update(extra)
    return env


def run_hunk(root: Path, env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`hunk ARGS` in `root` as a subprocess (the same code the installed command runs)."""
    return subprocess.run(
        [sys.executable, "-m", "hunk", *args],
        cwd=root,
        env=env,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def path_without_bwrap(folder: Path) -> str:
    """A PATH holding git and bash but no bwrap, as on a machine without bubblewrap."""
    folder.mkdir(parents=True, exist_ok=True)
    for tool in ("git", "bash"):
        if not (folder / tool).exists():
            (folder / tool).symlink_to(next(Path(p, tool) for p in os.environ["PATH"].split(":") if Path(p, tool).exists()))
    return str(folder)
