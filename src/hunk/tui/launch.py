"""Starting the TUI over a fully built agent (the TUI itself lives in `hunk.tui`)."""

from __future__ import annotations

import os
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from hunk.journal.records import SESSION, Resumed, SessionView, fold
from hunk.settings.config import Config

if TYPE_CHECKING:  # the agent, its events and the extensions load after the first paint
    from hunk.agent.approval import Approver
    from hunk.extensions.loading import Extensions
    from hunk.extensions.mcp import McpManager
    from hunk.journal.journal import Journal
    from hunk.values.events import EventSink


def launch(
    root: Path,
    config: Config,
    journal: Journal,
    resumed: Resumed,
    *,
    mode: str,
    model: str | None = None,
    prepare: Callable[[], None] | None = None,
    branch: str | None = None,
) -> int:
    """The TUI until the person quits. `prepare` runs in a thread after the first paint, before
    the extensions are found and the agent is built (`hunk demo` makes its repository there, so
    it names the `branch` to show until then).
    `resumed` is the session as its journal was opened (read once, by the CLI)."""
    from hunk.tui.app import create_app

    env = dict(os.environ)
    model_label = model or config.model
    loaded: dict[str, Extensions | McpManager | None] = {}

    def load_extras() -> tuple[Extensions, McpManager | None]:
        # after the first paint, in a thread: hooks, commands, skills and the MCP servers (started
        # by the app); what cannot be read ends the app, and `launch` raises it as before
        from hunk.extensions.loading import load_extensions
        from hunk.extensions.mcp import mcp_servers
        from hunk.tui.completion import SLASH_COMMANDS

        if prepare is not None:
            prepare()
        extensions = load_extensions(config, root, env, reserved=[c.name for c in SLASH_COMMANDS])
        mcp = mcp_servers(root, config, env, journal)
        loaded.update(extensions=extensions, mcp=mcp)
        return extensions, mcp

    def factory(approver: Approver, sink: EventSink, model: str | None = None):  # type: ignore[no-untyped-def]
        # runs in a thread after the first paint and `load_extras`: the agent's imports do not delay the prompt
        from hunk.agent.assemble import RunSpec, announce, build_agent, make_provider

        spec = RunSpec(
            root=root, config=config, mode=mode, cwd=Path.cwd(), journal=journal, history=list(resumed.history), resumed=resumed, on_interrupt="review",
            env=env, extensions=loaded.get("extensions"), mcp=loaded.get("mcp"),  # type: ignore[arg-type]
        )
        provider = make_provider(config, env, model or model_label)
        agent = build_agent(spec, approver, sink, provider=provider)
        journal.append(SESSION, model=agent.model_label, repo=str(root), mode=mode)
        announce(agent, sink, root, mode, resumed=bool(resumed.history))
        return agent

    def warm_up() -> None:
        from hunk.providers import warm_up as warm_the_sdk

        warm_the_sdk(model_label)

    branch = branch or _branch(root) or "(detached)"
    app = create_app(
        agent_factory=factory, repo_label=root.name, branch=branch, model=model_label, mode=mode, root=root,
        warm_up=warm_up, notify=config.ui.notify, load_extras=load_extras,
        earlier_prompts=resumed.prompts if resumed.history else (),
    )
    app.run()
    if app.startup_error is not None:
        raise app.startup_error
    print(quit_summary(fold(journal.path)))  # left in the terminal's scrollback
    return int(app.return_code or 0)


def _branch(root: Path) -> str | None:
    """HEAD's branch for the header, from the file when it can (no git process before the first
    paint), else from git itself (not GitPython)."""
    from hunk.workspace.head import head_branch

    try:
        return head_branch(root)
    except LookupError:
        from hunk.workspace.git import branch_name

        return branch_name(root)


def quit_summary(view: SessionView) -> str:
    """What a person sees in their terminal after leaving: the session, its commits, its cost,
    and how to come back to it."""
    commits = view.live_commits
    cost = "cost unknown" if view.cost_usd is None else f"${view.cost_usd:.4f}"
    lines = [f"hunk session {view.id}: {len(commits)} commit{'s' if len(commits) != 1 else ''}, {cost}"]
    lines += [f"  {c.sha[:10]} {c.subject}" for c in commits[-5:]]
    if len(commits) > 5:
        lines.insert(1, f"  … and {len(commits) - 5} earlier")
    lines.append(f"continue with: hunk -c   (or hunk --resume {view.id})")
    return "\n".join(lines)
