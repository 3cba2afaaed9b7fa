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


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    mcp = commands.add_parser("mcp", help="list, add, remove or approve MCP servers")
    actions = mcp.add_subparsers(dest="mcp_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="each server with its state, tools and last error")
    add = actions.add_parser(
        "add", help="add a server: hunk mcp add NAME -- COMMAND [ARGS...], or hunk mcp add NAME --url URL"
    )
    add.add_argument("name")
    add.add_argument("server_command", nargs="*", metavar="COMMAND", help="after --: the command that starts the server, and its arguments")
    add.add_argument("--url", help="a streamable HTTP server's URL")
    add.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="an environment variable for the server")
    add.add_argument("--header", action="append", default=[], metavar="'Name: value'", help="an HTTP header sent to the server")
    add.add_argument("--repo", action="store_true", help="write the repository's .mcp.json instead of your own mcp.json")
    remove = actions.add_parser("remove", help="remove a server you added")
    remove.add_argument("name")
    remove.add_argument("--repo", action="store_true", help="remove it from the repository's .mcp.json")
    approve = actions.add_parser("approve", help="let this repository's server start (asked once per server)")
    approve.add_argument("name")


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
