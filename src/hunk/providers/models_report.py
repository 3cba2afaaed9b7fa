"""The text `hunk models` prints: every provider preset and every known model.

Reads only the catalog (`models.toml`) and the environment's variable *names*: no SDK is
imported and no key value is ever shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hunk.providers.catalog import ModelInfo, ProviderInfo, load_catalog

# where a provider goes when neither the catalog nor the environment names an endpoint
_SDK_DEFAULT_ENDPOINTS = {
    "anthropic": "https://api.anthropic.com",
    "openai-responses": "https://api.openai.com/v1",
    "openai-chat": "https://api.openai.com/v1",
    "replay": "scripted sessions, no network",
}


def endpoint(info: ProviderInfo, env: Mapping[str, str]) -> str:
    url = info.resolved_base_url(env)
    if url:
        return url
    if info.client == "bedrock":
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
        return f"https://bedrock-runtime.{region}.amazonaws.com" if region else "AWS Bedrock (set AWS_REGION)"
    if info.base_url_env and info.client:
        return f"set {info.base_url_env}"
    return _SDK_DEFAULT_ENDPOINTS.get(info.wire, "")


def key_status(info: ProviderInfo, env: Mapping[str, str]) -> str:
    if info.client == "bedrock":
        return "AWS credentials"
    if not info.key_env:
        return "no key needed"
    return "key set" if env.get(info.key_env) else f"needs {info.key_env}"


def _money(value: float) -> str:
    text = f"{value:.2f}"
    return text if float(text) == value else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        return "  " + "  ".join(cells).rstrip()

    return [line(header), *(line(row) for row in rows)]


def _provider_rows(providers: Sequence[ProviderInfo], env: Mapping[str, str]) -> list[list[str]]:
    return [[p.name, p.wire, endpoint(p, env), key_status(p, env)] for p in providers]


def _model_rows(models: Sequence[ModelInfo]) -> list[list[str]]:
    return [
        [f"{m.provider}:{m.id}", f"{m.context_window:,}", _money(m.input), _money(m.output)]
        for m in sorted(models, key=lambda m: (m.provider, m.id))
    ]


def models_report(env: Mapping[str, str]) -> str:
    """The whole report, ending in a newline."""
    catalog = load_catalog()
    providers = list(catalog.providers.values())
    borrowers: dict[str, list[str]] = {}
    for p in providers:
        if p.prices_from:
            borrowers.setdefault(p.prices_from, []).append(p.name)
    shared = "; ".join(f"{' and '.join(names)} use {source}'s prices" for source, names in sorted(borrowers.items()))
    lines = ["Providers (choose with -m PROVIDER:MODEL)"]
    lines += _table(("provider", "wire", "endpoint", "key"), _provider_rows(providers, env))
    lines += ["", "Known models"]
    lines += _table(("model", "context", "$/Mtok in", "$/Mtok out"), _model_rows(catalog.models), frozenset({1, 2, 3}))
    lines += [
        "",
        f"Prices: {shared}. Any other model name works too; its cost shows as unknown.",
    ]
    return "\n".join(lines) + "\n"
