"""The controlling terminal, for questions asked while stdin carries the prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from hunk.headless.review import TerminalApprover


def open_terminal() -> tuple[TextIO, TextIO] | None:
    """The controlling terminal for questions, even when stdin carries the prompt."""
    try:
        tty_in = open("/dev/tty", encoding="utf-8")  # noqa: SIM115 - lives for the whole run
        tty_out = open("/dev/tty", "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return None
    return tty_in, tty_out


def terminal_approver() -> TerminalApprover | None:
    """A person answering on the terminal, or None when there is no terminal to ask on."""
    terminal = open_terminal()
    if terminal is None:
        return None
    from hunk.headless.printer import use_colour
    from hunk.headless.review import TerminalApprover

    return TerminalApprover(terminal[0], terminal[1], colour=use_colour(terminal[1]))
