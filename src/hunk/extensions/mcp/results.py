"""An MCP result in hunk's terms: text for the model, images as image parts, resource links and
embedded resources described, structured content shown as JSON when the server sent no text.

Content blocks are read by their `type` field, so this module needs no SDK import.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from hunk.settings.prompts import message
from hunk.values.conversation import ImagePart, TextPart

_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


@dataclass(frozen=True)
class Converted:
    text: str
    images: tuple[ImagePart, ...] = ()
    is_error: bool = False


def _size(data: str) -> int:
    try:
        return len(base64.b64decode(data, validate=False))
    except ValueError:
        return len(data)


def _resource(contents: Any, images: list[ImagePart]) -> str:
    uri = contents.uri
    mime = contents.mime_type or "application/octet-stream"
    text = getattr(contents, "text", None)
    if text is not None:
        return f"<resource uri=\"{uri}\">\n{text}\n</resource>"
    if mime in _IMAGE_TYPES:
        images.append(ImagePart(mime, contents.blob))
        return message("mcp.image", media_type=mime)
    return message("mcp.binary_resource", uri=uri, media_type=mime, size=_size(contents.blob))


def block_text(block: Any, server: str, images: list[ImagePart]) -> str:
    kind = getattr(block, "type", "")
    if kind == "text":
        return block.text
    if kind == "image":
        if block.mime_type in _IMAGE_TYPES:
            images.append(ImagePart(block.mime_type, block.data))
        return message("mcp.image", media_type=block.mime_type)
    if kind == "audio":
        return message("mcp.audio", media_type=block.mime_type, size=_size(block.data))
    if kind == "resource_link":
        name = f" ({block.name})" if getattr(block, "name", None) else ""
        description = f": {block.description}" if getattr(block, "description", None) else ""
        return message("mcp.resource_link", uri=block.uri, name=name, description=description, server=server)
    if kind == "resource":
        return _resource(block.resource, images)
    return f"[{kind or 'unknown'} content]"


def cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + "\n" + message("mcp.truncated", dropped=len(text) - limit)


def convert_tool_result(result: Any, server: str, limit: int) -> Converted:
    """A `CallToolResult` as text (capped at `limit` characters), images and the error flag."""
    images: list[ImagePart] = []
    texts = [block_text(block, server, images) for block in result.content]
    structured = getattr(result, "structured_content", None)
    has_text = any(getattr(b, "type", "") == "text" for b in result.content)
    if structured is not None and not has_text:
        texts.append(message("mcp.structured", json=json.dumps(structured, indent=1, ensure_ascii=False)))
    text = "\n".join(t for t in texts if t) or message("mcp.empty")
    return Converted(cap(text, limit), tuple(images), bool(result.is_error))


def resource_parts(result: Any, server: str, limit: int) -> tuple[TextPart | ImagePart, ...]:
    """A `ReadResourceResult` as parts for a user message (the `@server:uri` attachment)."""
    images: list[ImagePart] = []
    texts = [_resource(contents, images) for contents in result.contents]
    text = cap("\n".join(texts), limit)
    return (TextPart(f"[{server}]\n{text}"), *images)


def prompt_text(result: Any, server: str) -> str:
    """A `GetPromptResult` as the text of one user prompt (the `/mcp__server__prompt` command)."""
    images: list[ImagePart] = []
    return "\n\n".join(block_text(m.content, server, images) for m in result.messages)
