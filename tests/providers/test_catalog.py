"""The provider and model catalog (`models.toml`), cost arithmetic and the `hunk models` report."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hunk.providers import _WIRE_MODULES
from hunk.providers.base import ProviderConfigError
from hunk.providers.catalog import ModelInfo, cost_usd, load_catalog, parse_model_spec
from hunk.providers.models_report import endpoint, key_status, models_report
from hunk.values.usage import Usage


@pytest.mark.parametrize(
    "spec, parsed",
    [
        ("anthropic:claude-sonnet-4-5", ("anthropic", "claude-sonnet-4-5")),
        ("ollama:qwen2.5-coder:7b-instruct", ("ollama", "qwen2.5-coder:7b-instruct")),
        ("bedrock:anthropic.claude-haiku-4-5-20251001-v1:0", ("bedrock", "anthropic.claude-haiku-4-5-20251001-v1:0")),
    ],
)
def test_model_spec_splits_at_the_first_colon(spec, parsed):
    assert parse_model_spec(spec) == parsed


@pytest.mark.parametrize("spec", ["claude-sonnet-4-5", "anthropic:", ":gpt-5"])
def test_malformed_model_spec_is_one_line_with_an_example(spec):
    with pytest.raises(ProviderConfigError) as caught:
        parse_model_spec(spec)
    assert "PROVIDER:MODEL" in str(caught.value) and "\n" not in str(caught.value)


def test_unknown_provider_lists_the_known_ones():
    with pytest.raises(ProviderConfigError) as caught:
        parse_model_spec("anthropik:claude")
    message = str(caught.value)
    assert "unknown provider 'anthropik'" in message
    assert "anthropic" in message and "ollama" in message


def test_every_provider_has_a_wire_module_and_every_model_a_provider():
    catalog = load_catalog()
    assert {p.wire for p in catalog.providers.values()} <= set(_WIRE_MODULES)
    assert {m.provider for m in catalog.models} <= set(catalog.providers)
    assert all(m.context_window > 0 and m.input >= 0 and m.output >= 0 for m in catalog.models)
    for name in ("anthropic", "bedrock", "openai", "openai-chat", "azure", "ollama", "vllm", "llamacpp",
                 "lmstudio", "openrouter", "together", "groq", "deepseek", "mistral", "gemini"):
        assert name in catalog.providers


def test_cost_prices_cache_reads_and_writes_apart():
    usage = Usage(input_tokens=1_000_000, output_tokens=100_000, cache_read_tokens=2_000_000, cache_write_tokens=400_000)
    # sonnet 4.5: 3 in, 15 out, 0.30 cache read, 3.75 cache write ($ per million tokens)
    assert cost_usd("anthropic", "claude-sonnet-4-5", usage) == pytest.approx(3 + 1.5 + 0.6 + 1.5)


def test_missing_cache_prices_fall_back_to_the_input_price():
    info = ModelInfo("x", "m", 1000, input=2.0, output=8.0)
    assert info.cost_usd(Usage(cache_read_tokens=1_000_000, cache_write_tokens=500_000)) == pytest.approx(3.0)


def test_presets_borrow_prices_and_unknown_models_have_no_cost():
    usage = Usage(input_tokens=1_000_000)
    assert cost_usd("openai-chat", "gpt-5", usage) == cost_usd("openai", "gpt-5", usage) == pytest.approx(1.25)
    assert cost_usd("anthropic", "claude-not-a-model", usage) is None


def test_base_url_variable_overrides_the_preset_endpoint():
    ollama = load_catalog().provider("ollama")
    assert ollama.resolved_base_url({}) == "http://localhost:11434/v1"
    assert ollama.resolved_base_url({"OLLAMA_BASE_URL": "http://gpu:11434/v1"}) == "http://gpu:11434/v1"


# --- hunk models -----------------------------------------------------------------------------


def test_report_says_which_keys_are_set_needed_or_not_needed():
    catalog = load_catalog()
    env = {"ANTHROPIC_API_KEY": "sk-ant-secret-value"}
    assert key_status(catalog.provider("anthropic"), env) == "key set"
    assert key_status(catalog.provider("openai"), env) == "needs OPENAI_API_KEY"
    assert key_status(catalog.provider("ollama"), env) == "no key needed"
    assert key_status(catalog.provider("openai"), {"OPENAI_API_KEY": ""}) == "needs OPENAI_API_KEY"
    report = models_report(env)
    assert "sk-ant-secret-value" not in report
    rows = {line.split()[0]: line for line in report.splitlines() if line.startswith("  ")}
    assert rows["anthropic"].endswith("key set")
    assert rows["openai"].endswith("needs OPENAI_API_KEY")
    assert rows["lmstudio"].endswith("no key needed")


def test_report_lists_every_provider_and_every_model_with_context_and_prices():
    catalog = load_catalog()
    report = models_report({})
    rows = {line.split()[0]: line.split() for line in report.splitlines() if line.startswith("  ")}
    for name, info in catalog.providers.items():
        assert rows[name][1] == info.wire
    for model in catalog.models:
        assert rows[f"{model.provider}:{model.id}"][1:] == [
            f"{model.context_window:,}",
            f"{model.input:.2f}" if round(model.input, 2) == model.input else f"{model.input:.3f}",
            f"{model.output:.2f}" if round(model.output, 2) == model.output else f"{model.output:.3f}",
        ]
    assert rows["anthropic:claude-sonnet-4-5"][1:] == ["200,000", "3.00", "15.00"]
    assert report.endswith("\n")


def test_report_endpoints_follow_the_environment():
    catalog = load_catalog()
    assert endpoint(catalog.provider("anthropic"), {}) == "https://api.anthropic.com"
    assert endpoint(catalog.provider("anthropic"), {"ANTHROPIC_BASE_URL": "http://proxy:8080"}) == "http://proxy:8080"
    assert endpoint(catalog.provider("bedrock"), {"AWS_REGION": "eu-west-1"}) == "https://bedrock-runtime.eu-west-1.amazonaws.com"
    assert endpoint(catalog.provider("azure"), {}) == "set AZURE_OPENAI_ENDPOINT"
    assert endpoint(catalog.provider("gemini"), {}) == "https://generativelanguage.googleapis.com/v1beta/openai/"


def test_report_imports_no_sdk():
    code = (
        "import sys; from hunk.providers.models_report import models_report; models_report({}); "
        "print(sorted(m for m in ('anthropic', 'openai', 'httpx2', 'textual', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
