"""A question's choices as buttons, on one row while they all fit; narrower, the row gives way
to the key bar, which lists every choice: never a button half on screen (at 80 columns the
command question's "Reject" was off the edge)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.containers import Horizontal
from textual.widgets import Button

MIN_WIDTH = 16  # a Button's min-width
GAP = 2  # the margin after each button
BORDERS = 2  # a button's padding around its label (its tall border is above and below)
PADDING = 2  # the row's own padding


class ButtonRow(Horizontal):
    DEFAULT_CSS = """
    ButtonRow {
        height: auto;
        padding: 0 1;
    }
    ButtonRow Button {
        margin-right: 2;
    }
    """

    def needed(self) -> int:
        """The columns every button takes on one row."""
        widths = (max(MIN_WIDTH, cell_len(str(button.label)) + BORDERS) + GAP for button in self.query(Button))
        return sum(widths) + PADDING

    def fit(self, width: int) -> None:
        """Shown when all its buttons fit in `width` columns (the screen's). Hidden, none of its
        buttons keeps the focus: Enter pressed a button the person could not see."""
        fits = self.needed() <= width
        self.display = fits
        focused = self.screen.focused
        if not fits and focused is not None and focused in self.query(Button):
            self.screen.set_focus(None)
