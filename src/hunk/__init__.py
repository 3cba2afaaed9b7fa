"""hunk: a terminal coding agent that reviews every change hunk by hunk."""

__version__ = "0.1.0"
