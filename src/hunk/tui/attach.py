"""`@path` attachments: repository files turned into message parts (blocking; run in a thread)."""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

from hunk.settings import prompts
from hunk.values.conversation import ImagePart, Part, TextPart

MAX_TEXT_BYTES = 100_000
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def load_attachments(root: Path, paths: list[str]) -> tuple[tuple[Part, ...], list[str]]:
    """The parts to send, and one line per file that could not be attached."""
    parts: list[Part] = []
    problems: list[str] = []
    base = root.resolve()
    for path in paths:
        target = (root / path).resolve()
        if not target.is_relative_to(base) or ".git" in target.relative_to(base).parts:
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
        if b"\0" in data[:8192]:
            problems.append(f"@{path} is a binary file")
            continue
        shown = data[:MAX_TEXT_BYTES].decode("utf-8", "replace")
        if len(data) > MAX_TEXT_BYTES:
            text = prompts.message(
                "tui.attachment_truncated", path=path, content=shown, shown=MAX_TEXT_BYTES, total=len(data)
            )
        else:
            text = prompts.message("tui.attachment", path=path, content=shown)
        parts.append(TextPart(text))
    return tuple(parts), problems
