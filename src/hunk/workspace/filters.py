"""Line-end conversion and filters: with core.autocrlf, `text`/`eol` attributes or a filter
(LFS, ident), a file's bytes on disk are not its blob's bytes. Contents are compared in blob form
and written back in disk form."""

from __future__ import annotations

import os
from pathlib import Path

from hunk.workspace.git import read_blobs, run_git, store_blob


_CONVERTING_ATTRS = ("text", "eol", "filter", "ident", "working-tree-encoding")


def converted_paths(root: Path, paths: list[str]) -> set[str]:
    """The paths whose disk form may differ from their blob form."""
    if not paths:
        return set()
    autocrlf = run_git(root, "config", "--get", "core.autocrlf", check=False).strip().lower()
    crlf_default = autocrlf in (b"true", b"input")
    out = run_git(
        root,
        "check-attr",
        "-z",
        "--stdin",
        *_CONVERTING_ATTRS,
        input=b"".join(os.fsencode(p) + b"\0" for p in paths),
    ).split(b"\0")
    attrs: dict[str, dict[str, str]] = {}
    for i in range(0, len(out) - 2, 3):
        attrs.setdefault(os.fsdecode(out[i]), {})[out[i + 1].decode()] = out[i + 2].decode()
    converted = set()
    for path, values in attrs.items():
        text = values.get("text", "unspecified")
        specified = [
            name for name, value in values.items() if value not in ("unspecified", "unset")
        ]
        if text == "unset":
            specified = [name for name in specified if name in ("filter", "ident")]
        if specified or (crlf_default and text != "unset"):
            converted.add(path)
    return converted


def to_blob_form(root: Path, path: str, content: bytes | None) -> bytes | None:
    """`content` as git would store it for `path` (clean filters, CRLF → LF)."""
    if content is None:
        return None
    sha = run_git(root, "hash-object", "-w", "--stdin", f"--path={path}", input=content)
    return read_blobs(root, [sha.decode().strip()])[sha.decode().strip()]


def to_disk_form(root: Path, path: str, content: bytes | None) -> bytes | None:
    """Blob `content` as a checkout of `path` would write it (smudge filters, LF → CRLF)."""
    if content is None:
        return None
    common = run_git(root, "rev-parse", "--path-format=absolute", "--git-common-dir")
    sha = store_blob(Path(common.decode().strip()), content)
    return run_git(root, "cat-file", "--filters", f"--path={path}", sha)
