"""A file change as a git-style unified diff, split into hunks; and back again.

Pure: no I/O. Content is compared as bytes split after each b"\\n", so CRLF, a missing final
newline and non-UTF-8 bytes survive exactly. Text for people is decoded with surrogateescape,
which is lossless: `line.encode("utf-8", "surrogateescape")` gives the original bytes back.

`DiffHunk.lines` carry their prefix (' ', '+', '-', or '\\' for "\\ No newline at end of file")
and no "\\n" (a CRLF line keeps its "\\r"). Binary files, symlinks and pure mode changes have no
hunks and are decided whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.diffs import DiffHunk, FileDiff
from hunk.workspace.changeset import FileChange
from hunk.workspace.filetypes import REGULAR, SYMLINK, is_line_oriented

NO_NEWLINE = "\\ No newline at end of file"


def split_lines(data: bytes) -> list[bytes]:
    """Lines each ending with b"\\n", except perhaps the last."""
    return data.splitlines(keepends=True) if b"\r" not in data else _split_lf(data)


def _split_lf(data: bytes) -> list[bytes]:
    # bytes.splitlines also splits on a lone "\r"; a CRLF line must stay one line.
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _decode(line: bytes) -> str:
    return line.decode("utf-8", "surrogateescape")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _range(start: int, length: int) -> str:
    # Unified diff convention: an empty range names the line before it.
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _section(lines: Sequence[bytes], start: int) -> str:
    """git's default funcname: the nearest line above the hunk starting with a letter, _ or $."""
    for line in reversed(lines[max(0, start - 200) : start]):
        if line[:1].isalpha() or line[:1] in (b"_", b"$"):
            return _decode(line).rstrip("\r\n")[:80]
    return ""


Opcode = tuple[str, int, int, int, int]  # difflib's (tag, i1, i2, j1, j2)
_JUNK_FROM = 2000  # lines; above this difflib may skip very common lines as anchors (speed)


def opcodes(old: Sequence[bytes], new: Sequence[bytes]) -> list[Opcode]:
    """difflib's opcodes for two line lists, after trimming the common head and tail (cheap,
    and it keeps a small edit in a large file fast)."""
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    middle_old, middle_new = old[head : len(old) - tail], new[head : len(new) - tail]
    codes: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    if middle_old or middle_new:
        matcher = SequenceMatcher(
            None, middle_old, middle_new, autojunk=len(middle_new) > _JUNK_FROM
        )
        codes += [
            (tag, i1 + head, i2 + head, j1 + head, j2 + head)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
    if tail:
        codes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return codes


def _grouped(codes: list[Opcode], context: int) -> list[list[Opcode]]:
    """The changes, grouped as hunks: changes at most 2 × context equal lines apart share one."""
    groups: list[list[Opcode]] = []
    for code in codes:
        if code[0] == "equal":
            continue
        if groups and code[1] - groups[-1][-1][2] <= 2 * context:
            groups[-1].append(code)
        else:
            groups.append([code])
    return groups


def _hunks(old: list[bytes], new: list[bytes], context: int) -> list[DiffHunk]:
    hunks: list[DiffHunk] = []
    for group in _grouped(opcodes(old, new), context):
        i1 = max(0, group[0][1] - context)
        j1 = group[0][3] - (group[0][1] - i1)
        i2 = min(len(old), group[-1][2] + context)
        j2 = group[-1][4] + (i2 - group[-1][2])
        body: list[str] = []
        position = i1
        for _, a1, a2, b1, b2 in group:
            _emit(body, " ", old, position, a1)
            _emit(body, "-", old, a1, a2)
            _emit(body, "+", new, b1, b2)
            position = a2
        _emit(body, " ", old, position, i2)
        header = f"@@ -{_range(i1, i2 - i1)} +{_range(j1, j2 - j1)} @@"
        section = _section(old, i1)
        hunks.append(
            DiffHunk(
                index=len(hunks),
                header=f"{header} {section}" if section else header,
                source_start=i1 + 1 if i2 > i1 else i1,
                source_length=i2 - i1,
                target_start=j1 + 1 if j2 > j1 else j1,
                target_length=j2 - j1,
                lines=tuple(body),
            )
        )
    return hunks


def _emit(body: list[str], prefix: str, lines: list[bytes], start: int, end: int) -> None:
    for line in lines[start:end]:
        if line.endswith(b"\n"):
            body.append(prefix + _decode(line[:-1]))
        else:
            body.append(prefix + _decode(line))
            body.append(NO_NEWLINE)


def _header(change: FileChange, old_mode: int | None, new_mode: int | None) -> list[str]:
    path = change.path
    out = [f"diff --git a/{path} b/{path}"]
    if change.before is None:
        out.append(f"new file mode {new_mode or REGULAR:06o}")
    elif change.after is None:
        out.append(f"deleted file mode {old_mode or REGULAR:06o}")
    elif old_mode and new_mode and old_mode != new_mode:
        out += [f"old mode {old_mode:06o}", f"new mode {new_mode:06o}"]
    return out


def file_diff(change: FileChange, context: int = 3) -> FileDiff:
    """The change as a git-style unified diff and its hunks."""
    old_mode, new_mode = change.before_mode, change.after_mode
    if change.before is not None and old_mode is None:
        old_mode = REGULAR
    if change.after is not None and new_mode is None:
        new_mode = old_mode or REGULAR
    text = _header(change, old_mode, new_mode)
    binary = not (is_line_oriented(change.before) and is_line_oriented(change.after))
    old_name = "/dev/null" if change.before is None else f"a/{change.path}"
    new_name = "/dev/null" if change.after is None else f"b/{change.path}"
    hunks: list[DiffHunk] = []
    if binary:
        text.append(f"Binary files {old_name} and {new_name} differ")
    elif change.before != change.after:
        hunks = _hunks(split_lines(change.before or b""), split_lines(change.after or b""), context)
        if hunks:
            text += [f"--- {old_name}", f"+++ {new_name}"]
            for hunk in hunks:
                text.append(hunk.header)
                text.extend(hunk.lines)
    whole = binary or SYMLINK in (old_mode, new_mode)
    return FileDiff(
        path=change.path,
        status=change.status,
        text="\n".join(text) + "\n",
        hunks=() if whole else tuple(hunks),
        binary=binary,
        old_mode=old_mode,
        new_mode=new_mode,
    )


def _dominant_eol(lines: Sequence[bytes]) -> bytes:
    crlf = sum(1 for line in lines if line.endswith(b"\r\n"))
    return b"\r\n" if crlf * 2 > len(lines) else b"\n"


class EditedHunkError(ValueError):
    """An edited hunk changed the lines it was meant to replace (context or removed lines)."""


def _edited_target(
    hunk: DiffHunk, edited: Sequence[str], source: list[bytes], eol: bytes
) -> list[bytes]:
    """The target lines of an edited hunk. Context lines keep their original bytes; an added
    line without its own "\r" gets the file's dominant line end."""
    out: list[bytes] = []
    taken = 0
    last_added = False
    for line in edited:
        prefix, content = line[:1], _encode(line[1:])
        if prefix == "\\":
            if last_added and out and out[-1].endswith(b"\n"):
                out[-1] = out[-1][:-1]
            continue
        last_added = prefix == "+"
        if last_added:
            out.append(content + (b"\n" if content.endswith(b"\r") else eol))
            continue
        if prefix not in (" ", "-") or taken >= len(source):
            raise EditedHunkError(f"edited hunk {hunk.index}: unexpected line {line!r}")
        original = source[taken]
        if original.rstrip(b"\n") != content:
            raise EditedHunkError(f"edited hunk {hunk.index} changes the line {line!r}")
        taken += 1
        if prefix == " ":
            out.append(original)
    if taken != len(source):
        raise EditedHunkError(f"edited hunk {hunk.index} drops lines it was meant to replace")
    return out


def _replacement(
    hunk: DiffHunk, verdict: HunkVerdict, old: list[bytes], new: list[bytes]
) -> list[bytes]:
    source = old[_offset(hunk.source_start, hunk.source_length) :][: hunk.source_length]
    if not verdict.accepted:
        return source
    if verdict.edited is None:
        return new[_offset(hunk.target_start, hunk.target_length) :][: hunk.target_length]
    return _edited_target(hunk, verdict.edited, source, _dominant_eol(old + new))


def _offset(start: int, length: int) -> int:
    return start - 1 if length else start


def apply_verdicts(change: FileChange, diff: FileDiff, verdict: FileVerdict) -> FileChange:
    """`change` restricted to the accepted hunks: after = before + accepted hunks only.

    A whole-file diff (binary, symlink, mode only, empty add) takes its single verdict. A mode
    change goes with the file when any hunk is accepted. Raises ValueError when the verdict
    count does not match the diff, `EditedHunkError` for an edited hunk that alters context.
    """
    if len(verdict.hunks) != diff.decision_count:
        raise ValueError(
            f"{diff.path}: {len(verdict.hunks)} verdicts for {diff.decision_count} decisions"
        )
    if not diff.hunks:
        return change if verdict.hunks[0].accepted else _rejected(change)
    old = split_lines(change.before or b"")
    new = split_lines(change.after or b"")
    pieces: list[bytes] = []
    position = 0
    for hunk, hunk_verdict in zip(diff.hunks, verdict.hunks, strict=True):
        start = _offset(hunk.source_start, hunk.source_length)
        pieces.extend(old[position:start])
        pieces.extend(_replacement(hunk, hunk_verdict, old, new))
        position = start + hunk.source_length
    pieces.extend(old[position:])
    if verdict.rejected_all:
        return _rejected(change)
    content = b"".join(pieces)
    if (
        change.after is None
        and verdict.accepted_all
        and all(v.edited is None for v in verdict.hunks)
    ):
        return change  # an accepted delete
    mode = change.after_mode if change.after_mode is not None else change.before_mode
    return FileChange(change.path, change.before, content, change.before_mode, mode, change.source)


def _rejected(change: FileChange) -> FileChange:
    return FileChange(
        change.path,
        change.before,
        change.before,
        change.before_mode,
        change.before_mode,
        change.source,
    )


def diffstat(diffs: Iterable[FileDiff], width: int = 40) -> str:
    """git's --stat: " path | 12 +++--" per file and a summary line."""
    rows = [(d.path, d.added, d.removed, d.binary) for d in diffs]
    if not rows:
        return " 0 files changed\n"
    name_width = max(len(path) for path, *_ in rows)
    most = max(added + removed for _, added, removed, _ in rows) or 1
    count_width = len(str(most))
    scale = min(1.0, width / most)
    out = []
    for path, added, removed, binary in rows:
        if binary:
            out.append(f" {path:<{name_width}} | Bin")
            continue
        plus = round(added * scale) or (1 if added else 0)
        minus = round(removed * scale) or (1 if removed else 0)
        graph = "+" * plus + "-" * minus
        out.append(f" {path:<{name_width}} | {added + removed:>{count_width}} {graph}".rstrip())
    files = len(rows)
    summary = f" {files} file{'s' if files != 1 else ''} changed"
    inserted = sum(r[1] for r in rows)
    deleted = sum(r[2] for r in rows)
    if inserted:
        summary += f", {inserted} insertion{'s' if inserted != 1 else ''}(+)"
    if deleted:
        summary += f", {deleted} deletion{'s' if deleted != 1 else ''}(-)"
    return "\n".join(out + [summary]) + "\n"
