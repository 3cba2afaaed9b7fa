"""What importing a module loads: the CLI's fast path loads no SDK, and the core never loads a UI."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "hunk.values.conversation", "hunk.values.diffs", "hunk.values.events",
    "hunk.settings.config", "hunk.settings.prompts", "hunk.settings.instructions",
    "hunk.workspace.diff", "hunk.workspace.tree", "hunk.workspace.commits", "hunk.workspace.git",
    "hunk.providers", "hunk.providers.anthropic_messages", "hunk.providers.openai_chat",
    "hunk.providers.openai_responses", "hunk.providers.replay", "hunk.tools",
    "hunk.policy.commands", "hunk.policy.danger", "hunk.journal.journal", "hunk.journal.recovery",
    "hunk.journal.undo", "hunk.extensions", "hunk.agent.loop", "hunk.agent.approval",
    "hunk.agent.calls", "hunk.agent.changes", "hunk.agent.commit", "hunk.agent.context",
    "hunk.agent.limits", "hunk.agent.assemble", "hunk.headless.printer", "hunk.headless.review",
    "hunk.headless.terminal", "hunk.cli.run", "hunk.cli.commands",
]


def loaded_after(statement: str, names: tuple[str, ...]) -> list[str]:
    code = f"import sys; {statement}; print(' '.join(n for n in {names!r} if n in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_importing_the_cli_loads_no_sdk_no_git_and_no_ui() -> None:
    assert loaded_after("import hunk.cli", ("anthropic", "openai", "httpx2", "git", "textual", "rich")) == []


def test_hunk_version_answers_without_loading_an_sdk() -> None:
    code = "import sys, runpy\nsys.argv = ['hunk', '--version']\ntry:\n    runpy.run_module('hunk', run_name='__main__')\nexcept SystemExit:\n    pass\nprint('LOADED', [n for n in ('anthropic', 'openai', 'textual') if n in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("hunk ") and "LOADED []" in done.stdout


@pytest.mark.parametrize("module", CORE)
def test_core_modules_load_neither_textual_nor_rich(module: str) -> None:
    assert loaded_after(f"import {module}", ("textual", "rich")) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("replay:demo", []), ("anthropic:claude-haiku-4-5", ["anthropic"]), ("ollama:qwen2.5-coder", ["openai"])],
)
def test_warm_up_imports_only_the_sdk_the_model_needs(spec: str, expected: list[str]) -> None:
    loaded = loaded_after(f"from hunk.providers import warm_up; warm_up({spec!r})", ("anthropic", "openai"))
    assert loaded == expected
