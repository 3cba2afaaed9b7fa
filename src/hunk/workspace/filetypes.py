"""What kind of file some bytes are: git's file modes, and binary versus text. One rule each, for
the tools, the review, the merge and the TUI's attachments alike."""

from __future__ import annotations

import codecs
import stat

SYMLINK = 0o120000
EXECUTABLE = 0o100755
REGULAR = 0o100644

PROBE = 8000  # bytes looked at, as git does
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def git_mode(st_mode: int) -> int:
    """The git mode of a file from its `os.stat`/`os.lstat` mode."""
    if stat.S_ISLNK(st_mode):
        return SYMLINK
    return EXECUTABLE if st_mode & stat.S_IXUSR else REGULAR


def is_wide_text(data: bytes | None) -> bool:
    """UTF-16 or UTF-32 text, told by its byte-order mark."""
    return data is not None and data.startswith(WIDE_BOMS)


def is_binary(data: bytes | None) -> bool:
    """A NUL byte near the start that no UTF-16/32 byte-order mark explains."""
    return data is not None and b"\x00" in data[:PROBE] and not is_wide_text(data)


def is_line_oriented(data: bytes | None) -> bool:
    """Whether hunks can be cut from these bytes by lines: neither binary nor wide text (whose
    newlines are several bytes). Other content is reviewed and merged as a whole file."""
    return not (is_binary(data) or is_wide_text(data))
