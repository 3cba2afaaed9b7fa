"""An edited hunk that cannot apply: say why, then edit it again or drop the edit (as
`git add -p` asks). Dismisses with True for "edit again"."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class EditAgainScreen(ModalScreen[bool]):
    CSS_PATH = "edit_again.tcss"
    AUTO_FOCUS = "#again"
    BINDINGS = [
        Binding("e,y", "answer(True)", "edit again"),
        Binding("d,n,escape", "answer(False)", "drop the edit"),
    ]

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Your edited hunk does not apply", id="title")
            yield Static(self.problem, id="problem")
            with Horizontal(id="buttons"):
                yield Button("Edit again (e)", id="again", variant="primary")
                yield Button("Drop the edit (d)", id="drop")

    def action_answer(self, again: bool) -> None:
        self.dismiss(again)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "again")
