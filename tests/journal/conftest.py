"""Agents built the way the CLI builds them (runtime.build_agent, the real SDK provider) against
the fake server, in a hermetic HOME, on real git repositories."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from hunk.agent.loop import Agent
from hunk.agent.approval import PolicyApprover
from hunk.settings.config import Config, LimitsConfig
from hunk.values.events import Event
from hunk.agent.assemble import RunSpec, build_agent, make_provider
from hunk.journal.journal import Journal
from hunk.values.conversation import Message
from tests.cli.test_run_protocols import PROTOCOLS
from tests.fakeserver import FakeProvider
from tests.gitrepo import hunk_env, make_repo

APP = "def greet(name):\n    return 'Hello, ' + name\n"


@pytest.fixture(autouse=True)
def hermetic_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same HOME, XDG dirs and key-free environment a `hunk` subprocess gets."""
    home = tmp_path / "home"
    for name, value in hunk_env(home).items():
        monkeypatch.setenv(name, value)
    return home


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"app.py": APP})


@dataclass
class Built:
    agent: Agent
    events: list[Event] = field(default_factory=list)


def build(
    root: Path,
    fake: FakeProvider,
    protocol: str = "anthropic",
    *,
    journal: Journal | None = None,
    history: list[Message] | None = None,
    compact_at: float = 0.8,
    model: str | None = None,
) -> Built:
    default_model, env_for = PROTOCOLS[protocol]
    env = env_for(fake.url)
    config = replace(Config(model=model or default_model), limits=LimitsConfig(context_compact_at=compact_at))
    spec = RunSpec(root=root, config=config, mode="auto", journal=journal, history=list(history or []), env=env)
    events: list[Event] = []
    agent = build_agent(spec, PolicyApprover(), events.append, make_provider(config, env))
    return Built(agent, events)
