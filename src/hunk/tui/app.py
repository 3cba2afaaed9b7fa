"""The app factory: `create_app(...)` serves the CLI, `hunk demo` and the tests.

The app owns the agent and its turn worker; the chat screen shows what happens; the adapter
turns core events into messages; the approver turns questions into screens. The agent is built
in a thread after the first paint, so the prompt is usable before any provider SDK is imported.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TextArea
from textual.worker import Worker

from hunk.tui.adapter import EventAdapter
from hunk.tui.approver import TuiApprover
from hunk.tui.completion import SlashCommand, attachments, list_repo_files
from hunk.tui.palette import palette_commands
from hunk.tui.screens.chat import ChatScreen
from hunk.tui.notify import call_attention
from hunk.tui.widgets.prompt import PromptBox
from hunk.tui.widgets.status_bar import Status

if TYPE_CHECKING:  # the agent, the extensions and MCP load after the first paint
    from hunk.agent.session import AgentSession
    from hunk.extensions.loading import Extensions, Invocation
    from hunk.extensions.mcp import McpManager


# `factory(approver, sink)` builds the agent for the configured model; `/model` after a start
# without a usable model calls `factory(approver, sink, model="PROVIDER:MODEL")`
AgentFactory = Callable[..., "AgentSession"]
# `load_extras()` finds the session's extensions and MCP servers (blocking reads), in a thread
# after the first paint, before the agent is built
ExtrasLoader = Callable[[], "tuple[Extensions | None, McpManager | None]"]


class HunkApp(App[None]):
    TITLE = "hunk"
    # The chat screen is the default screen, whose CSS_PATH Textual does not load: load it here.
    CSS_PATH = "screens/chat.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+c", "interrupt", "cancel / quit", priority=True, show=False)]

    def __init__(
        self,
        *,
        agent_factory: AgentFactory,
        repo_label: str,
        branch: str,
        model: str,
        mode: str,
        root: Path | None = None,
        build_in_thread: bool = True,
        warm_up: Callable[[], None] | None = None,
        sandbox: str | None = None,
        notify: str = "auto",
        earlier_prompts: Sequence[str] = (),
        extensions: Extensions | None = None,
        mcp: McpManager | None = None,
        load_extras: ExtrasLoader | None = None,
    ) -> None:
        super().__init__()
        self._earlier_prompts = earlier_prompts  # a continued session's prompts, from its journal
        self._sandbox = sandbox
        self._notify = notify
        self._warm_up = warm_up
        self.mcp = mcp
        self.extensions = extensions
        self.custom_commands = _custom_commands(extensions)
        self._load_extras = load_extras
        self._extras_loaded = asyncio.Event()
        self.startup_error: Exception | None = None  # what `load_extras` could not read; `launch` raises it
        self._agent_factory = agent_factory
        self._build_in_thread = build_in_thread
        self.root = root or Path.cwd()
        self._initial_status = Status(repo=repo_label, branch=branch, model=model, mode=mode)
        self.adapter = EventAdapter(self)
        self.approver = TuiApprover(self, last_words=lambda: self.adapter.last_words)
        self.agent: AgentSession | None = None
        self.agent_error: str | None = None
        self._agent_built = asyncio.Event()
        self._turn: Worker[None] | None = None
        self._quit_armed = False

    def get_default_screen(self) -> Screen[Any]:
        return ChatScreen(
            self._initial_status, lambda: list_repo_files(self.root), self.custom_commands, self.root, self._sandbox
        )

    @property
    def chat(self) -> ChatScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, ChatScreen)
        return screen

    def on_mount(self) -> None:
        self.adapter.target = self.chat
        self.call_after_refresh(self._build_agent)
        if self._warm_up is not None:
            self.call_after_refresh(self.run_worker, self._warm_up, thread=True, group="warm-up", exit_on_error=False)
        if self._load_extras is None:
            self._extras_loaded.set()
            if self.mcp is not None:
                self.call_after_refresh(self.run_worker, self._start_mcp(), group="mcp", exit_on_error=False)

    async def _load_extensions(self) -> bool:
        """The extensions and MCP servers, once, off the path to the first paint. False when they
        could not be read: the app ends, and `launch` raises the error (one line, as before)."""
        load, self._load_extras = self._load_extras, None
        if load is None:
            return self.startup_error is None
        try:
            self.extensions, self.mcp = await asyncio.to_thread(load)
        except Exception as error:
            self.startup_error = error
            self.exit(return_code=1)
            return False
        finally:
            self._extras_loaded.set()
        self.custom_commands = _custom_commands(self.extensions)
        self.chat.prompt.custom_commands = self.custom_commands
        if self.mcp is not None:
            self.run_worker(self._start_mcp(), group="mcp", exit_on_error=False)
        return True

    async def _start_mcp(self) -> None:
        """After the first paint, in the background: the prompt never waits for a server."""
        assert self.mcp is not None
        self.mcp.start_background()
        await self.mcp.wait_started()
        for line in self.mcp.problems():
            self.notify(line, title="MCP", severity="warning", timeout=8)

    async def on_unmount(self) -> None:
        if self.mcp is not None:
            await self.mcp.aclose()

    # --- the agent ------------------------------------------------------------------------

    @work(group="agent", exit_on_error=False)
    async def _build_agent(self, model: str | None = None) -> None:
        if not await self._load_extensions():
            self._agent_built.set()
            return
        make = partial(self._agent_factory, self.approver, self.adapter, **({"model": model} if model else {}))
        try:
            agent = await asyncio.to_thread(make) if self._build_in_thread else make()
        except Exception as error:  # no key, unknown model: the app stays up and says so
            self.agent_error = str(error) or type(error).__name__
            # said by the panel below, not by a toast: one covered the panel at 60 columns and
            # stayed 10 s, after /model had started another model
            self.run_worker(self._explain_no_model(self.agent_error), group="no-model", exit_on_error=False)
        else:
            self.agent = agent
            model = agent.model_label or self.chat.status.model
            self.sub_title = agent.sandbox.state()  # the header's line: where commands run
            self.chat.set_status(
                context_window=agent.context_window,
                mode=agent.mode,
                model=model,
                sandbox=agent.sandbox.label,
                usage=agent.session_usage,  # a resumed session starts with its totals
                cost_usd=agent.session_cost_usd,
            )
            if agent.history:
                await self.chat.transcript.replay(agent.history, self._earlier_prompts)
        finally:
            self._agent_built.set()

    async def _explain_no_model(self, problem: str) -> None:
        """A clear screen instead of swallowed prompts: which variable to set, and the models
        usable right now."""
        from hunk.providers.available import usable_models  # urllib: off the path to the first paint

        usable = await asyncio.to_thread(usable_models, os.environ)
        from hunk.tui.widgets.no_model import no_model_text

        await self.chat.transcript.add_line(no_model_text(problem, usable), "no-model")

    async def start_model(self, spec: str) -> AgentSession | None:
        """`/model` with no agent yet (no key at start): build the agent with `spec`, no restart."""
        self._agent_built.clear()
        self.agent_error = None
        await self._build_agent(spec).wait()
        return self.agent

    async def agent_ready(self) -> AgentSession | None:
        await self._agent_built.wait()
        if self.agent is None:
            self.notify(self.agent_error or "no agent", title="no model", severity="error")
        return self.agent

    @property
    def turn_running(self) -> bool:
        return self._turn is not None and self._turn.is_running

    # --- the prompt -----------------------------------------------------------------------

    @on(PromptBox.Submitted)
    async def _submitted(self, message: PromptBox.Submitted) -> None:
        text = message.text
        self._quit_armed = False
        if text.startswith("/"):
            self.run_slash(text)
            return
        if self.turn_running:
            self.notify("a turn is running — esc cancels it", severity="warning")
            self.chat.prompt.area.load_text(text)
            return
        if self._agent_built.is_set() and self.agent is None:  # keep the prompt: nothing can answer it
            self.notify(f"{self.agent_error or 'no model'} — /model switches without a restart", title="no model", severity="error")
            self.chat.prompt.area.load_text(text)
            return
        self.chat.prompt.forget_files()
        await self.begin_turn(text)

    async def begin_turn(self, text: str) -> None:
        """The person's prompt: shown in the transcript, then the turn (a prompt or `/plan TEXT`)."""
        await self.chat.transcript.add_user(text)
        self.start_turn(text, attachments(text, set(), self.root))

    def start_turn(self, prompt: str, files: list[str]) -> None:
        self._turn = self.run_turn(prompt, files)

    def action_cycle_mode(self) -> None:
        """Shift+Tab on the chat: ask → plan → review → auto → ask, between turns."""
        if self.turn_running or self.agent is None:
            self.notify("the mode changes between turns", severity="warning")
            return
        from hunk.agent.approval import next_mode
        from hunk.tui.slash import set_mode

        self.run_worker(set_mode(self, next_mode(self.agent.mode)), group="slash", exit_on_error=False)

    async def start_custom(self, line: str) -> bool:
        """`/name args` of a custom command or skill: its prompt becomes a turn. False when the
        name is neither."""
        await self._extras_loaded.wait()
        invocation = self.extensions.invoke(line) if self.extensions is not None else None
        if invocation is None:
            return False
        if self.turn_running:
            self.notify("a turn is running — esc cancels it", severity="warning")
            return True
        self.chat.prompt.forget_files()
        await self.chat.transcript.add_user(line)
        self._turn = self.run_turn(invocation.prompt, attachments(invocation.prompt, set(), self.root), invocation)
        return True

    @on(TextArea.Changed, "#prompt-area")
    def _typed(self) -> None:
        self._quit_armed = False

    @work(exclusive=True, group="turn", exit_on_error=False)
    async def run_turn(self, prompt: str, files: list[str], invocation: Invocation | None = None) -> None:
        chat = self.chat
        chat.spinner.start("thinking")
        try:
            agent = await self.agent_ready()
            if agent is not None:
                from hunk.tui.attach import load_attachments
                from hunk.tui.mcp import load_resources, resource_refs

                parts, problems = await asyncio.to_thread(load_attachments, self.root, files)
                refs = resource_refs(prompt, self.mcp)
                if refs and self.mcp is not None:
                    resources, unread = await load_resources(self.mcp, refs)
                    parts, problems = parts + resources, problems + unread
                for problem in problems:
                    self.notify(problem, title="not attached", severity="warning")
                if invocation is None:
                    await agent.run_turn(prompt, parts)
                else:
                    await agent.run_turn(prompt, parts, model=invocation.model, tools=invocation.tools())
        except asyncio.CancelledError:
            self.adapter.flush()
            self.notify("turn cancelled")
            if self.agent is not None:
                self.run_worker(self._finish_interrupted(), group="turn-end", exit_on_error=False)
            raise
        except Exception as error:  # the agent promises not to raise; if it does, stay up
            self.adapter.flush()
            self.notify(f"{type(error).__name__}: {error}", title="turn failed", severity="error")
        finally:
            chat.spinner.stop()
            chat.call_later(chat.transcript.end_segment)  # after the text still queued for the chat screen

    async def _finish_interrupted(self) -> None:
        """What the cancelled turn left pending is offered for review, then committed."""
        if self.agent is not None:
            await self.agent.finish_interrupted()

    def action_cancel_turn(self) -> None:
        if self.turn_running and self._turn is not None:
            self._turn.cancel()

    def action_interrupt(self) -> None:
        """Ctrl+C: cancel the turn; else clear the prompt; else arm, and a second one quits."""
        if self.turn_running:
            self.action_cancel_turn()
            return
        if not isinstance(self.screen, ChatScreen):
            return
        prompt = self.chat.prompt
        if prompt.text:
            prompt.clear()
            return
        if self._quit_armed:
            self.exit()
            return
        self._quit_armed = True
        self.notify("press Ctrl+C again to quit", timeout=3)

    def call_attention(self, text: str) -> None:
        """A question waits: ring the bell, and notify where the terminal can (`[ui] notify`)."""
        write = self.terminal_writer()
        if write is not None:
            call_attention(text, self._notify, os.environ, write)

    def terminal_writer(self) -> Callable[[str], None] | None:
        """Raw writes to the terminal (as Textual's own `bell` does); None when headless."""
        driver = self._driver
        return None if driver is None or self.is_headless else driver.write

    # --- the command palette --------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self, self.custom_commands)

    def run_slash(self, line: str) -> None:
        """`/command …` typed or picked: run in a worker (the commands load with the first one)."""
        from hunk.tui.slash import run_slash

        self.run_worker(run_slash(self, line), group="slash", exit_on_error=False)


def _custom_commands(extensions: Extensions | None) -> tuple[SlashCommand, ...]:
    rows = extensions.named() if extensions is not None else []
    return tuple(SlashCommand(name, usage, about) for name, usage, about in rows)


def create_app(
    *,
    agent_factory: AgentFactory,
    repo_label: str,
    branch: str,
    model: str,
    mode: str,
    root: Path | str | None = None,
    build_in_thread: bool = True,
    warm_up: Callable[[], None] | None = None,
    sandbox: str | None = None,
    notify: str = "auto",
    earlier_prompts: Sequence[str] = (),
    extensions: Extensions | None = None,
    mcp: McpManager | None = None,
    load_extras: ExtrasLoader | None = None,
) -> HunkApp:
    """The TUI over one agent. `agent_factory(approver, sink)` is called once, after the first
    paint (in a thread unless `build_in_thread=False`); its errors become a notice. `warm_up`
    (e.g. `hunk.providers.warm_up`) runs in a thread after the first paint; so do the `mcp`
    servers start, in the background. `load_extras` (instead of `extensions` and `mcp`) finds
    them in a thread after the first paint; an error it raises ends the app as `startup_error`.
    `sandbox`: the sandbox's label for the first screen
    ("sandbox: workspace-write"); None says there is none."""
    return HunkApp(
        agent_factory=agent_factory,
        repo_label=repo_label,
        branch=branch,
        model=model,
        mode=mode,
        root=Path(root) if root is not None else None,
        build_in_thread=build_in_thread,
        warm_up=warm_up,
        sandbox=sandbox,
        notify=notify,
        earlier_prompts=earlier_prompts,
        extensions=extensions,
        mcp=mcp,
        load_extras=load_extras,
    )
