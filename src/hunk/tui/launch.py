"""Starting the TUI over a fully built agent (the TUI itself lives in `hunk.tui`)."""

from __future__ import annotations

import os
from pathlib import Path

from hunk.agent.approval import Approver
from hunk.settings.config import Config
from hunk.values.events import EventSink, SessionStarted
from hunk.journal.journal import Journal
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
    from hunk.providers import warm_up
    from hunk.agent.assemble import RunSpec, build_agent, make_provider
    from hunk.tui.app import create_app
    from hunk.workspace.git import branch_name, open_repo

    from hunk.extensions.loading import load_extensions
    from hunk.tui.completion import SLASH_COMMANDS

    env = dict(os.environ)
    model_label = model or config.model
    extensions = load_extensions(config, root, env, reserved=[c.name for c in SLASH_COMMANDS])
    spec = RunSpec(
        root=root, config=config, mode=mode, cwd=Path.cwd(), journal=journal, history=history, on_interrupt="review",
        env=env, extensions=extensions,
    )

    def factory(approver: Approver, sink: EventSink):  # type: ignore[no-untyped-def]
        provider = make_provider(config, env, model_label)
        agent = build_agent(spec, approver, sink, provider=provider)
        journal.append(SESSION, model=agent.model_label, repo=str(root), mode=mode)
        sink(SessionStarted(agent.model_label, str(root), mode, resumed=bool(history)))
        return agent

    branch = branch_name(open_repo(root)) or "(detached)"
    app = create_app(
        agent_factory=factory, repo_label=root.name, branch=branch, model=model_label, mode=mode, root=root,
        warm_up=lambda: warm_up(model_label), extensions=extensions,
    )
    app.run()
    return int(app.return_code or 0)
