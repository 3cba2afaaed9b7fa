"""Path confinement: every path a tool touches is turned into a repo-relative path here.

Decision on absolute paths: an absolute path is accepted only when it lies inside the repository
root (models often echo back absolute paths they saw in command output); it is then treated as
the relative path below the root and goes through every other check. Any other absolute path is
refused. Refused as well: the empty path, NUL bytes, `~` (home expansion is never done), `..`
that climbs above the root, any component named `.git` in any letter case (the repository's own
database, a submodule's or a nested repository's), and symlinks — the final file or any parent
directory, dangling or not — whose target lies outside the root or inside `.git/`.

Lexical `..` is folded before the disk is consulted, so `a/../b` always means `b`, whatever `a`
links to; the returned absolute path never contains `..`.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from hunk.settings.prompts import message


class PathRefused(ValueError):
    """A path the tools will not touch; `message` is written for the model."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refuse(key: str, path: str) -> PathRefused:
    return PathRefused(message(f"tools.{key}", path=path.replace("\x00", "\\0")))


def _is_git_dir_name(part: str) -> bool:
    # `.git` in any case; trailing dots and spaces are dropped by some file systems too.
    return part.rstrip(". ").casefold() == ".git"


def _relative_to_root(root: Path, candidate: PurePosixPath) -> PurePosixPath | None:
    for base in (root, root.resolve()):
        try:
            return candidate.relative_to(PurePosixPath(base.as_posix()))
        except ValueError:
            continue
    return None


def _fold(parts: tuple[str, ...], original: str) -> list[str]:
    folded: list[str] = []
    for part in parts:  # PurePosixPath has dropped "" and "." already
        if part == "..":
            if not folded:
                raise _refuse("path_escapes", original)
            folded.pop()
            continue
        folded.append(part)
    return folded


def resolve_in_repo(root: Path, path: str) -> tuple[str, Path]:
    """Return `(repo-relative posix path, absolute path)` or raise `PathRefused`.

    The root itself comes back as `(".", root)`: listing and searching may name it, reading it
    fails later as a directory.
    """
    if not isinstance(path, str) or not path.strip():
        raise _refuse("path_empty", "")
    if "\x00" in path:
        raise _refuse("path_nul", path)
    if path.startswith("~"):
        raise _refuse("path_home", path)
    candidate = PurePosixPath(path)
    if candidate.is_absolute():
        inside = _relative_to_root(root, candidate)  # as given (perhaps a symlink) or resolved
        if inside is None:
            raise _refuse("path_absolute", path)
        candidate = inside
    root = root.resolve()
    parts = _fold(candidate.parts, path)
    if any(_is_git_dir_name(part) for part in parts):
        raise _refuse("path_git", path)
    relative = "/".join(parts) or "."
    absolute = root.joinpath(*parts)
    _check_links(root, absolute, path)
    return relative, absolute


def _check_links(root: Path, absolute: Path, original: str) -> None:
    """Refuse when following symlinks (dangling ones too) leaves the root or enters `.git`."""
    real = Path(os.path.realpath(absolute))
    try:
        inside = real.relative_to(root)
    except ValueError:
        raise _refuse("path_symlink_out", original) from None
    if any(_is_git_dir_name(part) for part in inside.parts):
        raise _refuse("path_git", original)
