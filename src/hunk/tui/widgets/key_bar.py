"""The review's keys at the bottom of the screen, most needed first, on as many rows (up to
two) as the width needs; what does not fit is one `?` away. One widget, painted as text: cheap
at any width, unlike a widget per key."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget

MAX_ROWS = 2


def bar_entries(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys as shown, what they do) for each binding shown in the bar, in the order given."""
    return [(b.key_display or b.key.split(",")[0], b.description) for b in bindings if b.show]


def lay_out(entries: list[tuple[str, str]], width: int, rows: int = MAX_ROWS) -> list[list[tuple[str, str]]]:
    """Entries in order, filling up to `rows` rows of `width` cells; those that do not fit are
    left out, except the last entry (the help key), which always shows."""
    if not entries:
        return []
    *body, last = entries
    cells = lambda entry: len(entry[0]) + len(entry[1]) + 3  # noqa: E731 - "key label  "
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for entry in [*body, last]:
        fits = used + cells(entry) <= width
        if not fits and len(lines) < rows:
            lines.append([])
            used, fits = 0, cells(entry) <= width
        if fits:
            lines[-1].append(entry)
            used += cells(entry)
        elif entry is last:  # make room for the help key at the end of the last row
            while lines[-1] and used + cells(entry) > width:
                used -= cells(lines[-1].pop())
            lines[-1].append(entry)
    return [line for line in lines if line]


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """

    def __init__(self, entries: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries = entries

    def rows(self, width: int) -> list[list[tuple[str, str]]]:
        return lay_out(self.entries, max(width, 1))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return max(1, len(self.rows(width)))

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text = Text(no_wrap=True, overflow="crop")
        for i, row in enumerate(self.rows(self.size.width)):
            if i:
                text.append("\n")
            for key, label in row:
                text.append(f" {key}", key_style)
                text.append(f" {label} ")
        return text
