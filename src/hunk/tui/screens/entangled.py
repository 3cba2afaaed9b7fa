"""The agent's accepted hunks overlap the person's own uncommitted edits: commit the files
whole, or leave them uncommitted."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from hunk.agent.approval import EntangledChange, EntangledDecision


class EntangledScreen(Screen[EntangledDecision]):
    CSS_PATH = "entangled.tcss"
    AUTO_FOCUS = "#leave"
    BINDINGS = [
        Binding("y", "whole", "commit whole"),
        Binding("n,escape", "leave", "leave uncommitted"),
    ]

    def __init__(self, request: EntangledChange) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        yield Static("Your edits and the agent's touch the same lines", id="title")
        yield Static("\n".join(self.request.paths), id="command")
        yield Static(
            "These files cannot be committed apart from your own uncommitted edits. Commit them "
            "whole (your edits in them included), or leave them uncommitted: nothing is lost either way.",
            id="facts",
        )
        with Horizontal(id="buttons"):
            yield Button("Commit whole (y)", id="whole", variant="warning")
            yield Button("Leave uncommitted (n)", id="leave", variant="primary")
        yield Footer()

    def action_whole(self) -> None:
        self.dismiss(EntangledDecision(commit_whole=True))

    def action_leave(self) -> None:
        self.dismiss(EntangledDecision(commit_whole=False))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        (self.action_whole if event.button.id == "whole" else self.action_leave)()
