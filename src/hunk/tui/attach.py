"""`@path` attachments: repository files turned into message parts (blocking; run in a thread)."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from hunk.settings import prompts
from hunk.values.conversation import ImagePart, Part, TextPart
from hunk.workspace.paths import PathRefused, resolve_in_repo

MAX_TEXT_BYTES = 100_000
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def load_attachments(root: Path, paths: list[str]) -> tuple[tuple[Part, ...], list[str]]:
    """The parts to send, and one line per file that could not be attached."""
    from hunk.tools.text import NotText, decode  # the tools' package: not before the first paint

    parts: list[Part] = []
    problems: list[str] = []
    for path in paths:
        try:
            _, target = resolve_in_repo(root, path)
        except PathRefused:
            problems.append(f"@{path} is outside the repository")
            continue
        try:
            data = target.read_bytes()
        except OSError as error:
            problems.append(f"@{path}: {error.strerror or error}")
            continue
        media_type = mimetypes.guess_type(path)[0] or ""
        if media_type in IMAGE_TYPES:
            parts.append(ImagePart(media_type, base64.b64encode(data).decode("ascii")))
            continue
        try:
            whole = decode(data).text  # the tools' reading: byte-order marks, coding lines, binary
        except NotText:
            problems.append(f"@{path} is a binary file")
            continue
        shown = whole[:MAX_TEXT_BYTES]
        if len(whole) > MAX_TEXT_BYTES:
            text = prompts.message(
                "tui.attachment_truncated", path=path, content=shown, shown=MAX_TEXT_BYTES, total=len(data)
            )
        else:
            text = prompts.message("tui.attachment", path=path, content=shown)
        parts.append(TextPart(text))
    return tuple(parts), problems
