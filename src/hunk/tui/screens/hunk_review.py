"""What the change screen (ask) and the review screen (end of turn) share: keys and verdicts."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from hunk.agent.approval import ChangeDecision, ChangeReview
from hunk.tui.decisions import ReviewState
from hunk.tui.editor import HunkEditError, edit_hunk
from hunk.tui.widgets.diff_view import DiffView


class HunkReviewScreen(Screen[ChangeDecision]):
    AUTO_FOCUS = ""  # nothing: keys belong to the screen until `c` focuses the note (None would mean "the app's default")
    BINDINGS = [
        Binding("a,y", "decide(True)", "accept"),
        Binding("r,n", "decide(False)", "reject"),
        Binding("j,down", "move(1)", "next", show=False),
        Binding("k,up", "move(-1)", "prev", show=False),
        Binding("tab", "file(1)", "next file", priority=True),
        Binding("shift+tab", "file(-1)", "prev file", priority=True, show=False),
        Binding("A", "rest(True)", "accept file"),
        Binding("R", "rest(False)", "reject file"),
        Binding("exclamation_mark", "everything", "accept all"),
        Binding("c", "note", "note"),
        Binding("e", "edit", "edit"),
        Binding("s", "split", "split"),
        Binding("q", "finish", "finish"),
        Binding("Q", "finish(True)", "finish + stop", show=False),
    ]

    def __init__(self, review: ChangeReview) -> None:
        super().__init__()
        self.state = ReviewState(review)
        self.split_view = False

    def on_mount(self) -> None:
        self.call_after_refresh(self.redraw)

    def diff_column(self) -> ComposeResult:
        """The current file's hunks, what is left to decide, the note field."""
        yield DiffView(id="diff")
        yield Static(id="pending")
        yield Input(placeholder="note for the model on this hunk (c), Enter to save", id="note")

    async def redraw(self) -> None:
        state = self.state
        await self.query_one(DiffView).show(
            state.file, state.slots[state.file_index], state.hunk_index, self.split_view
        )
        if not self.is_attached:  # dismissed (or the turn cancelled) while redrawing
            return
        note = self.query_one("#note", Input)
        note.value = state.slot.note or ""
        left = state.undecided()
        self.query_one("#pending").update(
            f"{left} undecided — q rejects them and finishes" if left else "all decided — q finishes"
        )
        self.redraw_files()

    def redraw_files(self) -> None:
        """Subclasses show the file list their own way."""

    async def action_decide(self, accepted: bool) -> None:
        self.state.decide(accepted)
        await self.redraw()

    async def action_move(self, delta: int) -> None:
        self.state.move(delta)
        await self.redraw()

    async def action_file(self, delta: int) -> None:
        if self.focused is self.query_one("#note", Input):
            self.set_focus(None)
        self.state.move_file(delta)
        await self.redraw()

    async def action_rest(self, accepted: bool) -> None:
        self.state.decide_rest_of_file(accepted)
        await self.redraw()

    async def action_everything(self) -> None:
        self.state.decide_everything(True)
        await self.redraw()

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    async def save_note(self, event: Input.Submitted) -> None:
        self.state.set_note(event.value)
        self.set_focus(None)
        await self.redraw()

    async def action_split(self) -> None:
        self.split_view = not self.split_view
        await self.redraw()

    async def action_edit(self) -> None:
        state = self.state
        hunk = state.file.hunks[state.hunk_index] if state.file.hunks else None
        if hunk is None:
            self.notify("a whole-file change cannot be edited", severity="warning")
            return
        lines = state.slot.edited or hunk.lines
        try:
            try:
                with self.app.suspend():
                    edited = edit_hunk(lines, state.file.path)
            except SuspendNotSupported:  # headless (tests): the editor needs no terminal
                edited = edit_hunk(lines, state.file.path)
        except HunkEditError as error:
            self.notify(str(error), title="hunk not edited", severity="error")
            return
        except OSError as error:
            self.notify(f"cannot run the editor: {error}", severity="error")
            return
        self.refresh()
        state.set_edited(edited)
        await self.redraw()

    def action_finish(self, stop: bool = False) -> None:
        self.dismiss(self.state.decision(stop=stop))
