"""Real MCP servers (tests/extensions/mcp/server.py, written with the `mcp` SDK), started by the
tests over stdio and over streamable HTTP on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from hunk.settings.config import Config
from hunk.extensions.mcp.config import ServerConfig
from hunk.extensions.mcp.manager import McpManager

SERVER = str(Path(__file__).with_name("server.py"))


def stdio_server(name: str = "t", *, tools: int = 0, timeout_s: float = 10.0, **extra: object) -> ServerConfig:
    args = (SERVER, "--name", name) + (("--tools", str(tools)) if tools else ())
    return ServerConfig(name, command=sys.executable, args=args, timeout_s=timeout_s, **extra)  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def http_url() -> Iterator[str]:
    """A test server over streamable HTTP on a loopback port, stopped after the test."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, SERVER, "--http", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the HTTP test server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


ManagerFactory = Callable[..., McpManager]


@pytest.fixture
async def managers(tmp_path: Path) -> AsyncIterator[ManagerFactory]:
    """Builds managers over the given servers in `tmp_path`; every one is closed after the test."""
    made: list[McpManager] = []

    def make(*servers: ServerConfig, root: Path = tmp_path, config: Config | None = None) -> McpManager:
        manager = McpManager(list(servers), root=root, config=config or Config(), env=dict(os.environ))
        made.append(manager)
        return manager

    yield make
    for manager in made:
        await manager.aclose()


async def started(manager: McpManager) -> McpManager:
    manager.start_background()
    await manager.wait_started()
    return manager
