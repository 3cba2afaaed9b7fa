"""hunk.workspace — the repository on disk and in git: confinement, snapshots, diffs, merges and
the commit engine. The only package that runs `git` (git.py only; GitPython lazily).

May import: hunk.values, hunk.settings. Never: hunk.providers, hunk.tools, hunk.policy,
hunk.journal, hunk.extensions, hunk.agent, hunk.tui, hunk.headless, hunk.cli.
"""
