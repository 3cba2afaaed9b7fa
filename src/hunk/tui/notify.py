"""Calling the person back when hunk waits on them (a review, a command, a commit): the
terminal bell, and a desktop notification through OSC 9 or OSC 777 where the terminal is known
to show one. `[ui] notify = "auto" | "bell" | "off"` in the config."""

from __future__ import annotations

from collections.abc import Callable, Mapping

NOTIFY_MODES = ("auto", "bell", "off")
BELL = "\a"

# terminals that show OSC 9 ("\e]9;text\a") as a desktop notification
_OSC9 = ("iTerm.app", "WezTerm", "ghostty")
# terminals that show OSC 777 ("\e]777;notify;title;body\a")
_OSC777_TERMS = ("foot", "rxvt", "xterm-kitty")


def desktop_sequence(text: str, env: Mapping[str, str]) -> str | None:
    """The escape sequence that makes this terminal show `text` as a notification, if any."""
    safe = "".join(ch for ch in text if ch.isprintable() and ch != ";")[:200]
    if env.get("TERM_PROGRAM") in _OSC9 or "WT_SESSION" in env:
        return f"\x1b]9;{safe}\a"
    if env.get("TERM", "").startswith(_OSC777_TERMS) or env.get("TERM_PROGRAM") == "vscode":
        return f"\x1b]777;notify;hunk;{safe}\a"
    return None


def call_attention(text: str, mode: str, env: Mapping[str, str], write: Callable[[str], None]) -> None:
    """Ring the bell (and notify, in "auto" mode, where the terminal can) through `write`."""
    if mode == "off":
        return
    sequence = desktop_sequence(text, env) if mode == "auto" else None
    write(BELL + (sequence or ""))
