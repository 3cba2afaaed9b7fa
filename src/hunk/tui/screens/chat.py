"""The main screen: transcript, spinner, prompt and status bar. It shows; the app acts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from hunk.tui.danger import command_danger
from hunk.tui.completion import SlashCommand
from hunk.tui.widgets.prompt import PromptBox
from hunk.tui.widgets.spinner import Spinner
from hunk.tui.widgets.status_bar import Status, StatusBar
from hunk.tui.widgets.todo_list import TodoList
from hunk.tui.widgets.transcript import Transcript
from hunk.tui.widgets.welcome import welcome_text

if TYPE_CHECKING:  # the core's events arrive with the agent, after the first paint
    from hunk.tui.adapter import CoreEvent, StreamedText
    from hunk.values.events import CheckFinished


class ChatScreen(Screen[None]):
    # chat.tcss is loaded as the app's CSS (a default screen's CSS_PATH is not read)
    AUTO_FOCUS = "#prompt-area"
    BINDINGS = [
        Binding("escape", "app.cancel_turn", "cancel turn", show=False),
        Binding("shift+tab", "app.cycle_mode", "cycle mode", priority=True, show=False),
    ]

    def __init__(
        self,
        status: Status,
        file_source: Callable[[], list[str]],
        custom_commands: tuple[SlashCommand, ...] = (),
        root: Path | None = None,
        sandbox: str | None = None,
    ) -> None:
        super().__init__()
        self._initial_status = status
        self._file_source = file_source
        self._root = root or Path.cwd()
        self._sandbox = sandbox  # hunk.policy.sandbox's label, once commands run in one
        self._custom_commands = custom_commands

    def compose(self) -> ComposeResult:
        yield Transcript(id="transcript")
        yield PromptBox(self._file_source, self._custom_commands, id="prompt")
        yield StatusBar(id="status")

    async def on_mount(self) -> None:
        self.call_after_refresh(self._make_hidden)
        self.status_bar.status = self._initial_status
        await self._welcome()

    async def _welcome(self) -> None:
        transcript = self.transcript
        if transcript.query(".welcome") or not transcript.children:
            await transcript.show_welcome(welcome_text(self.status, self._root, self._sandbox))

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    def _make_hidden(self) -> None:
        self.spinner, self.todos  # noqa: B018 - made after the first paint, ready before they are needed

    @property
    def spinner(self) -> Spinner:
        """Above the prompt while the model or a command works; made after the first paint (or
        at first use), as the todo list is: hidden widgets do not delay the prompt."""
        found = self.query(Spinner)
        if found:
            return found.first()
        spinner = Spinner(id="spinner")
        spinner.display = False
        self.mount(spinner, before=self._below_spinner())
        return spinner

    @property
    def prompt(self) -> PromptBox:
        return self.query_one(PromptBox)

    @property
    def todos(self) -> TodoList:
        found = self.query(TodoList)
        if found:
            return found.first()
        todos = TodoList(id="todos")
        todos.display = False
        self.mount(todos, before=self.prompt)
        return todos

    def _below_spinner(self) -> TodoList | PromptBox:
        found = self.query(TodoList)
        return found.first() if found else self.prompt

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def status(self) -> Status:
        status = self.status_bar.status
        return status if status is not None else self._initial_status

    def set_status(self, **changes: object) -> None:
        self.status_bar.status = self.status.with_(**changes)
        if self.transcript.query(".welcome"):  # the header follows a model or mode change
            self.run_worker(self._welcome(), group="welcome")

    # --- core events ---------------------------------------------------------------------

    async def on_streamed_text(self, message: StreamedText) -> None:
        if message.kind == "text":
            await self.transcript.append_text(message.text)
        else:
            await self.transcript.append_reasoning(message.text)

    async def on_core_event(self, message: CoreEvent) -> None:
        from hunk.values.events import (
            ApprovalRequested,
            ChangeProposed,
            ChangesApplied,
            CheckFinished,
            CommandOutput,
            CommitCreated,
            Notice,
            PlanDecided,
            PlanProposed,
            ProviderRetrying,
            ReviewDecided,
            TodosUpdated,
            ToolCallFinished,
            ToolCallStarted,
            TurnFailed,
            TurnFinished,
            UsageUpdated,
        )

        transcript = self.transcript
        match message.event:
            case ToolCallStarted() as event:
                await transcript.tool_started(event, command_danger(event.name, event.arguments, self._root))
                self.spinner.relabel(f"running {event.name}")
            case CommandOutput() as event:
                self.spinner.relabel("running the command")
                await transcript.command_output(event.call_id, event.text)
            case ToolCallFinished() as event:
                transcript.tool_finished(event)
                self.spinner.relabel("thinking")
            case ChangeProposed() as event:
                await transcript.add_line(
                    _line("proposed ", event.path, f"  +{event.added} −{event.removed}", "(" + event.source + ")")
                )
            case ApprovalRequested(kind=kind):
                self.spinner.relabel(f"waiting for your {kind} decision")
                self.app.call_attention(f"hunk waits for your {kind} decision")  # type: ignore[attr-defined]
            case ReviewDecided() as event:
                note = f"  note: {event.note}" if event.note else ""
                await transcript.add_line(
                    _line("decided ", event.path, f"  {event.accepted} accepted, {event.rejected} rejected", note)
                )
            case ChangesApplied(paths=paths):
                await transcript.add_line(_line("applied ", ", ".join(paths), "", ""))
            case CommitCreated() as event:
                await transcript.add_line(_line("committed ", event.sha[:8], f"  {event.subject}", ""), "commit")
            case UsageUpdated() as event:
                self.set_status(
                    usage=self.status.usage + event.usage,
                    cost_usd=event.session_cost_usd,
                    context_tokens=event.context_tokens,
                )
            case TurnFinished():
                await transcript.end_segment()
            case TurnFailed(kind="interrupted"):
                await transcript.add_line(Text("■ interrupted", style="yellow"), "error")
            case TurnFailed() as event:
                self.notify(event.message, title=f"{event.kind} error", severity="error", timeout=8)
                await transcript.add_line(Text(f"✗ {event.kind}: {event.message}", style="red"), "error")
            case TodosUpdated(items=items):
                self.todos.show(items)
            case CheckFinished() as event:
                await transcript.add_line(_check_line(event), "info" if event.passed else "error")
            case PlanProposed():
                await transcript.add_line(Text("plan ready for your review — nothing changed yet", style="bold"))
            case PlanDecided(action=action, note=note, mode=mode):
                said = PLAN_DECIDED[action] + (f": {note}" if note else "")
                await transcript.add_line(_line("plan ", said, "", ""))
                self.set_status(mode=mode)
            case ProviderRetrying() as event:
                self.spinner.relabel(event.for_people())
                if event.restart:
                    await transcript.drop_reply()
            case Notice(message=text):
                self.notify(text)
                await transcript.add_line(text)


PLAN_DECIDED = {
    "implement": "approved, implementing",
    "implement_fresh": "approved, implementing in a fresh context",
    "reject": "rejected",
    "keep": "kept for later",
}


def _check_line(event: CheckFinished) -> Text:
    if event.passed:
        return _line("✓ check ", event.command, "", "")
    blamed = ", ".join(event.failed_files)
    return _line("✗ check ", event.command, f"  {event.status}", f"({blamed}) — sent to the model" if blamed else "— sent to the model")


def _line(verb: str, subject: str, detail: str, tail: str) -> Text:
    text = Text(verb, style="dim")
    text.append(subject, style="bold")
    text.append(detail)
    if tail:
        text.append(" " + tail, style="dim")
    return text
