"""A command outside the allow rules: allow once, always this session, or reject with a note."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from hunk.agent.approval import CommandApproval, CommandDecision
from hunk.tui.danger import MEANINGS, style_of


class CommandScreen(Screen[CommandDecision]):
    CSS_PATH = ["commit.tcss", "command.tcss"]
    AUTO_FOCUS = "#allow"
    BINDINGS = [
        Binding("y", "allow", "allow once"),
        Binding("a", "always", "always this session"),
        Binding("n,r", "reject", "reject"),
        Binding("c", "note", "note"),
        Binding("escape", "reject", "reject", show=False),
    ]

    def __init__(self, request: CommandApproval) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        yield Static("The model wants to run a command", id="title")
        yield Static(Text("$ " + request.command, style="bold"), id="command", classes=f"-{request.danger}")
        facts = Text()
        facts.append("in ", style="dim")
        facts.append(request.cwd)
        facts.append("   danger ", style="dim")
        facts.append(f" {request.danger} ", style=style_of(request.danger))
        if request.danger in MEANINGS:
            facts.append(f" {MEANINGS[request.danger]}", style="dim")
        if request.reason:
            facts.append(f"   ({request.reason})", style="dim")
        yield Static(facts, id="facts")
        yield Input(placeholder="note for the model if you reject (c), Enter rejects", id="note")
        with Horizontal(id="buttons"):
            yield Button("Allow once (y)", id="allow", variant="success")
            yield Button("Always this session (a)", id="always", variant="primary")
            yield Button("Reject (n)", id="reject", variant="error")
        yield Footer()

    def _note(self) -> str | None:
        return self.query_one("#note", Input).value.strip() or None

    def action_allow(self) -> None:
        self.dismiss(CommandDecision(allow=True))

    def action_always(self) -> None:
        self.dismiss(CommandDecision(allow=True, remember=True))

    def action_reject(self) -> None:
        self.dismiss(CommandDecision(allow=False, note=self._note()))

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _note_submitted(self) -> None:
        self.action_reject()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {"allow": self.action_allow, "always": self.action_always, "reject": self.action_reject}
        actions[event.button.id or "reject"]()
