"""Painting one diff line into screen rows: syntax colours, the changed words, hard wrap by
cells, and the marker rows of a folded long line. Nothing is cut: every character of a line is
on some row, or counted on a marker row that says how to see it."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import PurePosixPath

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax, SyntaxTheme
from rich.text import Text
from textual.strip import Strip

from hunk.values.diff_text import Fold, Span

TAB = 4
HIGHLIGHT_MAX = 500  # characters: longer lines keep their diff colours but skip syntax colours
RAW_KEY = "o"

# Control characters, lone surrogates (undecodable bytes) and CR are drawn, one cell each, so
# a change to them is visible and the character offsets of the changed spans stay true.
_VISIBLE = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x09}
_VISIBLE[0x7F] = "␡"
_VISIBLE.update({code: "\ufffd" for code in range(0xDC80, 0xDD00)})

LINE = {"+": Style(bgcolor="#12301c"), "-": Style(bgcolor="#3a1418")}
WORD = {"+": Style(bgcolor="#2b6e3c", bold=True), "-": Style(bgcolor="#8a2d37", bold=True)}
MARK = {"+": Style(color="green", bold=True), "-": Style(color="red", bold=True), "\\": Style(dim=True)}
NUMBER = Style(dim=True)
FOLD = Style(color="yellow", italic=True)
NO_NEWLINE = Style(dim=True, italic=True)

_console = Console(file=io.StringIO(), width=1_000, color_system="truecolor", force_terminal=True, legacy_windows=False)


def visible(text: str) -> str:
    """The text as drawn: control characters pictured, tabs expanded."""
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_VISIBLE).expandtabs(TAB)


def cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def fold_note(count: int, where: str) -> str:
    return f"… {count:,} {where} characters — {RAW_KEY} opens the whole hunk"


def height(content: str, fold: Fold | None, width: int) -> int:
    """Rows that `paint` will give this line at this width (without painting it)."""
    width = max(1, width)
    if fold is not None:
        shown = visible(content[fold.start : fold.end])
        markers = (fold.hidden_before > 0) + (fold.hidden_after > 0)
        return markers + max(1, -(-cells(shown) // width))
    return max(1, -(-cells(visible(content)) // width))


# Common suffixes by lexer name: finding a lexer from a file name matches ~1,500 patterns the
# first time (0.1-0.3 s holding the GIL, while the person may already be pressing keys).
_BY_SUFFIX = {
    ".py": "python", ".pyi": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
    ".ts": "typescript", ".tsx": "tsx", ".jsx": "jsx", ".json": "json", ".toml": "toml", ".yaml": "yaml",
    ".yml": "yaml", ".md": "markdown", ".rs": "rust", ".go": "go", ".c": "c", ".h": "c", ".cc": "cpp",
    ".cpp": "cpp", ".hpp": "cpp", ".java": "java", ".kt": "kotlin", ".rb": "ruby", ".sh": "bash",
    ".bash": "bash", ".html": "html", ".css": "css", ".scss": "scss", ".sql": "sql", ".swift": "swift",
    ".php": "php", ".cs": "csharp", ".lua": "lua", ".ini": "ini", ".cfg": "ini", ".xml": "xml",
}


@lru_cache(maxsize=64)
def _lexer(path: str):  # type: ignore[no-untyped-def]
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    from pygments.util import ClassNotFound

    options = {"stripnl": False, "ensurenl": False, "stripall": False}
    name = _BY_SUFFIX.get(PurePosixPath(path).suffix.lower())
    try:
        return get_lexer_by_name(name, **options) if name else get_lexer_for_filename(path, **options)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _theme() -> SyntaxTheme:
    return Syntax.get_theme("ansi_dark")


def _cuts(plain: str, width: int) -> list[int]:
    """Character offsets where rows of `width` cells start (hard wrap, as code wants)."""
    if plain.isascii():
        return list(range(width, len(plain), width))
    cuts: list[int] = []
    used = 0
    for index, char in enumerate(plain):
        size = cell_len(char)
        if used + size > width:
            cuts.append(index)
            used = 0
        used += size
    return cuts


class Painter:
    """Paints the lines of one file (its path picks the syntax colours)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lexer = None  # until load_syntax() ran: finding and compiling a lexer takes ~0.2 s

    def load_syntax(self) -> None:
        """Blocking (run it in a thread): pick the syntax colours for the file."""
        self.lexer = _lexer(self.path)

    def paint(self, content: str, mark: str, spans: tuple[Span, ...], fold: Fold | None, width: int) -> list[Strip]:
        """The line's rows, each exactly `width` cells, without gutter."""
        width = max(1, width)
        start, end = (fold.start, fold.end) if fold is not None else (0, len(content))
        shown = content[start:end]
        text = Text(shown.translate(_VISIBLE))
        if mark == "\\":
            text.stylize(NO_NEWLINE)
        elif self.lexer is not None and len(shown) <= HIGHLIGHT_MAX:
            self._highlight(text, shown)
        word = WORD.get(mark)
        if word is not None:
            for left, right in spans:
                if right > start and left < end:
                    text.stylize(word, max(left, start) - start, min(right, end) - start)
        text.expand_tabs(TAB)
        rows = [self._strip(piece, width) for piece in text.divide(_cuts(text.plain, width))] or [Strip.blank(width)]
        if fold is not None:
            if fold.hidden_before:
                rows.insert(0, self._strip(Text(fold_note(fold.hidden_before, "earlier"), FOLD), width))
            if fold.hidden_after:
                rows.append(self._strip(Text(fold_note(fold.hidden_after, "more"), FOLD), width))
        background = LINE.get(mark)
        if background is not None:
            rows = [row.apply_style(background) for row in rows]
        return rows

    def _highlight(self, text: Text, shown: str) -> None:
        theme = _theme()
        at = 0
        for token_type, value in self.lexer.get_tokens(shown):  # type: ignore[union-attr]
            style = theme.get_style_for_token(token_type)
            if style and value:
                text.stylize(Style(color=style.color, bold=style.bold, italic=style.italic), at, at + len(value))
            at += len(value)

    @staticmethod
    def _strip(text: Text, width: int) -> Strip:
        return text_row(text, width)


def text_row(text: Text, width: int, fill: Style | None = None) -> Strip:
    """One row of exactly `width` cells (a marker or title longer than a narrow view is cut)."""
    text.truncate(max(1, width))
    return Strip(list(text.render(_console))).extend_cell_length(width, fill)


def gutter(numbers: tuple[int | None, ...], digits: int, mark: str) -> list[Segment]:
    """The line numbers and the +/− mark in front of a line's first row."""
    shown = " ".join(" " * digits if n is None else f"{n:>{digits}}" for n in numbers)
    return [Segment(shown + " ", NUMBER), Segment(mark if mark in "+-" else " ", MARK.get(mark)), Segment(" ")]


def blank_gutter(numbers: int, digits: int) -> list[Segment]:
    return [Segment(" " * (numbers * (digits + 1) + 2))]


def gutter_width(numbers: int, digits: int) -> int:
    return numbers * (digits + 1) + 2
