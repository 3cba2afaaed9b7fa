"""What the person approved once for a repository (its own checks): remembered in
`<state>/approved.json`, private (0600), per repository and kind, word for word. When the
repository changes a command, the new command is asked about again."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from hunk.settings.config import state_dir


def _store(env: Mapping[str, str]) -> Path:
    return state_dir(env) / "approved.json"


def read_private(path: Path) -> dict:
    """A JSON object hunk wrote with `write_private`; empty when missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_private(path: Path, data: dict) -> None:
    """Write `data` as JSON readable by the person only (0600), replacing the file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
    os.replace(temporary, path)


def _read(env: Mapping[str, str]) -> dict[str, dict[str, list[str]]]:
    return read_private(_store(env))


def is_approved(env: Mapping[str, str], root: Path, kind: str, item: str) -> bool:
    return item in _read(env).get(str(root.resolve()), {}).get(kind, [])


def remember(env: Mapping[str, str], root: Path, kind: str, item: str) -> None:
    data = _read(env)
    items = data.setdefault(str(root.resolve()), {}).setdefault(kind, [])
    if item in items:
        return
    items.append(item)
    write_private(_store(env), data)
