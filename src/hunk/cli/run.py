"""`hunk run` (and `hunk init`): one prompt, printed or as JSON events, then an exit code a script can use."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hunk.agent.approval import Approver, PolicyApprover
from hunk.cli.context import context, hold_repository, open_session
from hunk.journal.lock import stamp_owner
from hunk.cli.exits import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_REJECTED, UsageError
from hunk.cli.flags import opt
from hunk.values.events import EventSink, Notice
from hunk.headless.terminal import terminal_approver
from hunk.journal.records import SESSION
from hunk.settings.secrets import secret_values

if TYPE_CHECKING:
    from hunk.agent.loop import TurnOutcome
    from hunk.extensions.loading import Extensions, Invocation


def read_prompt(args: argparse.Namespace, stdin: TextIO) -> str:
    words = opt(args, "prompt") or []
    path = opt(args, "file")
    if path:
        try:
            prompt = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read the prompt file {path}: {exc.strerror}") from None
    elif words:
        prompt = " ".join(words)
    elif not stdin.isatty():
        prompt = stdin.read()
    else:
        prompt = ""
    if not prompt.strip():
        raise UsageError('no prompt: give one as `hunk run "…"`, with -f FILE, or on stdin')
    return prompt


def init_prompt() -> str:
    """`hunk init`'s prompt: a starter AGENTS.md, and the checks hunk detected for `.hunk.toml`
    (the model writes them; the person reviews them like any change)."""
    from hunk.cli.context import find_root
    from hunk.settings.detect import checks_table, detect_checks
    from hunk.settings.prompts import render

    found = detect_checks(find_root(Path.cwd()))
    if not found:
        return render("init")
    print("hunk init: detected checks: " + "; ".join(found), file=sys.stderr)
    return render("init") + "\n" + render("init_checks", table=checks_table(found))


def approver_for(mode: str, no_terminal: str) -> Approver:
    """The policy in auto mode, and in plan mode (which changes nothing, asks nothing and keeps
    the plan); otherwise questions on the terminal, or UsageError(no_terminal)."""
    if mode in ("auto", "plan"):
        return PolicyApprover()
    approver = terminal_approver()
    if approver is None:
        raise UsageError(no_terminal)
    return approver


def expand_command(prompt: str, extensions: Extensions) -> Invocation | None:
    """`hunk run "/name args"`: the custom command or skill it names; UsageError for a name
    that is neither; None for a prompt that is not a slash command."""
    from hunk.extensions.slash_commands import split_invocation

    split = split_invocation(prompt)
    if split is None:
        return None
    invocation = extensions.invoke(prompt)
    if invocation is None:
        known = ", ".join(f"/{name}" for name, _, _ in extensions.named()) or "none here"
        raise UsageError(f"no custom command or skill named /{split[0]} (known: {known})")
    return invocation


def run_oneshot(args: argparse.Namespace) -> int:
    from hunk.headless.printer import JsonWriter, Printer
    from hunk.agent.assemble import RunSpec, announce, build_agent
    from hunk.extensions.loading import load_extensions
    from hunk.extensions.mcp import mcp_servers

    prompt = read_prompt(args, sys.stdin)
    ctx = context(args)
    extensions = load_extensions(ctx.config, ctx.root, os.environ)
    invocation = expand_command(prompt, extensions)
    mode = ctx.config.approval or "review"
    approver = approver_for(mode, f"--approval {mode} needs a terminal to ask you; pass --yes to accept everything")
    hold_repository(ctx.store, "start")
    journal, resumed = open_session(args, ctx.store)
    stamp_owner(ctx.store, journal.session_id)
    sink: EventSink
    if opt(args, "json"):
        sink = JsonWriter(journal.session_id, secrets=secret_values(ctx.config, os.environ))
    else:
        sink = Printer(show_diffs=mode == "auto", quiet=bool(opt(args, "quiet")))
    env = dict(os.environ)
    mcp = mcp_servers(ctx.root, ctx.config, env, journal)
    spec = RunSpec(
        root=ctx.root, config=ctx.config, mode=mode, cwd=Path.cwd(), journal=journal, history=list(resumed.history), resumed=resumed,
        env=env, extensions=extensions, mcp=mcp,
    )
    agent = build_agent(spec, approver, sink)
    journal.append(SESSION, model=agent.model_label, repo=str(ctx.root), mode=mode)
    announce(agent, sink, ctx.root, mode, resumed=bool(resumed.history))

    async def one_turn() -> TurnOutcome:
        if mcp is not None:
            mcp.start_background()  # one prompt, no screen to paint: the servers' tools join its first request
            await mcp.wait_started()
            for line in mcp.problems():
                sink(Notice(line))
        try:
            if invocation is None:
                return await agent.run_turn(prompt)
            return await agent.run_turn(invocation.prompt, model=invocation.model, tools=invocation.tools())
        finally:
            if mcp is not None:
                await mcp.aclose()

    try:
        outcome = asyncio.run(one_turn())
    except KeyboardInterrupt:
        print("hunk: interrupted; unaccepted changes were put back", file=sys.stderr)
        return EXIT_INTERRUPTED
    if outcome.status == "failed":
        return EXIT_FAILED
    return EXIT_REJECTED if outcome.rejected else EXIT_OK
