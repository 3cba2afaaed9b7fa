"""What a verdict says, remembered commands, and the symlink that leaves the repository."""

from __future__ import annotations

import os
from pathlib import Path

from hunk.policy.commands import CommandRules, Danger, parts_of


def test_deny_reason_names_the_rule_and_the_part(repo: Path) -> None:
    verdict = CommandRules(deny=["git commit *"]).judge("git add . && git commit -m x", repo)
    assert verdict.outcome == "deny"
    assert verdict.reason == 'denied by the rule "git commit *" in the configuration: git commit -m x'


def test_push_refusal_tells_the_model_why_and_what_to_do(repo: Path) -> None:
    verdict = CommandRules(allow=["git push *"]).judge("git push origin main", repo)
    assert verdict.outcome == "deny"  # no allow pattern lifts a built-in refusal
    assert verdict.reason.startswith("refused: hunk never pushes (git push origin main)")


def test_outside_refusal_shows_the_resolved_path(repo: Path) -> None:
    verdict = CommandRules().judge("cd .. && rm notes.txt", repo)
    assert verdict.outcome == "deny"
    assert f"would change {repo.parent}/notes.txt" in verdict.reason


def test_ask_reason_names_the_danger_and_the_first_unallowed_part(repo: Path) -> None:
    verdict = CommandRules(allow=["pytest *"]).judge("pytest && npm install left-pad", repo)
    assert verdict.outcome == "ask"
    assert verdict.danger == Danger.NETWORK
    assert verdict.reason == "network, and no allow rule matches: npm install left-pad"


def test_allow_reason_lists_the_rules_used(repo: Path) -> None:
    verdict = CommandRules(allow=["pytest *", "npm run *"]).judge("npm run lint && pytest", repo)
    assert (verdict.outcome, verdict.reason) == ("allow", 'allowed by rule "npm run *", "pytest *"')


def test_remembered_command_is_allowed_word_for_word_only(repo: Path) -> None:
    rules = CommandRules().allowing("make  install")
    assert rules.judge("make install", repo).outcome == "allow"
    assert rules.judge("make install PREFIX=/x", repo).outcome == "ask"
    assert CommandRules().judge("make install", repo).outcome == "ask"


def test_remembering_does_not_lift_refusals_or_deny_rules(repo: Path) -> None:
    rules = CommandRules(deny=["make *"]).allowing("git push").allowing("make install")
    assert rules.judge("git push", repo).outcome == "deny"
    assert rules.judge("make install", repo).outcome == "deny"


def test_deny_pattern_still_applies_to_a_command_that_cannot_be_parsed(repo: Path) -> None:
    verdict = CommandRules(deny=["rm -rf *"]).judge("rm -rf 'build", repo)
    assert verdict.outcome == "deny"


def test_write_through_a_symlink_that_leaves_the_repository_is_refused(
    repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, repo / "link")
    assert CommandRules().judge("echo x > link/file.txt", repo).outcome == "deny"
    assert CommandRules().judge("echo x > inside.txt", repo).outcome == "ask"


def test_absolute_path_inside_the_repository_is_inside(repo: Path) -> None:
    verdict = CommandRules().judge(f"echo x > {repo}/notes.txt", repo)
    assert (verdict.outcome, verdict.danger) == ("ask", Danger.WRITES)


def test_parts_reach_into_substitutions_and_shells(repo: Path) -> None:
    parts = parts_of("echo $(git rev-parse HEAD) && bash -c 'ls | wc -l'", repo)
    assert sorted(p.text for p in parts) == [
        "bash -c ls | wc -l", "echo $(…)", "git rev-parse HEAD", "ls", "wc -l"
    ]


def test_deeply_nested_substitutions_count_as_unparsable(repo: Path) -> None:
    command = "echo " + "$(echo " * 12 + "x" + ")" * 12
    verdict = CommandRules().judge(command, repo)
    assert (verdict.outcome, verdict.danger) == ("ask", Danger.DESTRUCTIVE)
