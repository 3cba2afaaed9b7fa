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
