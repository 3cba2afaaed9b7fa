"""Which checks a repository already has, for `hunk init` to propose as `[checks]`: Python
(ruff, pytest), package.json scripts, Makefile targets, cargo and go. A file that cannot be read
or parsed proposes nothing; detection never fails."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

NPM_SCRIPTS = ("lint", "typecheck", "test")
MAKE_TARGETS = ("lint", "check", "test")
NO_TEST = "no test specified"  # npm init's placeholder test script


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _python(root: Path) -> list[str]:
    try:
        pyproject = tomllib.loads(_text(root / "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        pyproject = {}
    tool = pyproject.get("tool", {}) if isinstance(pyproject.get("tool"), dict) else {}
    found = []
    if "ruff" in tool or (root / "ruff.toml").is_file() or (root / ".ruff.toml").is_file():
        found.append("ruff check {files}")
    pytest_config = "pytest" in tool or (root / "pytest.ini").is_file() or "[tool:pytest]" in _text(root / "setup.cfg")
    if pytest_config or (root / "conftest.py").is_file() or (root / "tests" / "conftest.py").is_file():
        found.append("python -m pytest -q -x")
    return found


def _node(root: Path) -> list[str]:
    try:
        scripts = json.loads(_text(root / "package.json") or "{}").get("scripts", {})
    except (ValueError, AttributeError):
        return []
    if not isinstance(scripts, dict):
        return []
    runner = "pnpm" if (root / "pnpm-lock.yaml").is_file() else "yarn" if (root / "yarn.lock").is_file() else "npm"
    found = []
    for name in NPM_SCRIPTS:
        script = scripts.get(name)
        if isinstance(script, str) and script.strip() and NO_TEST not in script:
            found.append(f"{runner} run {name}" if name != "test" or runner != "npm" else "npm test")
    return found


def _make(root: Path) -> list[str]:
    text = _text(root / "Makefile") or _text(root / "makefile")
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, flags=re.MULTILINE))
    return [f"make {target}" for target in MAKE_TARGETS if target in targets]


def _cargo(root: Path) -> list[str]:
    return ["cargo check --quiet", "cargo test --quiet"] if (root / "Cargo.toml").is_file() else []


def _go(root: Path) -> list[str]:
    return ["go vet ./...", "go test ./..."] if (root / "go.mod").is_file() else []


def detect_checks(root: Path) -> tuple[str, ...]:
    """The checks found in `root`, in a stable order. A Makefile's lint/check/test targets,
    when there are any, are taken alone: they are how the project says it wants checking."""
    make = _make(root)
    found = make or [*_python(root), *_node(root), *_cargo(root), *_go(root)]
    return tuple(dict.fromkeys(found))


def checks_table(commands: tuple[str, ...]) -> str:
    """`[checks]` as TOML, for `.hunk.toml`."""
    listed = ", ".join(json.dumps(command) for command in commands)
    return f'[checks]\ncommands = [{listed}]\nwhen = "turn"\n'
