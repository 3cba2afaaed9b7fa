"""git's diff text (`git show`, `git diff`) read back into FileDiffs, through unidiff: what `/diff`
shows of the session's commits. Commit headers between the patches are skipped."""

from __future__ import annotations

import unidiff

from hunk.values.diffs import DiffHunk, FileDiff


class DiffParseError(ValueError):
    """The text is not a diff unidiff can read (one line says where)."""


def parse_git_diff(text: str) -> list[FileDiff]:
    try:
        patches = unidiff.PatchSet(text)
    except unidiff.UnidiffParseError as error:
        raise DiffParseError(f"cannot read the diff: {error}") from error
    return [_file(patched) for patched in patches]


def _file(patched: unidiff.PatchedFile) -> FileDiff:
    if patched.is_added_file:
        status = "added"
    elif patched.is_removed_file:
        status = "deleted"
    else:
        status = "modified"
    hunks = tuple(_hunk(index, hunk) for index, hunk in enumerate(patched))
    return FileDiff(patched.path, status, str(patched), hunks, binary=patched.is_binary_file)


def _hunk(index: int, hunk: unidiff.Hunk) -> DiffHunk:
    header = f"@@ -{hunk.source_start},{hunk.source_length} +{hunk.target_start},{hunk.target_length} @@"
    if hunk.section_header:
        header += f" {hunk.section_header}"
    lines = tuple(line.line_type + line.value.removesuffix("\n") for line in hunk)
    return DiffHunk(
        index, header, max(0, hunk.source_start - 1), hunk.source_length,
        max(0, hunk.target_start - 1), hunk.target_length, lines,
    )
