"""What every test shares: a hermetic HOME (no developer config, keys, state or git identity
leaks in) and the fake provider server."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeserver import FakeProvider


@pytest.fixture(autouse=True)
def hermetic_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")  # beside the test's tmp_path, never inside it
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(home / ".anthropic"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    # temporary folders (hunk's own, and a killed hunk's leftovers) land beside the test's
    tmp = home / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    for name in list(os.environ):
        secret = name.endswith(("_API_KEY", "_BASE_URL", "_AUTH_TOKEN"))
        if secret or name.startswith(("AWS_", "HUNK_")) or (name.startswith("ANTHROPIC_") and name != "ANTHROPIC_CONFIG_DIR"):
            monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as server:
        yield server


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP server on 127.0.0.1 that never answers; `accept()` raises BlockingIOError until
    someone connects."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()
