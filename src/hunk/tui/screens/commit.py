"""The commit: the proposed message, editable, then commit or skip.

The screen never waits for the model: it opens with the subject at hand (from the file names
when the model is still writing) and puts the model's subject in when it arrives, unless the
person has typed over the first line by then."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Static, TextArea

from hunk.agent.approval import CommitApproval, CommitDecision


class CommitScreen(Screen[CommitDecision]):
    CSS_PATH = "commit.tcss"
    BINDINGS = [
        Binding("ctrl+s", "commit", "commit", priority=True),
        Binding("escape", "skip", "skip"),
    ]

    def __init__(self, request: CommitApproval) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        yield Static("Commit the accepted changes — edit the message, Ctrl+S commits", id="title")
        if self.request.subject is not None and self.request.subject.waiting:
            yield Static("the model is writing the subject… (type your own at any time)", id="subject-state")
        yield TextArea(self.request.message, id="message", soft_wrap=True, show_line_numbers=False)
        yield Static(self.request.diffstat or "\n".join(self.request.files), id="diffstat")
        with Horizontal(id="buttons"):
            yield Button("Commit (ctrl+s)", id="commit", variant="success")
            yield Button("Skip (esc)", id="skip", variant="default")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#message", TextArea).focus()
        if self.request.subject is not None:
            self.request.subject.when_settled(self._subject_arrived)

    def on_unmount(self) -> None:
        if self.request.subject is not None:
            self.request.subject.forget(self._subject_arrived)

    def _subject_arrived(self, subject: str | None) -> None:
        for state in self.query("#subject-state"):
            state.remove()
        if subject is None:  # none came: the subject from the file names stays
            return
        area = self.query_one("#message", TextArea)
        filled = self.request.subject.fill(area.text, subject) if self.request.subject else area.text
        if filled != area.text:
            area.replace(subject, (0, 0), (0, len(area.document.get_line(0))))

    def message(self) -> str:
        return self.query_one("#message", TextArea).text.strip() + "\n"

    def action_commit(self) -> None:
        message = self.message()
        if not message.strip():
            self.notify("the commit message is empty", severity="warning")
            return
        self.dismiss(CommitDecision(commit=True, message=message))

    def action_skip(self) -> None:
        self.dismiss(CommitDecision(commit=False, message=self.message()))

    @on(Button.Pressed, "#commit")
    def _commit_pressed(self) -> None:
        self.action_commit()

    @on(Button.Pressed, "#skip")
    def _skip_pressed(self) -> None:
        self.action_skip()
