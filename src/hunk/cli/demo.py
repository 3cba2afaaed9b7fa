"""`hunk demo`: the whole flow on a sample repository, played by the replay provider."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from hunk.cli.flags import opt

DEMO_MODEL = "replay:demo"
DEMO_BRANCH = "main"
DEMO_PROMPT = "Make word counting ignore case and punctuation, and break ties alphabetically."
_IDENTITY = {
    "GIT_AUTHOR_NAME": "hunk demo",
    "GIT_AUTHOR_EMAIL": "demo@hunk.invalid",
    "GIT_COMMITTER_NAME": "hunk demo",
    "GIT_COMMITTER_EMAIL": "demo@hunk.invalid",
}


def prepare_repo(dest: Path) -> Path:
    """A fresh git repository holding the sample project, with one commit."""
    copy_sample(dest)
    commit_sample(dest)
    return dest


def copy_sample(dest: Path) -> Path:
    """The sample project's files, no repository yet: enough for the first screen."""
    from hunk.settings.resources import data_dir

    shutil.copytree(data_dir("demo") / "repo", dest)
    return dest


def commit_sample(dest: Path) -> None:
    """The sample's repository, on branch main, and its first commit (the TUI makes them after
    its first paint, before the agent: a git process less before the prompt shows)."""
    _git(dest, "init", "-q", "-b", DEMO_BRANCH)
    with (dest / ".git" / "config").open("a", encoding="utf-8") as config:  # one git less per setting
        config.write(f"[user]\n\tname = {_IDENTITY['GIT_AUTHOR_NAME']}\n\temail = {_IDENTITY['GIT_AUTHOR_EMAIL']}\n")
        config.write("[commit]\n\tgpgsign = false\n")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "Start the wordcount sample project")


def _git(dest: Path, *args: str) -> None:
    from hunk.workspace.git import run_git

    run_git(dest, *args, env=_IDENTITY)


def run_demo(args: argparse.Namespace) -> int:
    from hunk.settings.config import load_config
    from hunk.journal.journal import SessionStore

    workdir = Path(tempfile.mkdtemp(prefix="hunk-demo-"))
    root = copy_sample(workdir / "wordcount")
    env = {**os.environ, "XDG_STATE_HOME": str(workdir / "state")}
    mode = opt(args, "approval") or ("auto" if opt(args, "yes") else "ask")
    config = load_config(root, env, {"model": DEMO_MODEL, "approval": mode})
    journal = SessionStore(workdir / "state" / "hunk", root).create()
    try:
        if opt(args, "plain"):
            commit_sample(root)
            code = _plain(root, config, journal, mode)
        else:
            from hunk.journal.records import Resumed
            from hunk.tui.launch import launch

            os.chdir(root)
            code = launch(root, config, journal, Resumed(), mode=mode, model=DEMO_MODEL, prepare=lambda: commit_sample(root), branch=DEMO_BRANCH)
    finally:
        if opt(args, "keep"):
            print(f"the demo repository is kept at {root}", file=sys.stderr)
        else:
            os.chdir(workdir.parent)
            shutil.rmtree(workdir, ignore_errors=True)
    return code


def _plain(root: Path, config, journal, mode: str) -> int:  # type: ignore[no-untyped-def]
    import asyncio

    from hunk.headless.printer import Printer
    from hunk.cli.run import approver_for
    from hunk.agent.assemble import RunSpec, announce, build_agent
    from hunk.workspace.git import run_git

    approver = approver_for(mode, "the demo needs a terminal to ask you; try `hunk demo --plain --yes`")
    sink = Printer(show_diffs=mode == "auto")
    agent = build_agent(RunSpec(root=root, config=config, mode=mode, journal=journal), approver, sink)
    announce(agent, sink, root, mode)
    print(f"> {DEMO_PROMPT}", file=sys.stderr)
    outcome = asyncio.run(agent.run_turn(DEMO_PROMPT))
    log = run_git(root, "log", "--oneline", "-3").decode("utf-8", "replace")
    print(log, file=sys.stderr, end="")
    return 0 if outcome.status == "done" else 1
