"""The provider and model table (`models.toml`): endpoints, key variables, context, prices."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hunk.providers.base import ProviderConfigError
from hunk.values.usage import Usage


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    wire: str  # anthropic | openai-responses | openai-chat | replay
    key_env: str  # "" when no key is needed
    base_url: str | None = None
    base_url_env: str | None = None
    client: str | None = None  # azure | bedrock: the SDK's special client
    prices_from: str | None = None
    local: bool = False
    small_model: str | None = None  # the cheap model for side requests (the commit subject)

    def resolved_base_url(self, env: Mapping[str, str]) -> str | None:
        if self.base_url_env and env.get(self.base_url_env):
            return env[self.base_url_env]
        return self.base_url

    def has_key(self, env: Mapping[str, str]) -> bool:
        return not self.key_env or bool(env.get(self.key_env))


@dataclass(frozen=True)
class ModelInfo:
    provider: str
    id: str
    context_window: int
    input: float  # USD per million tokens
    output: float
    cache_read: float | None = None
    cache_write: float | None = None
    thinking: str | None = None  # "adaptive": the model decides how much to think (Claude 4.6+)

    def cost_usd(self, usage: Usage) -> float:
        cache_read = self.input if self.cache_read is None else self.cache_read
        cache_write = self.input if self.cache_write is None else self.cache_write
        total = (
            usage.input_tokens * self.input
            + usage.output_tokens * self.output
            + usage.cache_read_tokens * cache_read
            + usage.cache_write_tokens * cache_write
        )
        return total / 1_000_000


@dataclass(frozen=True)
class Catalog:
    providers: dict[str, ProviderInfo]
    models: tuple[ModelInfo, ...]

    def provider(self, name: str) -> ProviderInfo:
        try:
            return self.providers[name]
        except KeyError:
            known = ", ".join(sorted(self.providers))
            raise ProviderConfigError(f"unknown provider {name!r}; known providers: {known}") from None

    def model(self, provider: str, model_id: str) -> ModelInfo | None:
        info = self.providers.get(provider)
        families = [provider] + ([info.prices_from] if info and info.prices_from else [])
        for family in families:
            for entry in self.models:
                if entry.provider == family and entry.id == model_id:
                    return entry
        return None


@cache
def load_catalog() -> Catalog:
    data = tomllib.loads((Path(__file__).with_name("models.toml")).read_text(encoding="utf-8"))
    providers = {name: ProviderInfo(name=name, **fields) for name, fields in data["providers"].items()}
    models = tuple(ModelInfo(**entry) for entry in data["models"])
    return Catalog(providers, models)


def parse_model_spec(spec: str) -> tuple[str, str]:
    """`PROVIDER:MODEL` → (provider, model). The model part may itself hold colons (ollama tags)."""
    provider, sep, model = spec.partition(":")
    if not sep or not provider or not model:
        raise ProviderConfigError(
            f"model {spec!r} is not PROVIDER:MODEL (for example anthropic:claude-sonnet-4-6 or ollama:qwen2.5-coder)"
        )
    load_catalog().provider(provider)  # raises with the list of known providers
    return provider, model


def cost_usd(provider: str, model: str, usage: Usage) -> float | None:
    info = load_catalog().model(provider, model)
    return None if info is None else info.cost_usd(usage)


def small_model(provider: str, model: str, configured: str = "") -> str:
    """The model for side requests: `configured` (`[models] small`: a model id, or
    PROVIDER:MODEL naming this provider), else the provider's cheap model, else `model`."""
    named, sep, rest = configured.partition(":")
    if sep and named in load_catalog().providers:
        configured = rest if named == provider else ""
    if configured:
        return configured
    info = load_catalog().providers.get(provider)
    return (info.small_model if info is not None else None) or model
