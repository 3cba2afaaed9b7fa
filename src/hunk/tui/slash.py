"""The slash commands: /help /model /approval /plan /undo /diff /clear /compact /cost /mcp /quit
(and a server's prompts, /mcp__SERVER__PROMPT)."""

from __future__ import annotations

import asyncio
import os
from typing import Any, Protocol

from rich.text import Text

from hunk.settings.config import APPROVAL_MODES
from hunk.agent.session import AgentSession
from hunk.extensions.mcp import McpManager
from hunk.tui.completion import SLASH_COMMANDS, SlashCommand
from hunk.tui.mcp import run_mcp_slash
from hunk.tui.screens.chat import ChatScreen
from hunk.tui.widgets.status_bar import tokens


class SlashHost(Protocol):
    """What a slash command may use of the app that runs it."""

    agent: AgentSession | None
    mcp: McpManager | None  # the session's MCP servers, if any are configured
    custom_commands: tuple[SlashCommand, ...]  # the repository's and the person's commands and skills

    @property
    def chat(self) -> ChatScreen: ...
    @property
    def turn_running(self) -> bool: ...
    async def agent_ready(self) -> AgentSession | None: ...
    async def begin_turn(self, text: str) -> None: ...
    async def start_model(self, spec: str) -> AgentSession | None: ...
    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None) -> None: ...
    def exit(self) -> None: ...
    def start_turn(self, prompt: str, files: list[str]) -> None: ...
    async def start_custom(self, line: str) -> bool:
        """Run a custom command or skill as a turn; False when `line` names neither."""
    async def push_screen_wait(self, screen: Any) -> Any: ...


KEYS_HELP = (
    "Enter sends · Shift+Enter or Ctrl+J new line · Up/Down history · @path attaches a file\n"
    "Esc or Ctrl+C cancels a running turn · Ctrl+C twice on an idle prompt quits · "
    "Ctrl+P command palette · Shift+Tab cycles ask → plan → review → auto\n"
    "Reviewing: a/y accept · r/n reject · j/k ↓/↑ line (then next hunk) · space/b page · "
    "Ctrl+D/Ctrl+U half page · Home/End hunk start/end · ]/[ next/previous hunk · "
    "tab/shift+tab file · u next undecided · o whole hunk in $EDITOR · w the model's words · "
    "A/R rest of file · "
    "! accept all · c note · e edit in $EDITOR · s split view · q finish"
)

BUSY_SAFE = {"help", "diff", "cost", "quit"}


def help_text(custom: tuple[SlashCommand, ...] = ()) -> Text:
    text = Text()
    for command in SLASH_COMMANDS:
        text.append(f"{command.usage:<28}", style="bold")
        text.append(command.help + "\n")
    if custom:
        text.append("\nThis repository's and your own commands and skills:\n", style="dim")
    for command in custom:
        text.append(f"{command.usage:<28}", style="bold")
        text.append(command.help + "\n")
    text.append("\n" + KEYS_HELP, style="dim")
    return text


def cost_text(app: SlashHost) -> str:
    agent = app.agent
    if agent is None:
        return "no model yet"
    usage = agent.session_usage
    cost = agent.session_cost_usd
    money = f"${cost:.4f}" if cost is not None else "cost unknown for this model"
    return (
        f"session: {tokens(usage.prompt_tokens)} in ({tokens(usage.cache_read_tokens)} cache reads, "
        f"{tokens(usage.cache_write_tokens)} cache writes), {tokens(usage.output_tokens)} out — {money}"
    )


async def set_mode(app: SlashHost, mode: str) -> None:
    """Switch the agent's approval mode (between turns), and show it."""
    agent = await app.agent_ready()
    if agent is None:
        return
    agent.mode = mode
    app.chat.set_status(mode=mode)
    await app.chat.transcript.add_line(f"approval mode: {mode}")


async def run_slash(app: SlashHost, line: str) -> None:
    """Run one slash command line; every outcome is a line in the transcript or a notice, a
    command's own failure included (it runs in a worker that would otherwise fail silently)."""
    try:
        await _run_slash(app, line)
    except Exception as error:  # noqa: BLE001 - say it in one line; the session goes on
        name = line.strip().removeprefix("/").partition(" ")[0]
        app.notify(f"{type(error).__name__}: {error}", title=f"/{name} failed", severity="error", timeout=10)


async def _run_slash(app: SlashHost, line: str) -> None:
    name, _, argument = line.strip().removeprefix("/").partition(" ")
    argument = argument.strip()
    chat = app.chat
    if name == "mcp" or name.startswith("mcp__"):
        if name != "mcp" and app.turn_running:
            app.notify(f"/{name} waits for the turn to finish (esc cancels it)", severity="warning")
            return
        await run_mcp_slash(app, name, argument)
        return
    known = {c.name for c in SLASH_COMMANDS}
    if name not in known:
        if not await app.start_custom(line):
            app.notify(f"unknown command /{name} — /help lists them", severity="warning")
        return
    if name == "help":
        await chat.transcript.add_line(help_text(app.custom_commands))
        return
    if name == "quit":
        app.exit()
        return
    if app.turn_running and name not in BUSY_SAFE:
        app.notify(f"/{name} waits for the turn to finish (esc cancels it)", severity="warning")
        if not chat.prompt.text.strip():  # nothing lost: Enter again once the turn is done
            chat.prompt.area.load_text(line)
        return
    if name == "model":
        await switch_model(app, argument)
        return
    agent = await app.agent_ready()
    if agent is None:
        return
    if name == "cost":
        await chat.transcript.add_line(cost_text(app))
    elif name == "diff":
        await chat.transcript.add_diff(await asyncio.to_thread(agent.session_diff))
    elif name == "undo":
        await chat.transcript.add_line(await agent.undo())
    elif name == "compact":
        before = len(agent.history)
        done = await agent.compact()
        after = len(agent.history)
        said = f"compacted: {before} messages → {after}" if done else "nothing to compact yet"
        await chat.transcript.add_line(said)
    elif name in ("rewind", "fork"):
        await _rewind(app, agent, name, argument)
    elif name == "redo":
        await _show_moved(app, agent, await agent.redo())
    elif name == "clear":
        agent.clear()
        await chat.transcript.clear()
        app.notify("new conversation")
    elif name == "approval":
        if argument not in APPROVAL_MODES:
            app.notify(f"/approval takes one of: {', '.join(APPROVAL_MODES)}", severity="warning")
            return
        await set_mode(app, argument)
    elif name == "plan":
        await set_mode(app, "plan")
        if argument:
            await app.begin_turn(argument)


async def _rewind(app: SlashHost, agent: AgentSession, name: str, argument: str) -> None:
    """`/rewind [N]` and `/fork [N]`: a picker of the turns unless N is given."""
    from hunk.tui.screens.rewind import RewindChoice, RewindScreen  # with the first /rewind

    turns = await asyncio.to_thread(agent.turn_log)
    if not turns:
        app.notify("no turns to go back to yet", severity="warning")
        return
    if argument.isdigit():
        choice: RewindChoice | None = RewindChoice(int(argument), "fork" if name == "fork" else "both")
    else:
        choice = await app.push_screen_wait(RewindScreen(turns))
        if choice is not None and name == "fork":
            choice = RewindChoice(choice.turn, "fork")
    if choice is None:
        return
    if choice.action == "fork":
        said = await agent.fork(choice.turn)
    else:
        said = await agent.rewind(choice.turn, code=choice.action != "conversation", conversation=choice.action != "code")
    await _show_moved(app, agent, said)


async def _show_moved(app: SlashHost, agent: AgentSession, said: str) -> None:
    """After a rewind, redo or fork the transcript shows the conversation the agent goes on with."""
    await app.chat.transcript.clear()
    await app.chat.transcript.replay(agent.history)
    await app.chat.transcript.add_line(said)


async def switch_model(app: SlashHost, spec: str) -> None:
    """`/model PROVIDER:MODEL` switches without a restart — even when no model could start;
    `/model` alone picks from the models usable now."""
    chat = app.chat
    if not spec:
        from hunk.providers.available import usable_models
        from hunk.tui.screens.model_picker import ModelPicker

        usable = await asyncio.to_thread(usable_models, os.environ)
        if not usable:
            app.notify("no model is usable now: set a key or start a local server, then /model PROVIDER:MODEL", severity="warning")
            return
        picked = await app.push_screen_wait(ModelPicker(usable))
        if not picked:
            return
        spec = picked
    if ":" not in spec:
        app.notify("/model takes PROVIDER:MODEL, e.g. anthropic:claude-sonnet-4-5", severity="warning")
        return
    await app.agent_ready()
    agent = app.agent
    if agent is None:  # nothing started (no key): build the agent with this model now
        agent = await app.start_model(spec)
        if agent is None:
            return
    else:
        try:
            await asyncio.to_thread(agent.set_model, spec)
        except Exception as error:  # a bad name or a missing key: say so, keep the old model
            app.notify(str(error), title="model not changed", severity="error")
            return
    chat.set_status(model=spec, context_window=agent.context_window)
    await chat.transcript.add_line(f"model: {spec}")
