"""Which models can answer right now: providers whose key is set, and local servers that answer
on loopback. For the TUI's "no model" screen and its `/model` picker.

Only loopback addresses are probed (a local preset pointed elsewhere is left out), with a short
timeout, so nothing here reaches the internet.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from hunk.providers.catalog import load_catalog

LOOPBACK = ("127.0.0.1", "localhost", "::1")
PER_PROVIDER = 4  # catalog models offered per provider with a key


@dataclass(frozen=True)
class Usable:
    spec: str  # PROVIDER:MODEL
    why: str  # "ANTHROPIC_API_KEY is set", "local server at localhost:11434"


def usable_models(env: Mapping[str, str], timeout_s: float = 0.3) -> list[Usable]:
    """Blocking (run it in a thread): the models usable now, keys first, then local servers."""
    catalog = load_catalog()
    found: list[Usable] = []
    for name, info in catalog.providers.items():
        if info.local:
            url = info.resolved_base_url(env)
            host = urlparse(url or "").hostname
            if url and host in LOOPBACK:
                found += [Usable(f"{name}:{m}", f"local server at {urlparse(url).netloc}") for m in served_models(url, timeout_s)]
        elif info.key_env and env.get(info.key_env):
            models = [m.id for m in catalog.models if m.provider == name][:PER_PROVIDER]
            found += [Usable(f"{name}:{m}", f"{info.key_env} is set") for m in models]
    return found


def served_models(base_url: str, timeout_s: float) -> list[str]:
    """The models an OpenAI-compatible server lists at `base_url`/models; [] when it does not answer."""
    try:
        with urllib.request.urlopen(base_url.rstrip("/") + "/models", timeout=timeout_s) as answer:  # noqa: S310 - loopback only
            listed = json.load(answer)
    except (OSError, ValueError):
        return []
    data = listed.get("data") if isinstance(listed, dict) else None
    return sorted(str(m["id"]) for m in data or [] if isinstance(m, dict) and m.get("id"))


def key_variables() -> list[str]:
    """The variables that unlock a hosted provider, for the words "set one of …"."""
    seen: list[str] = []
    for info in load_catalog().providers.values():
        if info.key_env and not info.local and info.key_env not in seen:
            seen.append(info.key_env)
    return seen
