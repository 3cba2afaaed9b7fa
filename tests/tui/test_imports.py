"""The prompt must not wait for a provider SDK: building the app imports none."""

from __future__ import annotations

import subprocess
import sys


def test_creating_the_app_imports_no_provider_sdk() -> None:
    code = (
        "import sys\n"
        "from hunk.tui.app import create_app\n"
        "create_app(agent_factory=lambda a, s: None, repo_label='r', branch='main', model='anthropic:x', mode='ask')\n"
        "print(sorted(m for m in ('anthropic', 'openai', 'httpx') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_first_screen_waits_for_none_of_what_later_screens_need() -> None:
    """Up to the first paint (the CLI's modules, launch, the app), nothing that only a reply, a
    question or a git operation needs: Markdown's parser, the highlighter, the review screens,
    GitPython, urllib; nor the agent, its events and questions, the extensions or MCP (they
    load in a thread once the prompt is on screen)."""
    code = (
        "import sys\n"
        "import hunk.cli, hunk.cli.commands, hunk.cli.demo, hunk.tui.launch\n"
        "from hunk.tui.app import create_app\n"
        "create_app(agent_factory=lambda a, s: None, repo_label='r', branch='main', model='anthropic:x', mode='ask')\n"
        "late = ('markdown_it', 'pygments', 'git', 'urllib.request', 'hunk.tui.screens.review',\n"
        "        'hunk.tui.screens.change', 'hunk.tui.screens.commit', 'hunk.tui.widgets.diff_view',\n"
        "        'hunk.agent.session', 'hunk.agent.approval', 'hunk.values.events', 'hunk.extensions.loading',\n"
        "        'hunk.extensions.mcp', 'hunk.tui.slash', 'hunk.tui.mcp')\n"
        "print(sorted(m for m in late if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
