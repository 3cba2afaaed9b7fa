"""Whatever text arrives, judging it gives a verdict and never raises."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hunk.policy.commands import CommandRules, Danger, classify

SHELL_BITS = st.sampled_from(
    ["ls", "rm", "-rf", "/", "git", "push", "'", '"', "$(", ")", "`", "&&", "|", ";", "\n",
     ">", "<<", "EOF", "\\", "bash", "-c", "sudo", "env", "X=1", "xargs", "{", "}", "#", " "]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(SHELL_BITS, max_size=20).map(" ".join)))
def test_any_text_gets_a_verdict(command: str) -> None:
    verdict = CommandRules(allow=["ls *"], deny=["rm -rf *"]).judge(command, Path("/nonexistent/repo"))
    assert verdict.outcome in ("allow", "ask", "deny")
    assert verdict.danger in set(Danger)
    assert classify(command) in set(Danger)


@pytest.mark.parametrize("command", [">\x00", "rm \x00", "cd \x00 && ls", "cat a\x00b"])
def test_a_nul_byte_is_unparseable_and_so_destructive(repo: Path, command: str) -> None:
    """Found by the property above: `>\\x00` raised `ValueError: embedded null byte`."""
    verdict = CommandRules().judge(command, repo)
    assert verdict.outcome == "ask" and "NUL byte" in verdict.reason
