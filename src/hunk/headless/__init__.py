"""hunk.headless — the plain front end of `hunk run`: the printer, the JSONL event writer and the
terminal review (`git add -p` style questions on /dev/tty).

May import: hunk.agent and everything below it. Never: hunk.tui, hunk.cli, textual, rich.
"""
