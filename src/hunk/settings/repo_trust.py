"""What a repository's own `.hunk.toml` may set.

The file comes with the repository (a clone is someone else's), so it may tighten safety but
not loosen it unless the person trusts the repository in their own file (`trusted_repos`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hunk.settings.schema import SANDBOX_MODES

# key prefix → what setting it would let the repository's author do
REPO_MAY_NOT = {
    "providers.": "send your API key to an endpoint of its choosing",
    "commands.allow": "let commands run without asking you",
    "mcp.allow": "let MCP tools run without asking you",
    "trusted_repos": "trust repositories for you",
    "keep.": "stop hunk keeping copies of your files before commands",
    "sandbox.network": "let commands reach the network",
    "sandbox.writable": "let commands write outside the repository",
}


def is_trusted(repo_root: Path, trusted: set[str], home: Path) -> bool:
    resolved = {Path(t.replace("~", str(home), 1) if t.startswith("~") else t).resolve() for t in trusted}
    return repo_root.resolve() in resolved


def loosening(key: str, value: Any, user_mode: str) -> str | None:
    """What `key = value` in a repository's file would let its author do; None when it may stand.

    `user_mode` is the sandbox mode the person's own file sets: the repository may only name
    one at least as strict."""
    if key == "sandbox.mode":
        if SANDBOX_MODES.index(value) < SANDBOX_MODES.index(user_mode):
            return f"loosen the sandbox from {user_mode} to {value}"
        return None
    if key == "sandbox.network" and value is False:
        return None  # no network is a tightening
    if key == "approval" and value == "auto":
        return "turn approval off"
    return next((why for prefix, why in REPO_MAY_NOT.items() if key.startswith(prefix)), None)
