"""The end of a turn on its own: the subject the model writes (or the fallback), the message, the
question to the person, and every way the commit can be left out. The real Anthropic provider
against the fake server, a real repository, an approver answering from a list."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hunk.agent.approval import (
    CommitApproval,
    CommitDecision,
    EntangledChange,
    EntangledDecision,
)
from hunk.agent.assemble import make_provider
from hunk.agent.commit import Committer, compose_message
from hunk.agent.subject import DIFF_LIMIT, SubjectWriter, clean_subject, fallback_subject
from hunk.extensions.hook_config import HookSetup, HookSpec
from hunk.extensions.hook_points import HookPoints
from hunk.extensions.hooks import Hooks
from hunk.journal.journal import Journal
from hunk.settings.config import load_config
from hunk.settings.prompts import message
from hunk.values.usage import Usage
from hunk.values.events import ApprovalRequested, CommitCreated, Event, Notice, TurnFailed
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import file_diff
from tests.fakeserver import FakeProvider, Reply
from tests.gitrepo import git, make_repo


@pytest.mark.parametrize(
    ("answer", "subject"),
    [
        ("Fix the parser", "Fix the parser"),
        ('  "Fix the parser"  \n\nmore text', "Fix the parser"),
        ("`Add a test`", "Add a test"),
        ("'Quoted'", "Quoted"),
        ("\n\nSubject: Rename the flag\n", "Rename the flag"),
        ("subject:   lower case label", "lower case label"),
        ("Subject:\nThe real one", "The real one"),
        ("", ""),
        ("  \n \n", ""),
        ("x" * 72, "x" * 72),
        ("word " * 20, ("word " * 14).rstrip() + "…"),
        ("a" * 80, "a" * 71 + "…"),
        ("Tidy up the loop, the parser, and the " + "x" * 40, "Tidy up the loop, the parser, and the…"),
    ],
)
def test_the_models_answer_becomes_one_subject_line(answer: str, subject: str) -> None:
    assert clean_subject(answer) == subject
    assert len(clean_subject(answer)) <= 72


def _diffs(*paths: str) -> list[Any]:
    return [file_diff(FileChange(p, b"a\n", b"b\nc\n")) for p in paths]


def test_the_fallback_subject_names_the_files() -> None:
    assert fallback_subject(_diffs("src/a.py")) == "Update a.py"
    assert fallback_subject(_diffs("a.py", "docs/b.md")) == "Update a.py and b.md"
    assert fallback_subject(_diffs("a.py", "b.py", "c.py")) == "Update a.py, b.py and 1 more files"
    long = fallback_subject(_diffs("a" * 60 + ".py", "b" * 60 + ".py"))
    assert len(long) <= 72 and long.endswith("…")


def test_the_message_lists_each_file_with_its_counts_and_the_trailer() -> None:
    diffs = _diffs("a.py", "b.py")
    assert compose_message("Subject", diffs, None) == "Subject\n\n- a.py (+2 -1)\n- b.py (+2 -1)\n"
    assert compose_message("Subject", diffs, "Co-authored-by: hunk") == (
        "Subject\n\n- a.py (+2 -1)\n- b.py (+2 -1)\n\nCo-authored-by: hunk\n"
    )


class Person:
    """Answers from a list; reads the commit question once the model's subject is in (or cannot come)."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.asked: list[object] = []

    async def decide(self, request: object) -> object:
        if isinstance(request, CommitApproval) and request.subject is not None:
            request = replace(request, message=request.subject.fill(request.message, await request.subject.wait()))
        self.asked.append(request)
        answer = self.answers.pop(0)
        return answer(request) if callable(answer) else answer


def keep_message(request: CommitApproval) -> CommitDecision:
    return CommitDecision(True, request.message)


class Step:
    """A Committer wired to the fake server, a repository and a journal."""

    def __init__(
        self, root: Path, fake: FakeProvider, *answers: object, hooks: list[HookSpec] = (), journal: bool = True  # type: ignore[assignment]
    ) -> None:
        env = {"ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "test-key"}
        config = load_config(root, env, {"model": "anthropic:claude-haiku-4-5"})
        self.root = root
        self.person = Person(*answers)
        self.events: list[Event] = []
        self.usage: list[Usage] = []
        self.journal = Journal(root.parent / "journal" / "s.jsonl")
        self.models: list[str] = []
        self.told_model: list[str] = []
        self.committer = Committer(
            root=root,
            subjects=SubjectWriter(make_provider(config, env), "", self._paid),
            approver=self.person,  # type: ignore[arg-type]
            sink=self.events.append,
            journal=self.journal if journal else None,
            trailer="Co-authored-by: hunk",
            hooks=HookPoints(Hooks(HookSetup(list(hooks)), root=root, env=dict(os.environ))),
            tell_model=self.told_model.append,
        )

    def _paid(self, usage: Usage, model: str) -> None:
        self.usage.append(usage)
        self.models.append(model)

    def notices(self) -> list[str]:
        return [e.message for e in self.events if isinstance(e, Notice)]

    def records(self) -> list[str]:
        return [record["t"] for record in self.journal_lines()]

    def journal_lines(self) -> list[dict[str, Any]]:
        """The journal's records, without their time."""
        path = self.journal.path
        lines = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
        return [{k: v for k, v in record.items() if k != "at"} for record in lines]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"a.txt": b"one\ntwo\n", "b.txt": b"b\n"})


def edit(repo: Path, path: str, after: bytes) -> FileChange:
    before = (repo / path).read_bytes() if (repo / path).exists() else None
    (repo / path).write_bytes(after)
    return FileChange(path, before, after, 0o100644 if before is not None else None, 0o100644)


async def test_the_models_subject_the_persons_yes_and_one_commit(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text='"Subject: Count to three"'))
    step = Step(repo, fake, keep_message)
    head = git(repo, "rev-parse", "HEAD").strip()
    created = await step.committer.commit([edit(repo, "a.txt", b"one\ntwo\nthree\n")])
    assert isinstance(created, CommitCreated) and created.subject == "Count to three"
    assert created.files == ("a.txt",) and step.events[-1] == created
    (question,) = step.person.asked
    assert question == CommitApproval(
        "Count to three\n\n- a.txt (+1 -0)\n\nCo-authored-by: hunk\n", ("a.txt",), question.diffstat
    )
    assert "1 file changed, 1 insertion(+)" in question.diffstat
    assert ApprovalRequested(kind="commit") in step.events
    assert git(repo, "log", "-1", "--format=%H %s").split() == [created.sha, "Count", "to", "three"]
    begin, intent, done = step.journal_lines()
    assert begin == {"t": "commit.begin", "files": ["a.txt"]}
    assert (intent["t"], intent["head"], intent["tree"]) == ("commit.intent", head, git(repo, "rev-parse", "HEAD^{tree}").strip())
    assert done == {"t": "commit", "sha": created.sha, "files": ["a.txt"], "subject": "Count to three"}
    assert step.usage and step.usage[0].output_tokens > 0
    (request,) = fake.bodies("/messages")
    assert request["max_tokens"] == 200 and request["tools" if "tools" in request else "model"]


async def test_a_failed_subject_request_falls_back_on_the_file_names(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="partial", stream_error="overloaded_error"))
    step = Step(repo, fake, keep_message)
    created = await step.committer.commit([edit(repo, "a.txt", b"1\n")])
    assert created is not None and created.subject == "Update a.txt"


async def test_an_empty_answer_falls_back_too(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="  \n"))
    step = Step(repo, fake, keep_message)
    created = await step.committer.commit([edit(repo, "a.txt", b"1\n"), edit(repo, "c.txt", b"c\n")])
    assert created is not None and created.subject == "Update a.txt and c.txt"
    assert set(created.files) == {"a.txt", "c.txt"}


async def test_a_long_diff_reaches_the_model_cut_and_marked(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Grow the file"))
    step = Step(repo, fake, keep_message)
    big = b"".join(b"line number %d of a long file\n" % i for i in range(2000))
    await step.committer.commit([edit(repo, "a.txt", big)])
    (request,) = fake.bodies("/messages")
    text = json.dumps(request["messages"])
    assert json.dumps(message("changes.diff_truncated"))[1:-1] in text
    assert "line number 1999" not in text and "line number 1 " in text
    assert len(text) < DIFF_LIMIT + 4000


async def test_the_person_may_edit_the_message(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Model subject"))
    step = Step(repo, fake, CommitDecision(True, "My own subject\n\nMy body\n"))
    created = await step.committer.commit([edit(repo, "a.txt", b"1\n")])
    assert created is not None and created.subject == "My own subject"
    assert git(repo, "log", "-1", "--format=%B").strip() == "My own subject\n\nMy body"


async def test_a_skipped_commit_leaves_the_changes_uncommitted(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, CommitDecision(False, ""))
    head = git(repo, "rev-parse", "HEAD")
    assert await step.committer.commit([edit(repo, "a.txt", b"1\n")]) is None
    assert git(repo, "rev-parse", "HEAD") == head and step.records() == []
    assert step.notices() == ["commit skipped: the accepted changes stay in the working tree, uncommitted"]


async def test_nothing_to_commit_asks_nothing(repo: Path, fake: FakeProvider) -> None:
    step = Step(repo, fake)
    assert await step.committer.commit([]) is None
    assert step.person.asked == [] and fake.bodies() == []


async def test_outside_a_repository_nothing_is_committed_and_it_says_why(tmp_path: Path, fake: FakeProvider) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    step = Step(plain, fake)
    assert await step.committer.commit([edit(plain, "a.txt", b"1\n")]) is None
    (notice,) = step.notices()
    assert notice.startswith("not committed: ") and notice.endswith("; changes left uncommitted")


async def test_a_busy_index_leaves_the_changes_uncommitted(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, keep_message)
    (repo / ".git" / "index.lock").write_bytes(b"")
    assert await step.committer.commit([edit(repo, "a.txt", b"1\n")]) is None
    (notice,) = step.notices()
    assert notice.startswith("not committed: ") and notice.endswith("; changes left uncommitted")
    assert step.records() == ["commit.begin"]


async def test_a_failing_hook_says_why(repo: Path, fake: FakeProvider) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho '  lint says no:'\necho '    a.txt:1 too short'\nexit 1\n")
    hook.chmod(0o755)
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, keep_message)
    assert step.committer.refused is None
    assert await step.committer.commit([edit(repo, "a.txt", b"1\n")]) is None
    refused = message("workspace.hook_failed")
    said = f"{refused}\nlint says no:\n    a.txt:1 too short"
    assert step.notices() == [f"commit refused by a hook; changes left uncommitted:\n{said}"]
    assert step.events[-1] == TurnFailed("hook", said) and step.committer.refused == said
    assert [r for r in step.journal_lines() if r["t"] != "commit.intent"] == [
        {"t": "commit.begin", "files": ["a.txt"]},
        {"t": "commit.failed", "reason": refused},
    ]


async def test_an_ignored_new_file_is_written_but_not_committed(repo: Path, fake: FakeProvider) -> None:
    (repo / ".gitignore").write_text("*.log\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-qm", "ignore logs")
    fake.script(Reply(text="Subject"), Reply(text="Subject"))
    step = Step(repo, fake, keep_message, keep_message)
    created = await step.committer.commit([edit(repo, "a.txt", b"1\n"), edit(repo, "x.log", b"log\n")])
    assert created is not None and created.files == ("a.txt",)
    assert step.notices() == ["x.log: matches .gitignore; written but not committed"]
    head = git(repo, "rev-parse", "HEAD")
    assert await step.committer.commit([edit(repo, "y.log", b"log\n")]) is None
    assert git(repo, "rev-parse", "HEAD") == head and step.records() == ["commit.begin", "commit.intent", "commit", "commit.begin"]


async def test_a_tangled_file_stays_out_unless_the_person_commits_it_whole(repo: Path, fake: FakeProvider) -> None:
    (repo / "a.txt").write_bytes(b"one (mine)\ntwo\n")  # the person's own uncommitted edit
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, EntangledDecision(False), keep_message)
    tangled = edit(repo, "a.txt", b"one (agent)\ntwo\n")
    created = await step.committer.commit([tangled, edit(repo, "b.txt", b"B\n")])
    assert step.person.asked[0] == EntangledChange(("a.txt",))
    assert ApprovalRequested(kind="entangled") in step.events
    assert created is not None and created.files == ("b.txt",)
    assert step.notices() == [
        "a.txt: the agent's change overlaps your own uncommitted edits; left uncommitted"
    ]
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, EntangledDecision(True), keep_message)
    created = await step.committer.commit([tangled, edit(repo, "b.txt", b"BB\n")])
    assert created is not None and created.files == ("a.txt", "b.txt")
    assert git(repo, "show", "HEAD:a.txt") == "one (agent)\ntwo\n" and step.notices() == []
    assert git(repo, "show", "HEAD:b.txt") == "BB\n"


async def test_a_file_the_person_stages_while_asked_stays_out_of_the_commit_and_is_named(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Subject"))

    def edit_then_say_yes(request: CommitApproval) -> CommitDecision:
        (repo / "a.txt").write_bytes(b"one\ntwo (mine)\n")  # over the agent's line, and staged
        git(repo, "add", "a.txt")
        return keep_message(request)

    step = Step(repo, fake, edit_then_say_yes)
    created = await step.committer.commit([edit(repo, "a.txt", b"one\ntwo (agent)\n"), edit(repo, "b.txt", b"B\n")])
    assert created is not None and created.files == ("b.txt",)
    assert step.notices() == ["a.txt: the agent's change overlaps your own uncommitted edits; left uncommitted"]
    assert git(repo, "show", "HEAD:a.txt") == "one\ntwo\n"


async def test_pre_commit_hooks_see_the_diff_files_and_message_and_may_rewrite_it(repo: Path, fake: FakeProvider, tmp_path: Path) -> None:
    heard = tmp_path / "heard.json"
    ticket = f"""tee {heard} | python3 -c 'import json,sys; print(json.dumps({{"message": "[T-7] " + json.load(sys.stdin)["message"]}}))'"""
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, keep_message, hooks=[HookSpec("PreCommit", ticket)])
    changes = [edit(repo, "a.txt", b"1\n"), edit(repo, "b.txt", b"B\n")]
    created = await step.committer.commit(changes)
    said = json.loads(heard.read_text())
    assert said["diff"] == file_diff(changes[0]).text + file_diff(changes[1]).text
    assert said["files"] == ["a.txt", "b.txt"]
    assert said["message"] == compose_message("Subject", [file_diff(c) for c in changes], "Co-authored-by: hunk")
    assert created is not None and created.subject == "[T-7] Subject"
    assert step.notices() == ["a PreCommit hook rewrote the commit message"]


async def test_a_pre_commit_hook_may_refuse_and_the_model_hears_why(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Subject"))
    veto = HookSpec("PreCommit", "echo 'the diff holds a secret' >&2; exit 2")
    step = Step(repo, fake, keep_message, hooks=[veto])
    head = git(repo, "rev-parse", "HEAD")
    assert await step.committer.commit([edit(repo, "a.txt", b"SECRET\n")]) is None
    assert git(repo, "rev-parse", "HEAD") == head and step.records() == []
    assert step.told_model == [message("extensions.commit_vetoed", reason="the diff holds a secret")]
    assert step.notices() == [
        "not committed: a PreCommit hook refused (the diff holds a secret); "
        "the accepted changes stay in the working tree, uncommitted"
    ]


async def test_a_tangled_file_committed_whole_keeps_the_mode_the_person_gave_it(repo: Path, fake: FakeProvider) -> None:
    (repo / "a.txt").write_bytes(b"one (mine)\ntwo\n")  # the person's own uncommitted edit...
    (repo / "a.txt").chmod(0o755)  # ...and they made it executable
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, EntangledDecision(True), keep_message)
    tangled = replace(edit(repo, "a.txt", b"one (agent)\ntwo\n"), before_mode=0o100755, after_mode=0o100755)
    created = await step.committer.commit([tangled])
    assert created is not None and created.files == ("a.txt",)
    assert git(repo, "ls-tree", "HEAD", "a.txt").split()[0] == "100755"
    assert git(repo, "status", "--porcelain") == ""


async def test_a_tangled_file_committed_whole_leaves_a_mode_the_person_staged_staged(repo: Path, fake: FakeProvider) -> None:
    (repo / "a.txt").write_bytes(b"one (mine)\ntwo\n")  # the person's own uncommitted edit...
    blob = git(repo, "rev-parse", "HEAD:a.txt").strip()
    git(repo, "update-index", "--cacheinfo", f"100755,{blob},a.txt")  # ...and a mode change they staged
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, EntangledDecision(True), keep_message)
    created = await step.committer.commit([edit(repo, "a.txt", b"one (agent)\ntwo\n")])
    assert created is not None and created.files == ("a.txt",)
    assert git(repo, "ls-tree", "HEAD", "a.txt").split()[0] == "100644"
    assert git(repo, "ls-files", "-s", "a.txt").split()[0] == "100755"


async def test_a_subject_that_arrived_during_the_review_is_in_the_question_already(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Count to three"))
    step = Step(repo, fake, keep_message)
    change = edit(repo, "a.txt", b"one\ntwo\nthree\n")
    await step.committer.subjects.start([file_diff(change)]).wait()  # asked as the review began
    created = await step.committer.commit([change])
    (question,) = step.person.asked
    assert question.subject is None and question.message.startswith("Count to three\n\n")
    assert created is not None and created.subject == "Count to three" and len(fake.bodies("/messages")) == 1


async def test_without_a_journal_the_commit_is_made_all_the_same(repo: Path, fake: FakeProvider) -> None:
    fake.script(Reply(text="Subject"))
    step = Step(repo, fake, keep_message, journal=False)
    created = await step.committer.commit([edit(repo, "a.txt", b"1\n")])
    assert created is not None and git(repo, "log", "-1", "--format=%H").strip() == created.sha
    assert not step.journal.path.exists()
