"""The floor for first paint: a minimal Textual app with one input, started the way hunk is.
bench/tui.py times it side by side with hunk."""

from textual.app import App, ComposeResult
from textual.widgets import Input


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(placeholder="Ask for a change")


if __name__ == "__main__":
    Minimal().run()
