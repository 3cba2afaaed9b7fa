"""hunk as an MCP client: servers from hunk's TOML and `.mcp.json`, started in the background,
their tools offered to the model as `mcp__SERVER__TOOL`, their resources and prompts to the person.

Nothing here imports the `mcp` SDK at import time; a connection imports it when it starts.
"""

from hunk.extensions.mcp.config import ServerConfig, discover
from hunk.extensions.mcp.manager import McpManager, ServerStatus

__all__ = ["McpManager", "ServerConfig", "ServerStatus", "discover"]
