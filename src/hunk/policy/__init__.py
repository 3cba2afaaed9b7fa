"""hunk.policy — which commands run, which ask and which never run: the command rules, the danger
classes and the shell-word reading they rest on; and the same for MCP tools, by name glob (tools.py).

May import: hunk.values, hunk.settings, hunk.workspace. Never: hunk.providers, hunk.tools,
hunk.journal (siblings), or anything above (extensions, agent, front ends, cli).
"""
