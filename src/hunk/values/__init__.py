"""hunk.values — pure values every layer speaks: the conversation (parts, messages, usage, tool
specs), diffs and the verdicts taken on their hunks, and the core's events.

May import: the standard library only. Never: any other hunk package, any SDK, any UI.
"""
