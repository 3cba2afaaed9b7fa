"""What the change screen (ask) and the review screen (end of turn) share: keys and verdicts.

Keys: j/k (↓/↑) scroll a line, and at the end of a hunk step to the next (or previous) one;
space/b (PageDown/PageUp) a page, Ctrl+D/Ctrl+U half a page, Home/End the start and end of the
current hunk; ]/[ next and previous hunk, tab/shift+tab file, u the next undecided hunk; o the
whole hunk in $EDITOR; w the model's words above the diff in full. When scrolling takes the
current hunk off screen, the cursor follows.

Groups of hunks that make the same change come first: a/r and the note are then for every place
of the group; enter opens it to decide each place, x takes the current hunk out of its group, g
goes to the next group. A summary (files, hunks, groups, undecided) heads the diff.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from hunk.agent.approval import ChangeDecision, ChangeReview
from hunk.tui.decisions import ReviewState
from hunk.tui.editor import in_editor
from hunk.workspace.edits import HunkEditError, edit_hunk, view_in_editor
from hunk.tui.screens.edit_again import EditAgainScreen
from hunk.tui.screens.keys import KeysScreen
from hunk.tui.widgets.diff_view import DiffView
from hunk.tui.widgets.key_bar import KeyBar, bar_entries


class HunkReviewScreen(Screen[ChangeDecision]):
    AUTO_FOCUS = ""  # nothing: keys belong to the screen until `c` focuses the note (None would mean "the app's default")
    # In the order of the key bar: what every review needs first; the bar shows as many as fit
    # in two rows, and `?` lists them all (the hidden ones too).
    BINDINGS = [
        Binding("a,y", "decide(True)", "accept"),
        Binding("r,n", "decide(False)", "reject"),
        Binding("e", "edit", "edit"),
        Binding("c", "note", "note"),
        Binding("right_square_bracket", "move(1)", "next", key_display="]"),
        Binding("u", "undecided", "undecided"),
        Binding("q", "finish", "finish"),
        Binding("j,down", "line(1)", "scroll", key_display="j k ␣ b"),
        Binding("tab", "file(1)", "file", priority=True, key_display="tab"),
        Binding("exclamation_mark", "everything", "accept all", key_display="!"),
        Binding("A", "rest(True)", "accept file"),
        Binding("R", "rest(False)", "reject file"),
        Binding("s", "split", "split"),
        Binding("o", "raw", "whole hunk"),
        Binding("k,up", "line(-1)", "line up", show=False),
        Binding("space,pagedown", "page(1)", "page down", show=False),
        Binding("b,pageup", "page(-1)", "page up", show=False),
        Binding("ctrl+d", "half(1)", "half a page down", show=False),
        Binding("ctrl+u", "half(-1)", "half a page up", show=False),
        Binding("home", "hunk_edge(False)", "start of the hunk", show=False),
        Binding("end", "hunk_edge(True)", "end of the hunk", show=False),
        Binding("left_square_bracket", "move(-1)", "previous hunk", show=False),
        Binding("w", "words", "the model's words in full (again: six lines)", show=False),
        Binding("shift+tab", "file(-1)", "previous file", priority=True, show=False),
        # the group keys are spelt out under the diff while a group is shown
        Binding("enter", "open_group", "open group", show=False),
        Binding("x", "take_out", "take out of its group", show=False),
        Binding("g", "next_group", "next group", show=False),
        Binding("Q", "finish(True)", "finish and stop the turn", show=False),
        Binding("question_mark", "keys", "keys", key_display="?"),  # last: the bar always shows it
    ]

    def __init__(self, review: ChangeReview, explanation: str = "") -> None:
        super().__init__()
        self.state = ReviewState(review)
        self.split_view = False
        self.explanation = explanation.strip()

    def on_mount(self) -> None:
        self.call_after_refresh(self._first_paint)

    async def _first_paint(self) -> None:
        await self.redraw(True)

    def key_bar(self) -> KeyBar:
        """The keys at the bottom, as many as fit in two rows, `?` last (compose yields it)."""
        return KeyBar(bar_entries([b for b in self.BINDINGS if isinstance(b, Binding)]), id="keys")

    def action_keys(self) -> None:
        self.app.push_screen(KeysScreen("Review keys", [b for b in self.BINDINGS if isinstance(b, Binding)]))

    @property
    def diff(self) -> DiffView:
        return self.query_one(DiffView)

    def diff_column(self) -> ComposeResult:
        """The model's last words, the current file's hunks, what is left to decide, the note field."""
        yield Static(id="summary")
        # six lines at most, scrolled by the wheel; `w` shows them all (a longer text was cut at
        # its sixth line with nothing to say so)
        with VerticalScroll(id="explanation-box", classes="" if self.explanation else "-empty", can_focus=False):
            yield Static(Text(self.explanation), id="explanation")
        yield Static(id="group", classes="-empty")
        yield DiffView(id="diff")
        yield Static(id="pending")
        yield Input(placeholder="note for the model on this hunk (c), Enter to save", id="note")

    async def redraw(self, reveal: bool = False) -> None:
        """Show the state; with `reveal`, scroll the current hunk into view (its cursor moved)."""
        if not self.is_attached:  # dismissed (or the turn cancelled) before this ran
            return
        state = self.state
        view = self.diff
        view.show(state.file, state.slots[state.file_index], state.hunk_index, self.split_view)
        if reveal:
            view.reveal(state.hunk_index)
        note = self.query_one("#note", Input)
        note.value = state.slot.note or ""
        left = state.undecided()
        self.query_one("#summary", Static).update(state.summary())
        group = self.query_one("#group", Static)
        group.update("\n".join(state.group_text()))
        group.set_class(state.group is None, "-empty")
        if state.group is not None:
            pending = f"a accepts this change in all {len(state.group.places)} places, r rejects it, c notes it — enter decides each place, x takes this one out, g next group"
        else:
            pending = f"{left} undecided — q rejects them and finishes" if left else "all decided — q finishes"
        self.query_one("#pending", Static).update(pending)
        self.redraw_files()

    def redraw_files(self) -> None:
        """Subclasses show the file list their own way."""

    async def action_decide(self, accepted: bool) -> None:
        self.state.decide(accepted)
        await self.redraw(True)

    async def action_move(self, delta: int) -> None:
        self.state.move(delta)
        await self.redraw(True)

    async def action_file(self, delta: int) -> None:
        if self.focused is self.query_one("#note", Input):
            self.set_focus(None)
        self.state.move_file(delta)
        await self.redraw(True)

    async def action_open_group(self) -> None:
        self.state.open_group()
        await self.redraw(True)

    async def action_take_out(self) -> None:
        if not self.state.take_out():
            self.notify("this hunk is in no group", severity="warning")
        await self.redraw(True)

    async def action_next_group(self) -> None:
        if not self.state.next_group():
            self.notify("no group of hunks making the same change", severity="warning")
        await self.redraw(True)

    async def action_undecided(self) -> None:
        self.state.next_undecided()
        await self.redraw(True)

    # --- scrolling within the file -----------------------------------------------------------

    async def action_line(self, delta: int) -> None:
        """A line, or the neighbouring hunk once the current one is shown to its end."""
        view = self.diff
        top, bottom = view.hunk_rows(self.state.hunk_index)
        if delta > 0 and bottom > view.scroll_y + view.size.height:
            view.scroll_to(y=view.scroll_y + 1, animate=False, immediate=True)
        elif delta < 0 and top < view.scroll_y:
            view.scroll_to(y=view.scroll_y - 1, animate=False, immediate=True)
        else:
            self.state.move(delta)
            await self.redraw()
            self.diff.reveal(self.state.hunk_index, end=delta < 0)

    def action_page(self, delta: int) -> None:
        view = self.diff
        view.scroll_to(y=view.scroll_y + delta * max(1, view.size.height - 1), animate=False, immediate=True)

    def action_half(self, delta: int) -> None:
        view = self.diff
        view.scroll_to(y=view.scroll_y + delta * max(1, view.size.height // 2), animate=False, immediate=True)

    def action_hunk_edge(self, end: bool) -> None:
        self.diff.reveal(self.state.hunk_index, end=end)

    @on(DiffView.Scrolled)
    async def follow(self) -> None:
        """Scrolled past the current hunk: the hunk now at the top becomes current."""
        view = self.diff
        if not view.is_visible(self.state.hunk_index):
            self.state.hunk_index = view.top_hunk()
            await self.redraw()

    async def action_rest(self, accepted: bool) -> None:
        self.state.decide_rest_of_file(accepted)
        await self.redraw(True)

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

    def action_words(self) -> None:
        self.query_one("#explanation-box").toggle_class("-full")

    async def action_split(self) -> None:
        self.split_view = not self.split_view
        await self.redraw(True)

    async def action_edit(self, text: str | None = None) -> None:
        state = self.state
        hunk = state.file.hunks[state.hunk_index] if state.file.hunks else None
        if hunk is None:
            self.notify("a whole-file change cannot be edited", severity="warning")
            return
        if text is None and state.slot.edited:
            text = "\n".join(state.slot.edited) + "\n"
        try:
            edited = in_editor(self.app, partial(edit_hunk, hunk, state.file.path, text))
        except HunkEditError as error:  # caught now, while the person can still fix it
            self.refresh()
            self.app.push_screen(EditAgainScreen(str(error)), partial(self._edit_again, error.text))
            return
        self.refresh()
        state.set_edited(edited)
        await self.redraw(True)

    async def _edit_again(self, text: str, again: bool | None) -> None:
        if again:
            await self.action_edit(text)
        else:
            self.notify("edit dropped: the hunk is as the model proposed it", title="hunk not edited")

    def action_raw(self) -> None:
        """The whole hunk, folded lines and all, in the person's $EDITOR (a copy; edits are ignored)."""
        state = self.state
        if not state.file.hunks:
            self.notify("a whole-file change has no lines to open", severity="warning")
            return
        lines = state.slot.edited or state.file.hunks[state.hunk_index].lines
        try:
            in_editor(self.app, partial(view_in_editor, lines, state.file.path))
        except OSError as error:
            self.notify(f"cannot run the editor: {error}", severity="error")
        self.refresh()

    def action_finish(self, stop: bool = False) -> None:
        self.dismiss(self.state.decision(stop=stop))
