"""The person's $EDITOR with the terminal handed over, and the app back whatever the editor did."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.app import App, SuspendNotSupported

T = TypeVar("T")


def in_editor(app: App[object], call: Callable[[], T]) -> T:
    """`call()` (which runs the editor) with the app suspended. Textual resumes the app only when
    its `suspend()` block ends without an exception, so an error of the editor's (an edited hunk
    that cannot apply, no editor at all) is held until the app has its terminal back, then raised:
    raised inside the block, it left a blank terminal that no key woke."""
    failure: BaseException | None = None
    try:
        with app.suspend():
            try:
                result = call()
            except BaseException as error:  # re-raised below, once the app is back (Ctrl+C in the editor too)
                failure = error
    except SuspendNotSupported:  # headless (tests): the editor needs no terminal
        return call()
    if failure is not None:
        raise failure
    return result
