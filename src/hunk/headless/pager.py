"""A long hunk in `hunk run`'s terminal review, a screenful at a time (as git's pager shows a
diff): the first page before the question, the next on Enter. A line over 2,000 characters is
shown as the part around its change, between markers that count what is left out."""

from __future__ import annotations

import os
from typing import TextIO

from hunk.values.diff_text import HunkText

VIEW_KEY = "o"


def terminal_size(out: TextIO) -> tuple[int, int]:
    """Columns and rows of the terminal `out` writes to; 80×24 when it is not one."""
    try:
        size = os.get_terminal_size(out.fileno())
    except (AttributeError, OSError, ValueError):
        return 80, 24
    return size.columns or 80, size.lines or 24


class HunkPages:
    """The printable lines of one hunk, handed out a screenful at a time."""

    def __init__(self, lines: tuple[str, ...], header: str, columns: int, rows: int) -> None:
        self.text = HunkText(lines, header)
        self.columns = max(20, columns)
        self.rows = max(5, rows - 3)  # room for the header of the next page and the question
        self.shown = 0

    @property
    def left(self) -> int:
        """Lines not shown yet."""
        return len(self.text) - self.shown

    def next_page(self) -> list[str]:
        """The next lines that fit on a screen (a long line counts the rows it wraps to)."""
        page: list[str] = []
        used = 0
        while self.shown < len(self.text):
            line = self.printable(self.shown)
            rows = max(1, -(-len(line) // self.columns))
            if page and used + rows > self.rows:
                break
            page.append(line)
            used += rows
            self.shown += 1
        return page

    def printable(self, index: int) -> str:
        line = self.text.lines[index]
        fold = self.text.fold(index)
        if fold is None:
            return line
        shown = line[1 + fold.start : 1 + fold.end]
        before = f"[… {fold.hidden_before:,} earlier characters] " if fold.hidden_before else ""
        after = f" [… {fold.hidden_after:,} more characters — {VIEW_KEY} opens the whole hunk]" if fold.hidden_after else ""
        return line[:1] + before + shown + after
