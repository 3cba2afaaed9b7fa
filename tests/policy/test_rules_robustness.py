"""Whatever text arrives, judging it gives a verdict and never raises."""

from __future__ import annotations

from pathlib import Path

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
