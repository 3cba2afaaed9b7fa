"""`/model` alone: pick one of the models usable now. Dismisses with its PROVIDER:MODEL, or
None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hunk.providers.available import Usable


class ModelPicker(ModalScreen[str | None]):
    CSS_PATH = "model_picker.tcss"
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, usable: list[Usable]) -> None:
        super().__init__()
        self.usable = usable

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("Switch to a model usable now (Enter picks, Esc cancels)", id="title")
            yield OptionList(*(Option(f"{u.spec}   ({u.why})", id=u.spec) for u in self.usable), id="models")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
