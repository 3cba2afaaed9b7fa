"""Where commands, skills and Claude's settings live, for a person and for a repository.

Lowest precedence first: a repository's folders override a person's, and hunk's own folder
(`.hunk/…`, `~/.config/hunk/…`) overrides Claude's (`.claude/…`, `~/.claude/…`) at each level.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hunk.settings.config import user_config_path

Origin = Literal["user", "repo"]


@dataclass(frozen=True)
class Place:
    folder: Path
    origin: Origin
    label: str  # how people see it: "~/.claude/commands", ".hunk/skills"


def _home(env: Mapping[str, str]) -> Path:
    home = env.get("HOME")
    return Path(home) if home else Path.home()


def folders(kind: Literal["commands", "skills"], root: Path | None, env: Mapping[str, str]) -> list[Place]:
    """The folders holding `kind`, lowest precedence first."""
    places = [
        Place(_home(env) / ".claude" / kind, "user", f"~/.claude/{kind}"),
        Place(user_config_path(env).parent / kind, "user", f"~/.config/hunk/{kind}"),
    ]
    if root is not None:
        places += [
            Place(root / ".claude" / kind, "repo", f".claude/{kind}"),
            Place(root / ".hunk" / kind, "repo", f".hunk/{kind}"),
        ]
    return places


def claude_settings(root: Path | None, env: Mapping[str, str]) -> list[Place]:
    """Claude Code's settings files whose `hooks` hunk reads, lowest precedence first."""
    places = [Place(_home(env) / ".claude" / "settings.json", "user", "~/.claude/settings.json")]
    if root is not None:
        places += [
            Place(root / ".claude" / "settings.json", "repo", ".claude/settings.json"),
            Place(root / ".claude" / "settings.local.json", "repo", ".claude/settings.local.json"),
        ]
    return places


def json_section(path: Path, key: str) -> dict[str, Any] | None:
    """The `key` object of a JSON settings file (Claude's settings, `.mcp.json`): None when the
    file or the key is absent; ValueError, one line without the path, when it cannot be used."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    section = document.get(key) if isinstance(document, dict) else None
    if section is not None and not isinstance(section, dict):
        raise ValueError(f'"{key}" is not an object')
    return section
