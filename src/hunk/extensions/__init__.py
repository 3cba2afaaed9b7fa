"""hunk.extensions — what a person or a team plugs into hunk: MCP servers, hooks, custom slash
commands and skills.

May import: hunk.values, hunk.settings, hunk.workspace, hunk.tools, hunk.policy, hunk.journal;
the `mcp` SDK lazily. Never: hunk.agent, hunk.tui, hunk.headless, hunk.cli.
Anything a repository's own files would start (a server, a hook) runs only once the person
trusts the repository or approves it.
"""
