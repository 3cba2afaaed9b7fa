"""`hunk mcp list|add|remove|approve`: the MCP servers of this repository and of the user."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

from hunk.cli.exits import EXIT_OK, UsageError
from hunk.cli.context import find_root
from hunk.cli.flags import flags
from hunk.settings.config import load_config


def _root() -> Path | None:
    try:
        return find_root()
    except UsageError:
        return None


def run_mcp(args: argparse.Namespace) -> int:
    from hunk.extensions.mcp import admin
    from hunk.extensions.mcp.config import discover
    from hunk.extensions.mcp.trust import approve

    env = dict(os.environ)
    root = _root()
    config = load_config(root, env, flags(args))
    action = args.mcp_action
    if action == "list":
        print(asyncio.run(admin.list_servers(root, config, env)))
    elif action == "add":
        command = list(args.server_command)
        print(admin.add_server(args.name, root=root, env=env, command=command, url=args.url, env_vars=args.env, headers=args.header, repo=args.repo))
    elif action == "remove":
        print(admin.remove_server(args.name, root=root, env=env, config=config, repo=args.repo))
    elif action == "approve":
        server = next((s for s in discover(root, config, env) if s.name == args.name), None)
        if server is None or root is None:
            raise UsageError(f"there is no MCP server named {args.name} here (see `hunk mcp list`)")
        if server.origin != "repo":
            print(f"{args.name} is your own server; it needs no approval")
        else:
            approve(server, root, env)
            print(f"approved {args.name} for {root}: {server.describe()}")
    return EXIT_OK
