"""Where edit_file's `old_string` is in a file, and what text replaces it. Pure functions.

First the exact text. When it is absent, looser readings are tried in order, each one adding to
the last: line endings (CRLF vs LF), trailing blanks per line, curly vs straight quotes, and a
uniform indentation shift. A looser reading is used only when it finds exactly one place.

When a loose reading is used, lines the model did not change (equal in `old_string` and
`new_string`) keep the file's own bytes (its trailing blanks, its quotes), and with an
indentation shift the new lines are re-indented by the same shift.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_TRAILING = re.compile(r"[ \t]+(?=\r?\n|\Z)")
WAYS: tuple[str, ...] = ("exact", "line_endings", "trailing_whitespace", "quotes", "indentation")
_LINE_ENDINGS, _TRAILING_WS, _QUOTE_STYLE = 1, 2, 3


class EditProblem(Exception):
    """Why the edit cannot be made: `key` names a `tools.edit_*` message, `values` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Edited:
    text: str
    way: str  # one of WAYS
    count: int  # places replaced


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _with_endings(text: str, crlf: bool) -> str:
    text = text.replace("\r\n", "\n")
    return text.replace("\n", "\r\n") if crlf else text


def _normalise(text: str, level: int) -> tuple[str, list[int]]:
    """The text as seen at `level`, and for each of its characters the index in `text`."""
    drop = bytearray(len(text))
    if level >= _LINE_ENDINGS:
        for found in re.finditer("\r\n", text):
            drop[found.start()] = 1
    if level >= _TRAILING_WS:
        for found in _TRAILING.finditer(text):
            drop[found.start() : found.end()] = b"\x01" * (found.end() - found.start())
    index = [i for i in range(len(text)) if not drop[i]]
    seen = "".join(text[i] for i in index)
    if level >= _QUOTE_STYLE:
        seen = seen.translate(_QUOTES)
    return seen, index


def _find_all(haystack: str, needle: str) -> list[int]:
    found, start = [], haystack.find(needle)
    while start >= 0:
        found.append(start)
        start = haystack.find(needle, start + len(needle))
    return found


def _splits_crlf(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start + 1] == "\r\n" or text[end - 1 : end + 1] == "\r\n"


def _keep_unchanged(region: str, old_seen: list[str], new: str, level: int, crlf: bool) -> str:
    """`new`, except that lines equal in old and new take the file's version from `region`."""
    region_lines = region.replace("\r\n", "\n").split("\n")
    new_lines = new.replace("\r\n", "\n").split("\n")
    if len(region_lines) != len(old_seen):
        return _with_endings(new, crlf)
    new_seen = [_normalise(line, level)[0] for line in new_lines]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_seen, new_seen, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out += region_lines[i1:i2] if tag == "equal" else new_lines[j1:j2]
    return _with_endings("\n".join(out), crlf)


def _loose(text: str, old: str, new: str, level: int, crlf: bool) -> tuple[str, int] | list[int]:
    """One loose match → (edited text, 1); otherwise the lines of the places found (maybe none)."""
    seen, index = _normalise(text, level)
    old_seen = _normalise(old, level)[0]
    places = _find_all(seen, old_seen) if old_seen else []
    if len(places) != 1:
        return [_line_of(text, index[p]) for p in places]
    start, end = index[places[0]], index[places[0] + len(old_seen) - 1] + 1
    if text[start - 1 : start + 1] == "\r\n":
        start -= 1  # never split a CRLF pair
    rest = re.match(r"[ \t]*", text[end:])
    if rest and text[end + rest.end() : end + rest.end() + 1] in ("", "\n", "\r"):
        end += rest.end()  # take the file's trailing blanks along with the last line
    replacement = _keep_unchanged(text[start:end], old_seen.split("\n"), new, level, crlf)
    return text[:start] + replacement + text[end:], 1


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _shifted(text: str, old: str, new: str, crlf: bool) -> tuple[str, int] | list[int]:
    """Match whole lines whose indentation differs from `old_string`'s by one uniform prefix."""
    old_lines = _normalise(old, _QUOTE_STYLE)[0].split("\n")
    ends_line = old_lines[-1] == "" and len(old_lines) > 1
    if ends_line:
        old_lines.pop()
    solid = [line for line in old_lines if line.strip()]
    if not solid:
        return []
    common = os.path.commonprefix([_indent(line) for line in solid])
    dedented = [line[len(common) :] if line.strip() else "" for line in old_lines]
    first = next(k for k, line in enumerate(dedented) if line)
    file_lines = text.split("\n")
    seen_lines = [_normalise(line.removesuffix("\r"), _QUOTE_STYLE)[0] for line in file_lines]
    places: list[tuple[int, str]] = []
    for top in range(len(seen_lines) - len(dedented) + 1):
        anchor = seen_lines[top + first]
        if not anchor.endswith(dedented[first]):
            continue
        prefix = anchor[: len(anchor) - len(dedented[first])]
        if prefix.strip(" \t"):
            continue
        window = seen_lines[top : top + len(dedented)]
        if all(got == (prefix + want if want else "") or (not want and not got.strip()) for got, want in zip(window, dedented)):
            places.append((top, prefix))
    if len(places) != 1:
        return [top + 1 for top, _ in places]
    top, prefix = places[0]
    start = sum(len(line) + 1 for line in file_lines[:top])
    last = top + len(dedented) - 1
    end = start + sum(len(line) + 1 for line in file_lines[top:last]) + len(file_lines[last])
    if ends_line and last + 1 < len(file_lines):
        end += 1
    elif file_lines[last].endswith("\r"):
        end -= 1
    new_lines = new.replace("\r\n", "\n").split("\n")
    moved = [prefix + line[len(common) :] if line.startswith(common) and line.strip() else line for line in new_lines]
    old_seen = [prefix + line if line else "" for line in dedented] + ([""] if ends_line else [])
    replacement = _keep_unchanged(text[start:end], old_seen, "\n".join(moved), _QUOTE_STYLE, crlf)
    return text[:start] + replacement + text[end:], 1


def apply_edit(text: str, old: str, new: str, replace_all: bool = False, crlf: bool = False) -> Edited:
    """Replace `old` by `new` in `text` (the decoded file), or raise `EditProblem`."""
    if not old:
        raise EditProblem("edit_empty_old")
    if old == new:
        raise EditProblem("edit_same")
    places = [p for p in _find_all(text, old) if not _splits_crlf(text, p, p + len(old))]
    if len(places) == 1 or (places and replace_all):
        replacement, pieces, cursor = _with_endings(new, crlf), [], 0
        for place in places:
            pieces += [text[cursor:place], replacement]
            cursor = place + len(old)
        return Edited("".join(pieces) + text[cursor:], "exact", len(places))
    if places:
        lines = ", ".join(str(_line_of(text, p)) for p in places[:10])
        raise EditProblem("edit_ambiguous", count=len(places), lines=lines)
    for level, way in enumerate(WAYS[1:], start=1):
        found = _shifted(text, old, new, crlf) if way == "indentation" else _loose(text, old, new, level, crlf)
        if isinstance(found, tuple):
            return Edited(found[0], way, found[1])
        if found:
            lines = ", ".join(str(n) for n in found[:10])
            raise EditProblem("edit_loose_ambiguous", count=len(found), lines=lines)
    raise EditProblem("edit_not_found", closest=closest_lines(text, old))


def closest_lines(text: str, old: str, context: int = 1) -> str:
    """The numbered lines of `text` most like `old` (difflib), with `context` lines around."""
    file_lines = text.replace("\r\n", "\n").split("\n")
    want = old.replace("\r\n", "\n").strip("\n")
    size = max(1, want.count("\n") + 1)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(want)
    scored: list[tuple[float, int]] = []
    for top in range(0, max(1, len(file_lines) - size + 1)):
        matcher.set_seq1("\n".join(file_lines[top : top + size]))
        scored.append((matcher.quick_ratio(), top))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    best_score, best = -1.0, 0
    for _, top in scored[:20]:
        matcher.set_seq1("\n".join(file_lines[top : top + size]))
        if matcher.ratio() > best_score:
            best_score, best = matcher.ratio(), top
    first = max(0, best - context)
    last = min(len(file_lines), best + size + context)
    return "\n".join(f"{n + 1:5d}\t{file_lines[n]}" for n in range(first, last))
