"""`/rewind`: pick a turn of the session, then what to take back: the code, the conversation,
both, or fork a new session from there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from hunk.journal.records import TurnRecord

Action = Literal["both", "code", "conversation", "fork"]


@dataclass(frozen=True)
class RewindChoice:
    turn: int
    action: Action


def turn_label(turn: TurnRecord) -> str:
    commits = ",".join(sha[:8] for sha in turn.commits) or "no commit"
    files = ", ".join(turn.files[:3]) + (f" +{len(turn.files) - 3}" if len(turn.files) > 3 else "") or "no files"
    cost = f"${turn.cost_usd:.4f}" if turn.cost_usd is not None else "$?"
    prompt = " ".join(turn.prompt.split())[:70]
    mark = "  (rewound)" if turn.rewound else ""
    return f"{turn.number:>3}  {prompt}\n     {commits} · {files} · {cost}{mark}"


class RewindScreen(Screen[RewindChoice | None]):
    CSS_PATH = "rewind.tcss"
    AUTO_FOCUS = "#turns"
    BINDINGS = [
        Binding("enter,b", "pick('both')", "code + conversation"),
        Binding("c", "pick('code')", "code only"),
        Binding("v", "pick('conversation')", "conversation only"),
        Binding("f", "pick('fork')", "fork from here"),
        Binding("escape,q", "cancel", "cancel"),
    ]

    def __init__(self, turns: list[TurnRecord]) -> None:
        super().__init__()
        self.turns = turns

    def compose(self) -> ComposeResult:
        yield Static("Rewind to before a turn", id="title")
        yield Static(
            "The agent's commits of that turn and later are taken back (your own edits stay); the "
            "conversation is cut but kept, so /redo brings it back.",
            id="facts",
        )
        options = [Option(turn_label(t), id=str(t.number)) for t in self.turns]
        yield OptionList(*options, id="turns")
        yield Footer()

    def on_mount(self) -> None:
        turns = self.query_one("#turns", OptionList)
        if self.turns:
            turns.highlighted = len(self.turns) - 1

    def action_pick(self, action: Action) -> None:
        turns = self.query_one("#turns", OptionList)
        if turns.highlighted is None or not self.turns:
            return
        self.dismiss(RewindChoice(self.turns[turns.highlighted].number, action))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick("both")
