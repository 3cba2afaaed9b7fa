"""The two promises at the content level, with many examples: review → apply → carry over.

For random user edits (staged and unstaged), random agent edits and random verdicts, the bytes
the engine computes for the working tree, the commit and the index are exactly the user's state
plus the accepted hunks. `test_promises_git.py` checks the same against real git.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import rebase_entry
from hunk.workspace.diff import file_diff, split_lines
from hunk.workspace.merge import Unseparable, rebase_delta
from tests.workspace.scenarios import MODE, Scenario, decide, scenarios, text_files


@settings(max_examples=1000, deadline=None)
@given(scenarios())
def test_commit_index_and_tree_are_user_state_plus_accepted_hunks(scenario: Scenario) -> None:
    for index, text in enumerate(scenario.texts):
        accepted = scenario.accepted(index)
        worktree = text.build("worktree")
        if not text.agent_slots:
            assert text.build("agent") == worktree  # nothing for the agent to propose
            continue
        diff, result = decide(text.proposal, scenario.verdicts[index])
        assert len(diff.hunks) == len(text.agent_slots)
        assert result.after == text.build("worktree", accepted)
        final = (result.after, MODE)
        assert rebase_entry((text.build("head"), MODE), (worktree, MODE), final) == (
            text.build("head", accepted),
            MODE,
        )
        assert rebase_entry((text.build("staged"), MODE), (worktree, MODE), final) == (
            text.build("staged", accepted),
            MODE,
        )
    for whole in scenario.wholes:
        _, result = decide(whole.proposal, whole.accepted)
        expected = whole.after if whole.accepted else whole.head
        assert result.after == expected
        assert rebase_delta(whole.head, whole.head, result.after) == expected


@settings(max_examples=300, deadline=None)
@given(text_files("f.txt"), st.data())
def test_accepting_some_hunks_then_the_rest_gives_the_agent_version(text, data) -> None:  # type: ignore[no-untyped-def]
    change = FileChange("f.txt", text.build("worktree"), text.build("agent"))
    diff = file_diff(change)
    flags = data.draw(st.lists(st.booleans(), min_size=len(diff.hunks), max_size=len(diff.hunks)))
    if not diff.hunks:
        return
    _, first = decide(change, tuple(flags))
    rest = FileChange("f.txt", first.after, change.after)
    _, second = decide(rest, True)
    assert second.after == change.after
    _, nothing = decide(change, False)
    assert nothing.after == change.before


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=60), st.binary(max_size=60))
def test_any_bytes_round_trip_when_all_accepted_or_all_rejected(
    before: bytes, after: bytes
) -> None:
    change = FileChange("b", before, after)
    diff = file_diff(change)
    for flag, expected in ((True, after), (False, before)):
        verdicts = (flag,) * diff.decision_count
        assert decide(change, verdicts)[1].after == expected


@settings(max_examples=200, deadline=None)
@given(text_files("f.txt"))
def test_overlapping_user_and_agent_edits_are_never_merged_silently(text) -> None:  # type: ignore[no-untyped-def]
    # The agent rewrites every slot the user touched: any carry-over onto HEAD either refuses
    # or yields exactly HEAD's text outside those slots plus the agent's text inside them.
    user = text.build("worktree")
    agent = user + b"tail added by the agent\n"
    try:
        merged = rebase_delta(text.build("head"), user, agent)
    except Unseparable:
        return
    assert merged is not None and merged.endswith(b"tail added by the agent\n")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"a\n", b"b\n", b"c\r\n", b"\n", b"d"]), max_size=30),
    st.lists(st.sampled_from([b"a\n", b"b\n", b"c\r\n", b"\n", b"e\n"]), max_size=30),
    st.integers(0, 4),
)
def test_hunks_match_both_sides_and_stay_apart(
    old: list[bytes], new: list[bytes], context: int
) -> None:
    before, after = b"".join(old), b"".join(new)
    diff = file_diff(FileChange("f", before, after), context=context)
    old_lines, new_lines = split_lines(before), split_lines(after)
    previous_end = None
    for hunk in diff.hunks:
        start = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        source = old_lines[start : start + hunk.source_length]
        target_start = hunk.target_start - 1 if hunk.target_length else hunk.target_start
        target = new_lines[target_start : target_start + hunk.target_length]
        shown_source = [line[1:] for line in hunk.lines if line[:1] in " -"]
        shown_target = [line[1:] for line in hunk.lines if line[:1] in " +"]
        assert shown_source == [
            line.rstrip(b"\n").decode("utf-8", "surrogateescape") for line in source
        ]
        assert shown_target == [
            line.rstrip(b"\n").decode("utf-8", "surrogateescape") for line in target
        ]
        if previous_end is not None:
            assert start > previous_end  # otherwise they would be one hunk
        previous_end = start + hunk.source_length
