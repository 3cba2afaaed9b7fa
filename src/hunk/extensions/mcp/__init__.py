"""hunk as an MCP client: servers from hunk's TOML and `.mcp.json`, started in the background,
their tools offered to the model as `mcp__SERVER__TOOL`, their resources and prompts to the person.

May import: hunk.values, hunk.settings, hunk.tools, hunk.extensions.places; the `mcp` SDK (and
its httpx2) lazily: nothing here imports it at import time, a connection does when it starts.
Never: hunk.agent, hunk.tui, hunk.headless, hunk.cli.
"""

from hunk.extensions.mcp.config import ServerConfig, discover
from hunk.extensions.mcp.manager import McpManager, ServerStatus, mcp_servers

__all__ = ["McpManager", "ServerConfig", "ServerStatus", "discover", "mcp_servers"]
