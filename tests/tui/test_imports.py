"""The prompt must not wait for a provider SDK: building the app imports none."""

from __future__ import annotations

import ast
import subprocess
import sys

CREATE_APP = (
    "from hunk.tui.app import create_app\n"
    "create_app(agent_factory=lambda a, s: None, repo_label='r', branch='main', model='anthropic:x', mode='ask')\n"
)


def _loaded(modules: tuple[str, ...], *, first: str = "") -> list[str]:
    """Which of `modules` a fresh Python holds after running `first` and building the app."""
    code = f"import sys\n{first}{CREATE_APP}print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(result.stdout)


def test_creating_the_app_imports_no_provider_sdk() -> None:
    assert _loaded(("anthropic", "openai", "httpx")) == []


def test_the_first_screen_waits_for_none_of_what_later_screens_need() -> None:
    """Up to the first paint (the CLI's modules, launch, the app), nothing that only a reply, a
    question or a git operation needs: Markdown's parser, the highlighter, the review screens,
    GitPython, urllib; nor the agent, its events and questions, the extensions or MCP (they
    load in a thread once the prompt is on screen)."""
    late = (
        "markdown_it", "pygments", "git", "urllib.request", "hunk.tui.screens.review",
        "hunk.tui.screens.change", "hunk.tui.screens.commit", "hunk.tui.widgets.diff_view",
        "hunk.agent.session", "hunk.agent.approval", "hunk.values.events", "hunk.extensions.loading",
        "hunk.extensions.mcp", "hunk.tui.slash", "hunk.tui.mcp",
    )
    assert _loaded(late, first="import hunk.cli, hunk.cli.commands, hunk.cli.demo, hunk.tui.launch\n") == []
