"""hunk.settings — what shapes a session before it starts: configuration layers and their schema,
the prompts/ templates (every word the model sees), packaged resources, and project instructions
(AGENTS.md, CLAUDE.md).

May import: hunk.values. Never: anything above (workspace, providers, tools, policy, journal,
extensions, agent, front ends, cli).
"""
