"""Where the files shipped beside the code live: `prompts/` and the demo.

An installed wheel carries them under `hunk/_data/`; an editable install (or a checkout) finds
them at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # src/hunk, or site-packages/hunk


@cache
def data_dir(name: str) -> Path:
    """`prompts` or `demo`: the folder, installed or in the checkout."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent.parent / ("fixtures/demo" if name == "demo" else name)
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"hunk's {name} folder is missing from this installation")
