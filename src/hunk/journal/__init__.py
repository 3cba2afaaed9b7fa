"""hunk.journal — the append-only record of a session (written before acting), and what is
rebuilt from it: resume, undo, recovery after a crash.

May import: hunk.values, hunk.settings, hunk.workspace. Never: hunk.providers, hunk.tools,
hunk.policy (siblings), or anything above (extensions, agent, front ends, cli).
"""
