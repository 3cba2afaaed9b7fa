"""`ChangeFlow` in detail: hunks the person edited (and edits that cannot apply), the notes,
what the announcement and the review carry, plan mode, a mode change, and the hooks that see a
change before the person does. A real repository in tmp_path and real hook scripts."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hunk.extensions.hook_config import HookSetup, HookSpec
from hunk.extensions.hook_points import HookPoints
from hunk.extensions.hooks import Hooks
from hunk.settings.prompts import message, render
from hunk.values.diffs import HunkVerdict
from hunk.values.events import ApprovalRequested, ChangeProposed, Event, Notice, ReviewDecided
from hunk.values.groups import group_hunks, hunk_group_ids
from hunk.workspace.changeset import FileChange, content_hash
from hunk.workspace.diff import file_diff
from tests.agent.test_change_flow import AFTER, BEFORE, MODE, Person, change, flow, journal_records, repo  # noqa: F401
from tests.gitrepo import git


# the second hunk of change(), as the person sees it
HUNK_2 = (" line 15", " line 16", " line 17", "-line 18", "+line eighteen", " line 19", " line 20")
HUNK_2_HEADER = "@@ -15,6 +15,6 @@ line 14"


async def test_a_hunk_the_person_edited_is_written_as_edited_and_the_model_reads_it(repo: Path) -> None:
    mine = (*HUNK_2[:4], "+line 18, as I want it", *HUNK_2[5:])
    changes = flow(repo, "ask", Person((True, HunkVerdict(True, edited=mine))), [])
    said = await changes.propose(change())
    assert (repo / "a.txt").read_bytes() == AFTER.replace(b"line eighteen\n", b"line 18, as I want it\n")
    assert said == "\n".join(
        [
            message("changes.applied_all", path="a.txt", hunks=2),
            message("changes.hunk_edited", number=2, path="a.txt", hunk="\n".join((HUNK_2_HEADER, *mine))),
        ]
    )


async def test_an_edited_hunk_that_cannot_apply_is_left_out_with_a_note_and_the_rest_written(repo: Path) -> None:
    events: list[Event] = []
    broken = HunkVerdict(True, edited=(" line 1 (changed)", "-line 2", "+line 2!", " line 3", " line 4", " line 5"))
    mine = (*HUNK_2[:4], "+line 18, as I want it", *HUNK_2[5:])
    changes = flow(repo, "ask", Person((broken, HunkVerdict(True, edited=mine))), events)
    said = await changes.propose(change())
    assert (repo / "a.txt").read_bytes() == BEFORE.replace(b"line 18\n", b"line 18, as I want it\n")
    dropped = message("changes.edit_dropped", number=1, problem=f"edited hunk 0 changes the line {' line 1 (changed)'!r}")
    assert said == "\n".join(
        [
            message("changes.applied_some", path="a.txt", accepted=1, total=2, notes=dropped),
            message("changes.hunk_edited", number=2, path="a.txt", hunk="\n".join((HUNK_2_HEADER, *mine))),
        ]
    )
    assert events[-1] == ReviewDecided("a.txt", 1, 1, dropped)


async def test_the_change_is_announced_whole_and_the_review_carries_its_check_marks(repo: Path) -> None:
    events: list[Event] = []
    person = Person((True, True))
    changes = flow(repo, "ask", person, events)
    changes.check_marks.update({"a.txt": {"ruff": True, "pytest": False}, "b.txt": {"ruff": False}})
    proposed = FileChange("a.txt", BEFORE, AFTER, MODE, MODE, "edit_file")
    await changes.propose(proposed)
    diff = file_diff(proposed)
    assert events[0] == ChangeProposed("a.txt", "modified", diff.text, 2, 2, "edit_file", hunk_group_ids(diff))
    assert events[1] == ApprovalRequested(kind="change")
    assert (person.asked[0].phase, person.asked[0].reason) == ("before_write", "")
    assert person.asked[0].checks == {"a.txt": {"ruff": True, "pytest": False}}
    assert journal_records(repo)[0]["source"] == "edit_file"


async def test_the_notes_reach_the_model_once_each(repo: Path) -> None:
    events: list[Event] = []
    changes = flow(repo, "ask", Person(("too long", "too long"), ("first", "second")), events)
    said = await changes.propose(change())
    assert said == message("changes.rejected_all", path="a.txt", notes="too long")
    said = await changes.propose(change())
    assert said == message("changes.rejected_all", path="a.txt", notes="first; second")
    assert events[-1] == ReviewDecided("a.txt", 0, 2, "first; second")
    assert (repo / "a.txt").read_bytes() == BEFORE


async def test_plan_mode_puts_back_what_a_command_changed(repo: Path) -> None:
    events: list[Event] = []
    changes = flow(repo, "plan", Person(), events)
    (repo / "a.txt").write_bytes(AFTER)
    (repo / "a.txt").chmod(0o755)
    (repo / "c.txt").write_bytes(b"new\n")
    said = await changes.side_effects([FileChange("a.txt", BEFORE, AFTER, MODE, 0o100755), change("c.txt", None, b"new\n")], "make gen")
    assert said == message("changes.plan_put_back", paths="a.txt, c.txt")
    assert (repo / "a.txt").read_bytes() == BEFORE and not (repo / "c.txt").exists()
    assert (repo / "a.txt").stat().st_mode & 0o777 == 0o644
    assert journal_records(repo)[2]["before"] == content_hash(AFTER)
    assert events == [Notice("plan mode: a command changed a.txt, c.txt; put back")]
    assert [(r["path"], r["source"]) for r in journal_records(repo)][2:] == [("a.txt", "rollback"), ("c.txt", "rollback")]
    assert changes.accepted_changes() == [] and changes.pending_changes() == []
    assert await changes.side_effects([change("b.txt", b"b\n", b"b\n")], "true") == ""
    assert len(events) == 1


async def test_ask_mode_rolls_back_a_rejected_mode_change(repo: Path) -> None:
    (repo / "a.txt").chmod(0o755)
    changes = flow(repo, "ask", Person((False,)), [])
    said = await changes.side_effects([FileChange("a.txt", BEFORE, BEFORE, MODE, 0o100755)], "chmod +x a.txt")
    assert (repo / "a.txt").stat().st_mode & 0o777 == 0o644
    assert said == message(
        "changes.side_effects_reviewed",
        command="chmod +x a.txt",
        outcomes=message("changes.rejected_all", path="a.txt", notes=message("changes.no_reason")),
    )
    assert git(repo, "status", "--porcelain") == "" and changes.accepted_changes() == []


def hooks(repo: Path, *specs: HookSpec) -> HookPoints:
    return HookPoints(Hooks(HookSetup(list(specs)), root=repo, env=dict(os.environ)))


REFUSE_B = HookSpec("ChangeProposed", "echo 'b.txt is generated' >&2; exit 2", matcher="b.txt")
CONTEXT = HookSpec("ChangeProposed", """echo '{"additionalContext": "run make lint next"}'""", matcher="a.txt")


async def test_a_change_proposed_hook_refuses_a_write_before_anyone_sees_it_or_adds_context(repo: Path) -> None:
    events: list[Event] = []
    person = Person((True, True))
    changes = flow(repo, "ask", person, events, hooks=hooks(repo, REFUSE_B, CONTEXT))
    said = await changes.propose(change("b.txt", b"b\n", b"B\n"))
    assert said == message("extensions.change_blocked", path="b.txt", reason="b.txt is generated")
    assert events == [Notice("a ChangeProposed hook refused the change to b.txt: b.txt is generated")]
    assert (repo / "b.txt").read_bytes() == b"b\n" and person.asked == [] and journal_records(repo) == []
    said = await changes.propose(change())
    context = message("extensions.hook_context", event="ChangeProposed", context="run make lint next")
    assert said == message("changes.applied_all", path="a.txt", hunks=2) + "\n\n" + context


async def test_a_change_proposed_hook_has_what_a_command_changed_put_back(repo: Path) -> None:
    events: list[Event] = []
    person = Person((True,))
    changes = flow(repo, "review", person, events, hooks=hooks(repo, REFUSE_B, CONTEXT))
    (repo / "a.txt").write_bytes(AFTER)
    (repo / "b.txt").write_bytes(b"B\n")
    said = await changes.side_effects([change(), change("b.txt", b"b\n", b"B\n")], "make gen")
    assert (repo / "b.txt").read_bytes() == b"b\n" and (repo / "a.txt").read_bytes() == AFTER
    assert said == "\n".join(
        [
            message("extensions.hook_context", event="ChangeProposed", context="run make lint next"),
            message("extensions.change_blocked", path="b.txt", reason="b.txt is generated"),
            message("changes.side_effects_pending", paths="a.txt"),
        ]
    )
    assert [(r["path"], r["source"]) for r in journal_records(repo)][2:] == [("b.txt", "rollback")]
    assert [c.path for c in changes.pending_changes()] == ["a.txt"]


async def test_hunks_decided_hooks_hear_each_files_verdicts(repo: Path, tmp_path: Path) -> None:
    heard = tmp_path / "heard.jsonl"
    decided = HookSpec("HunksDecided", f"cat >> {heard}; echo >> {heard}")
    changes = flow(repo, "ask", Person((True, "not 18")), [], hooks=hooks(repo, decided))
    await changes.propose(change())
    (record,) = [json.loads(line) for line in heard.read_text().splitlines() if line.strip()]
    assert (record["path"], record["accepted"], record["rejected"], record["notes"]) == ("a.txt", 1, 1, ["not 18"])


# the same change (call(old) → call(new)) in two places, and one change of its own
CALLS = b"".join((b"call(old)\n" if i in (2, 15) else b"line %d\n" % i) for i in range(1, 31))
CALLS_AFTER = CALLS.replace(b"call(old)", b"call(new)").replace(b"line 28\n", b"line twenty-eight\n")


def calls(repo: Path) -> FileChange:
    (repo / "calls.py").write_bytes(CALLS)
    git(repo, "add", "calls.py")
    git(repo, "commit", "-qm", "calls")
    return FileChange("calls.py", CALLS, CALLS_AFTER, MODE, MODE)


def group_id(proposed: FileChange) -> str:
    (group,) = group_hunks([file_diff(proposed)])
    return group.id


async def test_hunks_making_one_change_are_told_as_a_group_and_counted_in_the_verdict(repo: Path) -> None:
    events: list[Event] = []
    proposed = calls(repo)
    changes = flow(repo, "ask", Person((True, "keep that one", True)), events)
    said = await changes.propose(proposed)
    assert said == "\n".join(
        [
            message("changes.group_mixed", places=2, change="old → new", accepted=1, where="calls.py hunk 2", notes="keep that one"),
            message("changes.applied_some", path="calls.py", accepted=2, total=3, notes="keep that one"),
        ]
    )
    tally = {"group": group_id(proposed), "places": 2, "accepted": 1, "rejected": 1}
    assert events[-1] == ReviewDecided("calls.py", 2, 1, "keep that one", (tally,))


async def test_ask_mode_tells_an_accepted_group_too(repo: Path) -> None:
    changes = flow(repo, "ask", Person((True, True, False)), [])
    said = await changes.propose(calls(repo))
    assert said == "\n".join(
        [
            message("changes.group_accepted", places=2, files=1, change="old → new"),
            message("changes.applied_some", path="calls.py", accepted=2, total=3, notes=message("changes.no_reason")),
        ]
    )


async def test_review_mode_feeds_back_only_what_was_rejected(repo: Path) -> None:
    changes = flow(repo, "review", Person((True, True, False)), [])
    await changes.propose(calls(repo))
    await changes.review_pending()
    rejected = message("changes.applied_some", path="calls.py", accepted=2, total=3, notes=message("changes.no_reason"))
    assert changes.feedback_for_next_turn() == render("rejection_feedback", outcomes=rejected)


async def test_change_proposed_hooks_hear_the_path_status_diff_and_source(repo: Path, tmp_path: Path) -> None:
    heard = tmp_path / "heard.json"
    changes = flow(repo, "auto", Person(), [], hooks=hooks(repo, HookSpec("ChangeProposed", f"cat > {heard}")))
    proposed = FileChange("a.txt", BEFORE, AFTER, MODE, MODE, "edit_file")
    await changes.propose(proposed)
    said = json.loads(heard.read_text())
    assert (said["path"], said["status"], said["diff"], said["source"]) == ("a.txt", "modified", file_diff(proposed).text, "edit_file")


async def test_only_auto_mode_puts_back_the_persons_work_a_command_discarded(repo: Path) -> None:
    (repo / "a.txt").write_bytes(AFTER)  # the person's uncommitted edit
    changes = flow(repo, "review", Person(), [], user_work=frozenset({"a.txt"}))
    (repo / "a.txt").write_bytes(BEFORE)  # `git checkout a.txt`: back to HEAD
    (repo / "c.txt").write_bytes(b"new\n")
    said = await changes.side_effects([change("a.txt", AFTER, BEFORE), change("c.txt", None, b"new\n")], "x")
    assert said == message("changes.side_effects_pending", paths="a.txt, c.txt")  # the review decides
    assert (repo / "a.txt").read_bytes() == BEFORE


async def test_auto_mode_puts_back_every_file_of_the_person_a_command_discarded_with_its_mode(repo: Path) -> None:
    events: list[Event] = []
    (repo / "a.txt").write_bytes(AFTER)  # the person's uncommitted edit, made executable
    (repo / "a.txt").chmod(0o755)
    (repo / "b.txt").write_bytes(b"mine\n")
    changes = flow(repo, "auto", Person(), events, user_work=frozenset({"a.txt", "b.txt"}))
    (repo / "a.txt").write_bytes(BEFORE)  # `git checkout .`: back to HEAD, mode too
    (repo / "a.txt").chmod(0o644)
    (repo / "b.txt").unlink()
    said = await changes.side_effects(
        [FileChange("a.txt", AFTER, BEFORE, 0o100755, MODE), change("b.txt", b"mine\n", None)], "git checkout ."
    )
    assert (repo / "a.txt").read_bytes() == AFTER and (repo / "a.txt").stat().st_mode & 0o777 == 0o755
    assert (repo / "b.txt").read_bytes() == b"mine\n"
    assert events == [Notice("a command discarded your uncommitted work in a.txt, b.txt; it was put back")]
    assert said == message("changes.user_work_restored", paths="a.txt, b.txt")
    restore = journal_records(repo)[2]
    assert (restore["path"], restore["before"], restore["after"], restore["source"]) == (
        "a.txt", content_hash(BEFORE), content_hash(AFTER), "restore",
    )


async def test_ask_mode_says_what_a_hook_refused_before_the_review_and_puts_the_mode_back(repo: Path) -> None:
    person = Person((True, True))
    changes = flow(repo, "ask", person, [], hooks=hooks(repo, REFUSE_B))
    (repo / "a.txt").write_bytes(AFTER)
    (repo / "b.txt").write_bytes(b"B\n")
    (repo / "b.txt").chmod(0o755)
    said = await changes.side_effects([change(), FileChange("b.txt", b"b\n", b"B\n", MODE, 0o100755)], "make gen")
    assert (repo / "b.txt").read_bytes() == b"b\n" and (repo / "b.txt").stat().st_mode & 0o777 == 0o644
    reviewed = message("changes.side_effects_reviewed", command="make gen", outcomes=message("changes.applied_all", path="a.txt", hunks=2))
    assert said == message("extensions.change_blocked", path="b.txt", reason="b.txt is generated") + "\n" + reviewed
    rollback = journal_records(repo)[2]
    assert (rollback["path"], rollback["before"], rollback["after"]) == ("b.txt", content_hash(b"B\n"), content_hash(b"b\n"))


async def test_review_mode_rewrites_only_what_was_rejected_and_feeds_back_every_rejection(repo: Path) -> None:
    changes = flow(repo, "review", Person((True, True), ("not b",), ("not c",)), [])
    await changes.propose(change())
    await changes.propose(change("b.txt", b"b\n", b"B\n"))
    await changes.propose(change("c.txt", None, b"c\n"))
    assert [c.path for c in changes.pending_changes()] == ["a.txt", "b.txt", "c.txt"]
    await changes.review_pending()
    rollbacks = [r["path"] for r in journal_records(repo)[3:]]
    assert rollbacks == ["b.txt", "c.txt"]  # a.txt, accepted whole, is not written again
    assert changes.pending_changes() == [] and [c.path for c in changes.accepted_changes()] == ["a.txt"]
    lines = [
        message("changes.rejected_all", path="b.txt", notes="not b"),
        message("changes.rejected_all", path="c.txt", notes="not c"),
    ]
    assert changes.feedback_for_next_turn() == render("rejection_feedback", outcomes="\n".join(lines))


async def test_ask_mode_leaves_nothing_pending(repo: Path) -> None:
    changes = flow(repo, "ask", Person((True, True)), [])
    await changes.propose(change())
    assert changes.pending_changes() == [] and [c.path for c in changes.accepted_changes()] == ["a.txt"]
