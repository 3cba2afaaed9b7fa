"""A reply streamed into the transcript as Markdown, at a cost per token that does not grow.

Textual's Markdown re-parses its last block, and lays out all its blocks, on every write: a long
reply cost more with every token, and typing lagged further behind as it grew. So a reply is
streamed in pieces (Markdown widgets) of about `SPLIT_CHARS`: a piece ends after a blank line
outside a code fence, and the next block starts the next piece; one long plain paragraph goes on
in a new piece from the next space, and those pieces are joined into one widget when the reply
ends, so the paragraph reads as one. Code fences are never split.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget
    from textual.widgets import Markdown

SPLIT_CHARS = 1500
_SPACE = re.compile(r"\s+")
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.M)
_NOT_PLAIN = re.compile(r"\s|[-*+]\s|\d+[.)](\s|$)|[#>|`~<=]")  # how other blocks start


class ReplyStream:
    """One reply: `write` its text as it arrives, `stop` when it ends, `remove` to void it."""

    def __init__(self, host: Widget) -> None:
        self._host = host  # the transcript: the pieces are mounted at its end
        self.pieces: list[Markdown] = []
        self.source = ""  # the whole reply
        self._piece = ""  # what the current piece holds
        self._join = False  # a paragraph was split: one widget again at the end

    async def write(self, text: str) -> None:
        """Each write is rendered before the next (the adapter already coalesces deltas): with
        pieces of bounded size no write waits long, and nothing is left in flight at the end."""
        if not self.pieces:
            await self._new_piece()
        while (cut := self._cut(text)) is not None:
            at, resume, mid_paragraph = cut
            await self._append(text[:at])
            self.source += text[at:resume]
            if mid_paragraph:  # joined again when the reply ends
                self.pieces[-1].add_class("-continued")
                self._join = True
            await self._new_piece()
            text = text[resume:]
        await self._append(text)

    def _cut(self, text: str) -> tuple[int, int, bool] | None:
        """Where in `text` the current piece, once past SPLIT_CHARS, may end: after a blank line
        outside a code fence (the next block starts a new piece), or at a space inside one long
        plain paragraph. (end of this piece, start of the next, whether mid-paragraph)."""
        held = len(self._piece)
        joined = self._piece + text
        if len(joined) <= SPLIT_CHARS:
            return None
        blank = joined.find("\n\n", max(SPLIT_CHARS, held) - 1)
        if blank >= 0:
            at = blank + 2 - held
            if at > 0 and self._outside_fences(text[:at]):
                return at, at, False
            return None
        space = _SPACE.search(joined, max(SPLIT_CHARS, held))
        if space is None:
            return None
        block = joined[joined.rfind("\n\n", 0, space.start()) + 1 : space.start()].lstrip("\n")
        if len(block) < SPLIT_CHARS or "\n" in block or _NOT_PLAIN.match(block) or not self._outside_fences(text):
            return None
        return space.start() - held, space.end() - held, True

    def _outside_fences(self, more: str) -> bool:
        return len(_FENCE.findall(self.source + more)) % 2 == 0

    async def stop(self) -> None:
        """The reply is complete: a paragraph streamed in pieces is one widget again."""
        if self._join:
            self._join = False
            first, *rest = self.pieces
            first.remove_class("-continued")
            await first.update(self.source)
            for piece in rest:
                await piece.remove()
            self.pieces = [first]

    async def remove(self) -> None:
        for piece in self.pieces:
            await piece.remove()
        self.pieces = []

    async def _append(self, text: str) -> None:
        if text:
            self.source += text
            self._piece += text
            await self.pieces[-1].append(text)

    async def _new_piece(self) -> None:
        from textual.widgets import Markdown  # markdown-it: with the first reply, not before

        piece = Markdown(classes="reply")
        await self._host.mount(piece)
        self.pieces.append(piece)
        self._piece = ""
