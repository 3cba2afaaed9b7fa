"""Hunks that make the same change, found across a whole changeset so a person decides them once.

When two hunks group
--------------------
A hunk's *change signature* is what it does once its position is set aside:

1. Its change blocks (each run of '-' and '+' lines between context lines) are read in order.
   A block's removed text and added text are split into words: runs of letters, digits and
   '_'; runs of whitespace, kept exactly (indentation and newlines included); any other
   character on its own. A line that ends without a newline ("\\ No newline at end of file")
   ends in a marker word instead, so adding or dropping a final newline is a change of its own.
2. A block's removed lines are diffed against its added lines (difflib, no junk heuristic):
   identical lines are context; lines only removed or only added are a substitution of their
   whole text; a run of lines replaced by another (at most WORDY_RUN lines together) is
   diffed word by word — common start and end set aside, the middle diffed by difflib. A block
   of one line against one line is diffed word by word at once; a block of over LARGE_BLOCK
   lines is one substitution of its whole text (it groups only with the identical block).
   Each stretch that differs is a *substitution*, removed text → added text; either side may be
   empty (text inserted or deleted). Unchanged words around and between them are context.
3. The signature is the hunk's substitutions in order. The same substitution made again right
   after itself counts once, so a hunk that renames a name at three call sites makes the same
   change as one that renames it at one.

Two hunks group exactly when their signatures are equal, word for word, whitespace included.
A group has at least two hunks; its places are listed, so the person sees every one. So:
- the same rename at different call sites (other arguments, other indentation, other files)
  groups;
- an inserted or deleted line groups only with the identical line: lines that differ only by
  local names (`x = load(a)` against `y = load(b)`) do *not* group — a different name is a
  different change, and grouping must never merge hunks whose changes differ;
- `parse_args → parse_argv` never groups with `parse_args → parse_argv2`, nor with a hunk that
  makes the rename *and* anything else;
- a whole-file change (binary, mode, symlink: no hunks) never groups.

Grouping only proposes: every hunk keeps its own verdict, and front ends let the person take any
hunk out of its group. A group's id is a hash of its signature (`g` + 10 hex digits): the same
change has the same id in every file and every event of a turn.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hunk.values.diffs import DiffHunk, FileDiff

Place = tuple[int, int]  # (index of the file in the review, index of the hunk in that file)
Substitution = tuple[str, str]  # (removed text, added text)
Signature = tuple[Substitution, ...]

LARGE_BLOCK = 400  # lines: above this a block is compared whole
WORDY_RUN = 40  # lines: replaced runs up to this size are diffed word by word
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
_NO_NEWLINE = "\x00no-newline\x00"  # a word no text contains


def _words(lines: list[str]) -> list[str]:
    return _WORDS.findall("".join(lines))


def _blocks(hunk: DiffHunk) -> list[tuple[list[str], list[str]]]:
    """(removed lines, added lines) of each change block, each line with its newline (or the marker)."""
    blocks: list[tuple[list[str], list[str]]] = []
    removed: list[str] = []
    added: list[str] = []
    last: list[str] | None = None
    for line in hunk.lines:
        kind = line[:1]
        if kind == "\\":
            if last:
                last[-1] = last[-1][:-1] + _NO_NEWLINE
            continue
        if kind == "-":
            last = removed
        elif kind == "+":
            last = added
        else:
            if removed or added:
                blocks.append((removed, added))
                removed, added = [], []
            last = None
            continue
        last.append(line[1:] + "\n")
    if removed or added:
        blocks.append((removed, added))
    return blocks


def signature(hunk: DiffHunk) -> Signature:
    """The hunk's substitutions in order, context left out, a repeat right after itself once."""
    out: list[Substitution] = []
    for removed, added in _blocks(hunk):
        for step in _block_substitutions(removed, added):
            if not out or out[-1] != step:
                out.append(step)
    return tuple(out)


def _block_substitutions(removed: list[str], added: list[str]) -> list[Substitution]:
    if len(removed) == 1 and len(added) == 1:
        return _substitutions(_words(removed), _words(added))
    if len(removed) + len(added) > LARGE_BLOCK:
        return [("".join(removed), "".join(added))]
    out: list[Substitution] = []
    lines = difflib.SequenceMatcher(None, removed, added, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            continue
        old, new = removed[i1:i2], added[j1:j2]
        if tag == "replace" and len(old) + len(new) <= WORDY_RUN:
            out += _substitutions(_words(old), _words(new))
        else:
            out.append(("".join(old), "".join(new)))
    return out


def _substitutions(old: list[str], new: list[str]) -> list[Substitution]:
    """The differing stretches of two word lists: their common start and end set aside, the
    middle diffed by difflib (a single word against a single word needs no diff)."""
    start, end = 0, 0
    most = min(len(old), len(new))
    while start < most and old[start] == new[start]:
        start += 1
    while end < most - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old, new = old[start : len(old) - end], new[start : len(new) - end]
    if len(old) <= 1 and len(new) <= 1:
        return [("".join(old), "".join(new))]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        ("".join(old[i1:i2]), "".join(new[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def signature_id(sig: Signature) -> str:
    """A short, stable name for a signature: `g` + 10 hex digits."""
    text = "\x01".join(f"{a}\x02{b}" for a, b in sig)
    return "g" + hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=5).hexdigest()


def changed_line(hunk: DiffHunk) -> int:
    """The line of the hunk's first change, in the new file (where a person would look)."""
    lead = next((n for n, line in enumerate(hunk.lines) if line[:1] != " "), 0)
    return hunk.target_start + lead


def hunk_group_ids(diff: FileDiff) -> tuple[str, ...]:
    """The group id of each hunk of `diff` (hunks with equal ids make the same change)."""
    return tuple(signature_id(signature(h)) for h in diff.hunks)


@dataclass(frozen=True)
class HunkGroup:
    """Hunks (two or more) that make the same change."""

    id: str
    change: Signature
    places: tuple[Place, ...]  # in review order: file by file, hunk by hunk

    @property
    def files(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(f for f, _ in self.places))

    def describe(self) -> list[str]:
        """The change in words, one substitution a line: `parse_args → parse_argv`."""
        return [_describe(removed, added) for removed, added in self.change]

    def headline(self) -> str:
        """`the same change in 38 places in 21 files`"""
        places, files = len(self.places), len(self.files)
        return f"the same change in {places} places in {files} file{'s' if files != 1 else ''}"


def _show(text: str) -> str:
    return text.replace(_NO_NEWLINE, "⊘").replace("\n", "⏎").replace("\t", "→") or "∅"


def _describe(removed: str, added: str) -> str:
    if not removed:
        return f"+ {_show(added)}"
    if not added:
        return f"- {_show(removed)}"
    return f"{_show(removed)} → {_show(added)}"


def _shape(hunk: DiffHunk) -> tuple[str, ...]:
    """The hunk's lines with each run of context lines as one " ": all its signature depends on."""
    out: list[str] = []
    for line in hunk.lines:
        if line[:1] == " ":
            if out and out[-1] == " ":
                continue
            line = " "
        out.append(line)
    return tuple(out)


def group_hunks(files: Sequence[FileDiff]) -> tuple[HunkGroup, ...]:
    """The groups of a changeset, in the order their first hunks appear. Hunks that make a
    change no other hunk makes belong to no group."""
    by_change: dict[Signature, list[Place]] = {}
    memo: dict[tuple[str, ...], Signature] = {}  # the same lines changed the same way: once
    for f, diff in enumerate(files):
        for h, hunk in enumerate(diff.hunks):
            shape = _shape(hunk)
            sig = memo.get(shape)
            if sig is None:
                sig = memo[shape] = signature(hunk)
            by_change.setdefault(sig, []).append((f, h))
    return tuple(
        HunkGroup(signature_id(sig), sig, tuple(places)) for sig, places in by_change.items() if sig and len(places) > 1
    )


def ungrouped(files: Sequence[FileDiff], groups: Sequence[HunkGroup]) -> list[Place]:
    """Every decision slot no group holds, in review order (a whole-file change is slot 0)."""
    held = {p for g in groups for p in g.places}
    return [(f, h) for f, diff in enumerate(files) for h in range(diff.decision_count) if (f, h) not in held]


def summary(files: Sequence[FileDiff], groups: Sequence[HunkGroup], undecided: int) -> str:
    """The line that heads a review: `40 files · 123 hunks · 1 group (120 hunks) · 123 undecided`."""
    hunks = sum(d.decision_count for d in files)
    grouped = sum(len(g.places) for g in groups)
    plural = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"  # noqa: E731
    parts = [plural(len(files), "file"), plural(hunks, "hunk")]
    if groups:
        parts.append(f"{plural(len(groups), 'group')} ({plural(grouped, 'hunk')})")
    parts.append(f"{undecided} undecided")
    return " · ".join(parts)
