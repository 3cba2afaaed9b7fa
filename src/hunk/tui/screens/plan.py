"""The plan at the end of plan mode: implement it here or in a fresh context, edit it in
$EDITOR, reject it with a note for the model, or keep it and decide later."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Button, Input, Markdown, Static

from hunk.agent.approval import PlanDecision, PlanReview
from hunk.tui.editor import in_editor
from hunk.tui.widgets.button_row import ButtonRow
from hunk.tui.widgets.key_bar import KeyBar, bar_entries
from hunk.workspace.edits import HunkEditError, run_editor


class PlanScreen(Screen[PlanDecision]):
    CSS_PATH = "plan.tcss"
    AUTO_FOCUS = "#implement"
    BINDINGS = [
        Binding("y", "implement", "implement"),
        Binding("f", "fresh", "fresh context"),  # as the button says: short enough for two rows at 60 columns
        Binding("e", "edit", "edit in $EDITOR"),
        Binding("n,r", "reject", "reject"),
        Binding("c", "note", "note"),
        Binding("escape", "keep", "keep, decide later", key_display="esc"),
    ]

    def __init__(self, request: PlanReview) -> None:
        super().__init__()
        self.plan = request.plan

    def compose(self) -> ComposeResult:
        yield Static("The model's plan — nothing has been changed yet", id="title")
        with VerticalScroll(id="plan-box"):
            yield Markdown(self.plan, id="plan")
        yield Input(placeholder="what the model should change in the plan (c); Enter rejects with it", id="note")
        with ButtonRow(id="buttons"):
            yield Button("Implement (y)", id="implement", variant="success")
            yield Button("Fresh context (f)", id="fresh", variant="primary")
            yield Button("Edit (e)", id="edit", variant="default")
            yield Button("Reject (n)", id="reject", variant="error")
        yield KeyBar(bar_entries([b for b in self.BINDINGS if isinstance(b, Binding)]), id="keys")

    def on_resize(self, event: Resize) -> None:
        self.query_one(ButtonRow).fit(event.size.width)

    def action_implement(self) -> None:
        self.dismiss(PlanDecision("implement", self.plan))

    def action_fresh(self) -> None:
        self.dismiss(PlanDecision("implement_fresh", self.plan))

    def action_reject(self) -> None:
        note = self.query_one("#note", Input).value.strip() or None
        self.dismiss(PlanDecision("reject", self.plan, note))

    def action_keep(self) -> None:
        self.dismiss(PlanDecision("keep", self.plan))

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    async def action_edit(self) -> None:
        try:
            edited = in_editor(self.app, partial(run_editor, self.plan, "plan.md"))
        except (OSError, HunkEditError) as error:
            self.notify(f"plan not edited: {error}", severity="error")
            return
        self.refresh()
        if edited.strip():
            self.plan = edited
            await self.query_one("#plan", Markdown).update(edited)

    @on(Input.Submitted, "#note")
    def _note_submitted(self) -> None:
        self.action_reject()

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "edit":
            await self.action_edit()
            return
        actions = {"implement": self.action_implement, "fresh": self.action_fresh, "reject": self.action_reject}
        actions[event.button.id or "reject"]()
