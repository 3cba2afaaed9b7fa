"""The Chat Completions presets: each family picks up its base URL and key variable, a hosted
preset without its key is one clear line, and Azure goes through the SDK's Azure client."""

from __future__ import annotations

import pytest

from hunk.providers import create_provider
from hunk.providers.base import ProviderConfigError, Stopped
from hunk.providers.catalog import load_catalog
from tests.fakeserver import FakeProvider, Reply
from tests.providers.openai_helpers import ask

LOCAL = ["ollama", "vllm", "llamacpp", "lmstudio"]
HOSTED = ["openrouter", "together", "groq", "deepseek", "mistral", "gemini"]


@pytest.mark.parametrize("preset", LOCAL)
async def test_local_preset_reads_its_base_url_variable_and_needs_no_key(
    preset: str, fake: FakeProvider, collect
) -> None:
    env = {f"{preset.upper()}_BASE_URL": f"{fake.url}/v1"}
    fake.script(Reply("local hello"))
    events = await collect(create_provider(f"{preset}:some-model", env=env).stream(ask()))
    assert events[-1] == Stopped("end_turn", "stop")
    [request] = fake.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer unused"
    assert request.body["max_tokens"] == 8192 and "max_completion_tokens" not in request.body


@pytest.mark.parametrize("preset", LOCAL)
def test_local_preset_defaults_to_its_usual_port(preset: str) -> None:
    provider = create_provider(f"{preset}:m", env={})
    assert str(provider._client.base_url).rstrip("/") == load_catalog().provider(preset).base_url.rstrip("/")


@pytest.mark.parametrize("preset", HOSTED)
async def test_hosted_preset_sends_the_key_from_its_variable(preset: str, fake: FakeProvider, collect) -> None:
    info = load_catalog().provider(preset)
    env = {info.key_env: f"key-for-{preset}"}
    assert str(create_provider(f"{preset}:m", env=env)._client.base_url).rstrip("/") == info.base_url.rstrip("/")
    fake.script(Reply("hosted hello"))
    await collect(create_provider(f"{preset}:m", env=env, base_url=fake.url).stream(ask()))
    assert fake.requests[0].headers["authorization"] == f"Bearer key-for-{preset}"


@pytest.mark.parametrize("preset", HOSTED + ["openai-chat", "openai", "azure"])
def test_hosted_preset_without_its_key_is_one_line_naming_the_variable(preset: str) -> None:
    key_env = load_catalog().provider(preset).key_env
    with pytest.raises(ProviderConfigError) as raised:
        create_provider(f"{preset}:m", env={"AZURE_OPENAI_ENDPOINT": "https://example.invalid"})
    message = str(raised.value)
    assert key_env in message and "\n" not in message


async def test_openai_chat_reads_openai_key_and_base_url(fake: FakeProvider, collect) -> None:
    env = {"OPENAI_API_KEY": "sk-env", "OPENAI_BASE_URL": fake.url}
    fake.script(Reply("hi"))
    await collect(create_provider("openai-chat:gpt-5", env=env).stream(ask()))
    assert fake.requests[0].headers["authorization"] == "Bearer sk-env"


async def test_azure_puts_the_deployment_and_api_version_in_the_url(fake: FakeProvider, collect) -> None:
    env = {"AZURE_OPENAI_API_KEY": "az-key", "AZURE_OPENAI_ENDPOINT": fake.url, "OPENAI_API_VERSION": "2025-01-01"}
    fake.script(Reply("from azure"))
    events = await collect(create_provider("azure:my-gpt-deployment", env=env).stream(ask(model="my-gpt-deployment")))
    assert events[-1] == Stopped("end_turn", "stop")
    [request] = fake.requests
    assert request.path == "/openai/deployments/my-gpt-deployment/chat/completions?api-version=2025-01-01"
    assert request.headers["api-key"] == "az-key"
    assert request.body["max_completion_tokens"] == 8192


async def test_azure_has_a_default_api_version(fake: FakeProvider, collect) -> None:
    fake.script(Reply("ok"))
    env = {"AZURE_OPENAI_API_KEY": "az-key", "AZURE_OPENAI_ENDPOINT": fake.url}
    await collect(create_provider("azure:dep", env=env).stream(ask()))
    assert "api-version=20" in fake.requests[0].path


def test_azure_without_an_endpoint_says_which_variable_to_set() -> None:
    with pytest.raises(ProviderConfigError, match="AZURE_OPENAI_ENDPOINT"):
        create_provider("azure:dep", env={"AZURE_OPENAI_API_KEY": "az-key"})
