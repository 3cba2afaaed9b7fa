"""`hunk config`: the effective configuration, each value with the layer it came from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hunk.settings.config import Config, value_of
from hunk.settings.schema import KEYS, MCP_SERVERS


def _show(value: Any) -> str:
    if value is None:
        return "(unset)"
    return json.dumps(value)


def describe(config: Config, notes: Mapping[str, str] | None = None) -> str:
    """The effective configuration, one `key = value  # source` line per value; `notes` adds
    words after a key's source (what an empty value means here)."""
    rows: list[tuple[str, str, str]] = []
    for key in KEYS:
        value = value_of(config, key)
        if isinstance(value, tuple):
            if not value:
                rows.append((key, "[]", str(config.source(key))))
            for i, item in enumerate(value):
                rows.append((key, _show(item), str(config.source(f"{key}[{i}]"))))
            continue
        note = f" ({notes[key]})" if notes and key in notes else ""
        rows.append((key, _show(value), str(config.source(key)) + note))
    for name, override in config.providers.items():
        for leaf in ("base_url", "api_key_env"):
            value = getattr(override, leaf)
            if value is not None:
                key = f"providers.{name}.{leaf}"
                rows.append((key, _show(value), str(config.source(key))))
    for name, table in config.mcp_servers.items():
        for leaf, value in table.items():
            key = f"{MCP_SERVERS}.{name}.{leaf}"
            # env and headers often hold tokens: their names are shown, never their values
            shown = {k: "***" for k in value} if isinstance(value, Mapping) else list(value) if isinstance(value, tuple) else value
            rows.append((key, _show(shown), str(config.source(key))))
    for hook in config.hooks:
        shown = f"{hook.command}" + (f" (matcher {hook.matcher})" if hook.matcher else "")
        rows.append((f"hooks.{hook.event}", _show(shown), str(hook.source)))
    kw = max(len(r[0]) for r in rows)
    vw = max(len(r[1]) for r in rows)
    return "\n".join(f"{k:<{kw}} = {v:<{vw}}  # {s}" for k, v, s in rows)
