"""A hunk's lines as a person reads them, for both front ends: line numbers, the old/new pairing
of split view, the changed spans inside a changed line, the fold of a very long line.
(git's diff text is read back into FileDiffs by `hunk.workspace.diff_parse`.)

Everything is computed per line on demand and cached, so a 40,000-line hunk costs nothing until
its lines are shown, and a 6 MB line is only ever compared, never laid out whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from bisect import bisect_right
from itertools import accumulate, groupby


LONG_LINE = 2_000  # characters: a longer line is folded to a window around its change
WINDOW = 1_000  # characters of a folded line that are shown
LEAD = 200  # characters shown before the change of a folded line
WORD_DIFF_MAX = 1_000  # characters: longer pairs get one changed span (prefix/suffix), not words
_CHUNK = 4_096
_HEADER = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")

Span = tuple[int, int]  # character range [start, end) of a line's content (after its mark)
Row = tuple[int | None, int | None]  # split view: (old line index, new line index)


@dataclass(frozen=True)
class Fold:
    """What is shown of a long line: content[start:end]; the rest is counted on marker rows."""

    start: int
    end: int
    length: int

    @property
    def hidden_before(self) -> int:
        return self.start

    @property
    def hidden_after(self) -> int:
        return self.length - self.end


def first_numbers(header: str, old_start: int, new_start: int) -> tuple[int, int]:
    """The first old and new line numbers of a hunk, from its header ("@@ -12,7 +12,9 @@")."""
    match = _HEADER.match(header)
    if match:
        return int(match[1]), int(match[2])
    return old_start + 1, new_start + 1


def split_rows(lines: tuple[str, ...]) -> list[tuple[str | None, str | None]]:
    """Pair old and new lines side by side: context on both, a run of − beside the run of + after it."""
    return [
        (None if old is None else lines[old], None if new is None else lines[new]) for old, new in pair_rows(lines)
    ]


def pair_rows(lines: tuple[str, ...]) -> list[Row]:
    """split_rows by index. A "\\ No newline" line stays beside the line it speaks of."""
    rows: list[Row] = []
    removed: list[int] = []
    added: list[int] = []
    last = " "

    def flush() -> None:
        for index in range(max(len(removed), len(added))):
            rows.append(
                (removed[index] if index < len(removed) else None, added[index] if index < len(added) else None)
            )
        removed.clear()
        added.clear()

    for index, line in enumerate(lines):
        mark = line[:1]
        if mark == "-":
            if added:
                flush()
            removed.append(index)
        elif mark == "+":
            added.append(index)
        elif mark == "\\":
            if last == "-":
                removed.append(index)
            elif last == "+":
                added.append(index)
            else:
                flush()
                rows.append((index, index))
            continue
        else:
            flush()
            rows.append((index, index))
        last = mark
    flush()
    return rows


class HunkText:
    """One hunk's lines, indexed for random access by the view."""

    def __init__(self, lines: tuple[str, ...], header: str, old_start: int = 0, new_start: int = 0) -> None:
        self.lines = lines
        self._old, self._new = first_numbers(header, old_start, new_start)
        marks = self._marks = [line[:1] for line in lines]
        self._on_old = [mark in (" ", "-") for mark in marks]
        self._on_new = [mark in (" ", "+") for mark in marks]
        self._old_seen = list(accumulate(self._on_old))
        self._new_seen = list(accumulate(self._on_new))
        last = max(self._old + (self._old_seen[-1] if lines else 0), self._new + (self._new_seen[-1] if lines else 0))
        self.digits = len(str(max(last, 1)))  # the widest line number of the hunk
        self._spans: dict[int, tuple[Span, ...]] = {}

    def old_number(self, index: int) -> int | None:
        return self._old + self._old_seen[index] - 1 if self._on_old[index] else None

    def new_number(self, index: int) -> int | None:
        return self._new + self._new_seen[index] - 1 if self._on_new[index] else None

    @cached_property
    def rows(self) -> list[Row]:
        return pair_rows(self.lines)

    @cached_property
    def _runs(self) -> tuple[list[int], list[str]]:
        """Where each run of same-mark lines starts, and its mark ("\\" lines join the run before)."""
        starts: list[int] = []
        marks: list[str] = []
        at = 0
        for mark, group in groupby(self._marks):
            if mark == "\\":
                mark = marks[-1] if marks else " "
            if not marks or marks[-1] != mark:
                starts.append(at)
                marks.append(mark)
            at += sum(1 for _ in group)
        return starts, marks

    def partner(self, index: int) -> int | None:
        """The + line beside a − line in split view (and back): what its changed words are
        measured against. Found from the runs, without pairing the whole hunk."""
        starts, marks = self._runs
        run = bisect_right(starts, index) - 1
        end = starts[run + 1] if run + 1 < len(starts) else len(self.lines)
        if marks[run] == "-" and run + 1 < len(marks) and marks[run + 1] == "+":
            other = end + index - starts[run]
            limit = starts[run + 2] if run + 2 < len(starts) else len(self.lines)
        elif marks[run] == "+" and run > 0 and marks[run - 1] == "-":
            other = starts[run - 1] + index - starts[run]
            limit = starts[run]
        else:
            return None
        return other if other < limit else None

    def __len__(self) -> int:
        return len(self.lines)

    def content(self, index: int) -> str:
        return self.lines[index][1:]

    def spans(self, index: int) -> tuple[Span, ...]:
        """The changed characters of a − or + line that has a partner on the other side."""
        if index not in self._spans:
            other = self.partner(index)
            if other is None or self.lines[index][:1] not in "+-":
                self._spans[index] = ()
            else:
                mine, theirs = changed_spans(self.content(index), self.content(other))
                self._spans[index], self._spans[other] = mine, theirs
        return self._spans[index]

    def fold(self, index: int) -> Fold | None:
        """None for a line short enough to show whole; else the window around its change."""
        length = len(self.lines[index]) - 1
        if length <= LONG_LINE:
            return None
        spans = self.spans(index)
        start = max(0, spans[0][0] - LEAD) if spans else 0
        return Fold(start, min(length, start + WINDOW), length)


def common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, comparing in chunks (memcmp speed on 6 MB lines)."""
    limit = min(len(a), len(b))
    at = 0
    while at < limit and a[at : at + _CHUNK] == b[at : at + _CHUNK]:
        at += _CHUNK
    while at < limit and a[at] == b[at]:
        at += 1
    return min(at, limit)


def common_suffix(a: str, b: str, floor: int) -> int:
    """Length of the common suffix that does not reach into the first `floor` characters."""
    limit = min(len(a), len(b)) - floor
    at = 0
    while at + _CHUNK <= limit and a[len(a) - at - _CHUNK : len(a) - at] == b[len(b) - at - _CHUNK : len(b) - at]:
        at += _CHUNK
    while at < limit and a[len(a) - at - 1] == b[len(b) - at - 1]:
        at += 1
    return at


def changed_spans(a: str, b: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """What differs between an old and a new line, as character spans of each.

    Short lines are compared word by word; long ones by common prefix and suffix. Lines with
    little in common get no spans: the whole line is the change, marked by its colour already.
    """
    if len(a) + len(b) > WORD_DIFF_MAX:
        head = common_prefix(a, b)
        tail = common_suffix(a, b, head)
        return ((head, len(a) - tail),) if len(a) - tail > head else (), (
            ((head, len(b) - tail),) if len(b) - tail > head else ()
        )
    return _word_spans(a, b)


@lru_cache(maxsize=4096)
def _word_spans(a: str, b: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    old, new = _TOKENS.findall(a), _TOKENS.findall(b)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.ratio() < 0.3:
        return (), ()
    old_at = _offsets(old)
    new_at = _offsets(new)
    mine: list[Span] = []
    theirs: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            _extend(mine, (old_at[i1], old_at[i2]))
        if j2 > j1:
            _extend(theirs, (new_at[j1], new_at[j2]))
    return tuple(mine), tuple(theirs)


def _offsets(tokens: list[str]) -> list[int]:
    at = [0]
    for token in tokens:
        at.append(at[-1] + len(token))
    return at


def _extend(spans: list[Span], span: Span) -> None:
    if spans and spans[-1][1] == span[0]:
        spans[-1] = (spans[-1][0], span[1])
    else:
        spans.append(span)
