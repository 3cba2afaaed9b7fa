"""Building an Anthropic (or Bedrock) provider: keys, endpoints and one-line config errors."""

from __future__ import annotations

import sys
import types

import pytest

from hunk.providers import create_provider
from hunk.providers.base import ProviderConfigError, Request, Stopped
from hunk.values.conversation import Message
from tests.fakeserver import Reply


def test_missing_key_is_one_line_that_names_the_variable():
    with pytest.raises(ProviderConfigError) as caught:
        create_provider("anthropic:claude-haiku-4-5", env={})
    message = str(caught.value)
    assert "ANTHROPIC_API_KEY is not set" in message and "-m" in message
    assert "\n" not in message


async def test_key_and_base_url_come_from_the_given_environment(fake, collect):
    fake.script(Reply(text="from env"))
    env = {"ANTHROPIC_API_KEY": "env-key-123", "ANTHROPIC_BASE_URL": fake.url}
    hunk = create_provider("anthropic:claude-haiku-4-5", env=env)
    assert (hunk.provider_name, hunk.model) == ("anthropic", "claude-haiku-4-5")
    events = await collect(hunk.stream(Request("claude-haiku-4-5", "s", (Message.user("hi"),))))
    assert events[-1] == Stopped("end_turn", "end_turn")
    assert fake.requests[0].headers["authorization"] == "Bearer env-key-123"


async def test_arguments_override_the_environment(fake, collect):
    fake.script(Reply(text="from args"))
    env = {"ANTHROPIC_API_KEY": "env-key", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
    hunk = create_provider("anthropic:claude-haiku-4-5", env=env, api_key="arg-key", base_url=fake.url)
    await collect(hunk.stream(Request("claude-haiku-4-5", "s", (Message.user("hi"),))))
    assert fake.requests[0].headers["authorization"] == "Bearer arg-key"


def test_bedrock_without_the_aws_extra_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # importing it now fails, installed or not
    with pytest.raises(ProviderConfigError) as caught:
        create_provider("bedrock:anthropic.claude-haiku-4-5-20251001-v1:0", env={"AWS_REGION": "us-east-1"})
    assert str(caught.value) == "bedrock needs the AWS libraries: pip install 'hunk[bedrock]'"


@pytest.fixture
def aws_extra(monkeypatch):
    """Stand-ins for boto3/botocore when the extra is not installed: the Bedrock client only
    needs them to sign requests, which a bearer token makes unnecessary."""
    for name in ("boto3", "botocore"):
        if name not in sys.modules:
            try:
                __import__(name)
            except ImportError:
                monkeypatch.setitem(sys.modules, name, types.ModuleType(name))


def test_bedrock_builds_the_sdks_bedrock_client(aws_extra):
    import anthropic

    env = {"AWS_REGION": "eu-west-1", "AWS_BEARER_TOKEN_BEDROCK": "bedrock-token"}
    hunk = create_provider("bedrock:anthropic.claude-haiku-4-5-20251001-v1:0", env=env)
    assert hunk.provider_name == "bedrock"
    assert hunk.model == "anthropic.claude-haiku-4-5-20251001-v1:0"
    client = hunk._client
    assert isinstance(client, anthropic.AsyncAnthropicBedrock)
    assert client.aws_region == "eu-west-1"
    assert client.max_retries == 0
    assert str(client.base_url).startswith("https://bedrock-runtime.eu-west-1.amazonaws.com")


def test_bedrock_without_a_region_says_to_set_one(aws_extra):
    with pytest.raises(ProviderConfigError, match="set AWS_REGION"):
        create_provider("bedrock:anthropic.claude-haiku-4-5-20251001-v1:0", env={})
