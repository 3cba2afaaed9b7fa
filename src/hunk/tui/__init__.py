"""hunk.tui — the Textual front end: the app, its screens and widgets, and the adapter that
turns the core's events into Textual messages.

May import: hunk.agent and everything below it; textual and rich. Never: hunk.headless, hunk.cli.
"""
