"""A command outside the allow rules: allow once, always this session, or reject with a note;
with the sandbox on, also run it outside the sandbox once or with the network this session. After
the sandbox refused something, the same screen offers to run the command again."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from hunk.agent.approval import CommandApproval, CommandDecision
from hunk.tui.danger import MEANINGS, style_of
from hunk.tui.widgets.button_row import ButtonRow
from hunk.tui.widgets.key_bar import KeyBar, bar_entries


class CommandScreen(Screen[CommandDecision]):
    CSS_PATH = ["commit.tcss", "command.tcss"]
    AUTO_FOCUS = "#allow"
    BINDINGS = [
        Binding("y", "allow", "allow once"),
        Binding("a", "always", "always this session"),
        Binding("n,r", "reject", "reject"),
        Binding("c", "note", "note"),
        Binding("o", "outside", "outside the sandbox once"),
        Binding("w", "network", "network this session"),
        Binding("escape", "reject", "reject", show=False),
    ]

    def __init__(self, request: CommandApproval) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        yield Static(_title(request), id="title")
        yield Static(Text(("" if request.kind == "mcp" else "$ ") + request.command, style="bold"), id="command", classes=f"-{request.danger}")
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
        with ButtonRow(id="buttons"):
            if not request.denied:
                yield Button("Allow once (y)", id="allow", variant="success")
                yield Button("Always this session (a)", id="always", variant="primary")
            if request.sandboxed:
                yield Button("Outside the sandbox once (o)", id="outside", variant="warning")
            if request.sandboxed and request.denied != "write":
                yield Button("Network this session (w)", id="network", variant="warning")
            yield Button("Reject (n)" if not request.denied else "Leave it failed (n)", id="reject", variant="error")
        offered = [b for b in self.BINDINGS if isinstance(b, Binding) and self.check_action(b.action, ())]
        yield KeyBar(bar_entries(offered), id="keys")  # every choice, on two rows if need be

    def on_resize(self, event: Resize) -> None:
        self.query_one(ButtonRow).fit(event.size.width)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        request = self.request
        if action in ("allow", "always"):
            return not request.denied
        if action == "outside":
            return request.sandboxed
        if action == "network":
            return request.sandboxed and request.denied != "write"
        return True

    def _note(self) -> str | None:
        return self.query_one("#note", Input).value.strip() or None

    def action_allow(self) -> None:
        self.dismiss(CommandDecision(allow=True))

    def action_always(self) -> None:
        self.dismiss(CommandDecision(allow=True, remember=True))

    def action_outside(self) -> None:
        self.dismiss(CommandDecision(allow=True, outside_sandbox=True))

    def action_network(self) -> None:
        self.dismiss(CommandDecision(allow=True, allow_network=True))

    def action_reject(self) -> None:
        self.dismiss(CommandDecision(allow=False, note=self._note()))

    def action_note(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted, "#note")
    def _note_submitted(self) -> None:
        self.action_reject()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {"allow": self.action_allow, "always": self.action_always, "reject": self.action_reject,
                   "outside": self.action_outside, "network": self.action_network}
        actions[event.button.id or "reject"]()


def _title(request: CommandApproval) -> str:
    if request.denied == "network":
        return "The sandbox kept this command off the network"
    if request.denied:
        return "The sandbox refused a write outside the working tree"
    if request.kind == "mcp":
        return "The model wants to call an MCP tool"
    return "The model wants to run a command"
