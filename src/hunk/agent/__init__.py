"""hunk.agent — the loop and the data's path through it: prompt → provider (loop.py) → tools
(calls.py) → changeset (changes.py) → review (approval.py) → commit (commit.py); plus the
context window (context.py), turn limits (limits.py) and assembly from configuration
(assemble.py).

May import: everything below it (values, settings, workspace, providers, tools, policy, journal,
extensions). Never: hunk.tui, hunk.headless, hunk.cli, textual, rich.
"""
