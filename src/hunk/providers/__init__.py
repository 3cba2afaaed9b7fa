"""hunk.providers — prompt → provider: one module per wire protocol (Anthropic Messages, OpenAI
Responses, Chat Completions and its presets), the catalog, retries, and `complete()`.

Importing this package loads no SDK: the module of a protocol (and with it its SDK) is imported
when a provider of that protocol is first created.
May import: hunk.values, hunk.settings; the SDKs lazily. Never: hunk.workspace, hunk.tools,
hunk.policy, hunk.journal (siblings), or anything above (extensions, agent, front ends, cli).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping

from hunk.providers.base import Provider, ProviderConfigError, RetryPolicy
from hunk.providers.catalog import load_catalog, parse_model_spec

_WIRE_MODULES = {
    "anthropic": "hunk.providers.anthropic_messages",
    "openai-responses": "hunk.providers.openai_responses",
    "openai-chat": "hunk.providers.openai_chat",
    "replay": "hunk.providers.replay",
}


def create_provider(
    spec: str,
    *,
    env: Mapping[str, str] | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    retry: RetryPolicy | None = None,
) -> Provider:
    """Build the provider for `PROVIDER:MODEL`.

    `base_url` and `api_key` override what the catalog and the environment say (config and
    tests use them). Raises `ProviderConfigError` with a one-line message saying what to set.
    """
    env = os.environ if env is None else env
    name, model = parse_model_spec(spec)
    info = load_catalog().provider(name)
    try:
        module = importlib.import_module(_WIRE_MODULES[info.wire])
    except ImportError as exc:
        raise ProviderConfigError(f"provider {name!r} cannot load: {exc}") from None
    return module.create(
        info,
        model,
        api_key=api_key,
        base_url=base_url,
        retry=retry or RetryPolicy(),
        env=env,
    )


_WIRE_SDKS = {"anthropic": "anthropic", "openai-responses": "openai", "openai-chat": "openai"}


def warm_up(spec: str | None = None) -> None:
    """Import the SDK that `PROVIDER:MODEL` will need, in the background of a UI, so the first
    request does not wait for it. Without a spec, every SDK. Errors are left for later."""
    try:
        wires = [load_catalog().provider(parse_model_spec(spec)[0]).wire] if spec else list(_WIRE_SDKS)
    except ProviderConfigError:
        return
    for wire in wires:
        if wire in _WIRE_SDKS:
            try:
                importlib.import_module(_WIRE_SDKS[wire])
            except ImportError:
                pass


__all__ = ["Provider", "ProviderConfigError", "RetryPolicy", "create_provider", "warm_up"]
