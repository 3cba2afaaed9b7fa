"""Bytes ↔ text for the file tools, keeping what a file was written in.

Order of evidence: a byte-order mark, then a PEP 263 coding line, then strict UTF-8, then
cp1252, then latin-1 (which always succeeds). A NUL byte in the first 8 KiB without a UTF-16/32
BOM means binary. `Decoded.encode` turns edited text back into bytes the same way.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from hunk.workspace.filetypes import is_binary

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


class NotText(Exception):
    """The bytes are binary (or undecodable in their declared encoding)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    bom: bytes = b""

    @property
    def is_utf8(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8" and not self.bom

    def encode(self, text: str) -> bytes:
        """Raises UnicodeEncodeError when `text` holds characters the encoding cannot store."""
        return self.bom + text.encode(self.encoding)


def _declared(data: bytes) -> str | None:
    for line in data.split(b"\n", 2)[:2]:
        found = _CODING.match(line)
        if found:
            try:
                return codecs.lookup(found.group(1).decode("ascii")).name
            except LookupError:
                return None
    return None


def decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(encoding), encoding, bom)
            except UnicodeDecodeError as error:
                raise NotText(str(error)) from None
    if is_binary(data):
        raise NotText("NUL bytes")
    declared = _declared(data)
    candidates = [declared] if declared else []
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    return Decoded(data.decode("latin-1"), "latin-1")


def split_lines(text: str) -> list[str]:
    """Lines with their endings kept, split on "\\n" only (unlike str.splitlines)."""
    lines = text.split("\n")
    ended = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        ended.append(lines[-1])
    return ended


def uses_crlf(text: str) -> bool:
    """True when most line endings are CRLF."""
    crlf = text.count("\r\n")
    return crlf > 0 and crlf >= text.count("\n") - crlf
