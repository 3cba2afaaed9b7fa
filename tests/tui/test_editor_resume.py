"""Whatever the editor does, the app gets its terminal back before the error is raised: Textual
resumes only when its suspend() block ends without an exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from hunk.tui.editor import in_editor


class _Suspending:
    def __init__(self) -> None:
        self.resumed = False

    @contextmanager
    def suspend(self) -> Iterator[None]:
        yield
        self.resumed = True  # skipped when the block raises, as in Textual


@pytest.mark.parametrize("error", [ValueError("the edit cannot apply"), KeyboardInterrupt()])
def test_an_error_in_the_editor_is_raised_after_the_app_is_back(error: BaseException) -> None:
    app = _Suspending()

    def editor() -> None:
        raise error

    with pytest.raises(type(error)):
        in_editor(app, editor)  # type: ignore[arg-type]
    assert app.resumed


def test_the_editors_result_comes_back() -> None:
    app = _Suspending()
    assert in_editor(app, lambda: "edited") == "edited"  # type: ignore[arg-type]
    assert app.resumed
