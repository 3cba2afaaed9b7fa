"""A real MCP server, written with the `mcp` SDK, that the tests start over stdio or HTTP.

    python tests/extensions/mcp/server.py [--http PORT] [--tools N] [--name NAME]

Its tools cover what a client must handle: text, images, resource links, structured content,
an error result, a slow call, a crash in the middle of a call, and a write into the folder the
server runs in (the repository).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import sys
from pathlib import Path

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.utilities.types import Image
from mcp.types import ResourceLink

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def build(name: str, extra_tools: int) -> MCPServer:
    server = MCPServer(name, instructions="A test server.")

    @server.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        print(f"add called with {a} and {b}", file=sys.stderr, flush=True)
        return a + b

    @server.tool()
    def echo(text: str) -> str:
        """Say the text back."""
        return text

    @server.tool()
    def picture() -> Image:
        """Return a one-pixel PNG."""
        return Image(data=PNG, format="png")

    @server.tool()
    def link() -> ResourceLink:
        """Point at a resource."""
        return ResourceLink(type="resource_link", uri="note://readme", name="readme", description="The readme")

    @server.tool()
    def fail(reason: str) -> str:
        """Always fails."""
        raise ValueError(f"failed on purpose: {reason}")

    @server.tool()
    async def slow(seconds: float) -> str:
        """Take a while."""
        await asyncio.sleep(seconds)
        return "finally"

    @server.tool()
    def crash() -> str:
        """Die in the middle of the call."""
        print("about to crash: segfault simulated", file=sys.stderr, flush=True)
        os._exit(3)

    @server.tool()
    def write_note(path: str, text: str) -> str:
        """Write a file in the folder the server runs in."""
        Path(path).write_text(text)
        return f"wrote {path}"

    @server.tool()
    def starts() -> str:
        """How many times this server was started (counted in a file beside the log)."""
        return os.environ.get("MCP_TEST_STARTS", "?")

    for i in range(extra_tools):
        def tool(item: str, count: int = 1, i: int = i) -> str:
            return f"tool {i}: {item} x{count}"

        server.add_tool(
            tool,
            name=f"operation_{i:02d}",
            description=f"Run operation number {i} on an item of the tracker and report what happened. "
            "Use it when the user asks for that operation; the item is an identifier like ABC-123.",
        )

    @server.resource("note://readme", mime_type="text/plain")
    def readme() -> str:
        return "The readme says hello."

    @server.prompt()
    def review(path: str) -> str:
        """Ask for a review of a file."""
        return f"Please review {path} carefully."

    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--http", type=int)
    parser.add_argument("--tools", type=int, default=0)
    parser.add_argument("--name", default="testserver")
    args = parser.parse_args()
    server = build(args.name, args.tools)
    if args.http:
        server.settings.log_level = "WARNING"
        server.run("streamable-http", host="127.0.0.1", port=args.http)
    else:
        server.run()


if __name__ == "__main__":
    main()
