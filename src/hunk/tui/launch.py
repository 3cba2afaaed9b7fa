"""Starting the TUI over a fully built agent (the TUI itself lives in `hunk.tui`)."""

from __future__ import annotations

import os
from pathlib import Path

from hunk.agent.approval import Approver
from hunk.settings.config import Config
from hunk.values.events import EventSink
from hunk.journal.journal import Journal
from hunk.journal.records import SessionView, fold
from hunk.values.conversation import Message
from hunk.journal.records import SESSION


def launch(
    root: Path,
    config: Config,
    journal: Journal,
    history: list[Message],
    *,
    mode: str,
    model: str | None = None,
) -> int:
    from hunk.tui.app import create_app
    from hunk.workspace.git import branch_name  # git itself, not GitPython: before the first paint

    from hunk.extensions.loading import load_extensions
    from hunk.extensions.mcp import mcp_servers
    from hunk.tui.completion import SLASH_COMMANDS

    env = dict(os.environ)
    model_label = model or config.model
    extensions = load_extensions(config, root, env, reserved=[c.name for c in SLASH_COMMANDS])
    mcp = mcp_servers(root, config, env, journal)  # started by the app, after its first paint

    def factory(approver: Approver, sink: EventSink, model: str | None = None):  # type: ignore[no-untyped-def]
        # runs in a thread after the first paint: the agent's imports do not delay the prompt
        from hunk.agent.assemble import RunSpec, announce, build_agent, make_provider

        spec = RunSpec(
            root=root, config=config, mode=mode, cwd=Path.cwd(), journal=journal, history=history, on_interrupt="review",
            env=env, extensions=extensions, mcp=mcp,
        )
        provider = make_provider(config, env, model or model_label)
        agent = build_agent(spec, approver, sink, provider=provider)
        journal.append(SESSION, model=agent.model_label, repo=str(root), mode=mode)
        announce(agent, sink, root, mode, resumed=bool(history))
        return agent

    def warm_up() -> None:
        from hunk.providers import warm_up as warm_the_sdk

        warm_the_sdk(model_label)

    branch = branch_name(root) or "(detached)"
    app = create_app(
        agent_factory=factory, repo_label=root.name, branch=branch, model=model_label, mode=mode, root=root,
        warm_up=warm_up, notify=config.ui.notify, extensions=extensions, mcp=mcp,
        earlier_prompts=[t.prompt for t in fold(journal.path).turn_log] if history else (),
    )
    app.run()
    print(quit_summary(fold(journal.path)))  # left in the terminal's scrollback
    return int(app.return_code or 0)


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
