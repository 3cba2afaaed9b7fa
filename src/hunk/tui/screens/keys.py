"""`?` on a review: every key of the screen, the ones the bar has no room for too."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

NAMES = {
    "down": "↓", "up": "↑", "space": "space", "pagedown": "PgDn", "pageup": "PgUp",
    "right_square_bracket": "]", "left_square_bracket": "[", "exclamation_mark": "!",
    "question_mark": "?", "shift+tab": "shift+tab", "escape": "esc",
}


def keys_of(binding: Binding) -> str:
    return "  ".join(NAMES.get(key.strip(), key.strip()) for key in binding.key.split(","))


class KeysScreen(ModalScreen[None]):
    """Lists `bindings` (key, what it does); any of ?, q or Escape closes it."""

    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll {
        width: auto; max-width: 90%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    KeysScreen Static { width: auto; }  /* as wide as the list: 1fr of an auto-wide box was 0 */
    """
    BINDINGS = [Binding("question_mark,escape,q", "dismiss", "close")]

    def __init__(self, title: str, bindings: list[Binding]) -> None:
        super().__init__()
        self.title_text = title
        self.listed = bindings

    def compose(self) -> ComposeResult:
        width = max(len(keys_of(b)) for b in self.listed) + 2
        listed = Text()
        for binding in self.listed:
            listed.append(f"\n{keys_of(binding):<{width}}", style="bold")
            listed.append(binding.description)
        with VerticalScroll():
            yield Static(Text(self.title_text, style="bold"), classes="title")
            yield Static(listed, id="listed")
