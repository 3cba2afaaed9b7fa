"""What one sandboxed command may touch: the value every platform's backend reads (a leaf, so
the backends never import the module that picks them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """What one command may touch, in absolute real paths."""

    root: Path  # the repository's working tree
    write_root: bool  # False in read-only mode
    writable: tuple[Path, ...] = ()  # besides the working tree (config `writable`, hunk's scratch)
    protected: tuple[Path, ...] = ()  # inside the working tree, kept read-only (.git)
    network: bool = False
