"""The commit question never waits on the model: the subject is asked of the provider's small
model as the review begins, the question comes with a subject from the file names at once, and
the model's words fill in when they arrive. A slow model is a reply the fake server holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hunk.agent.approval import ApprovalRequest, ChangeReview, CommitApproval, CommitDecision, Decision, accept_all
from hunk.providers.catalog import small_model
from tests.fakeserver import Held, Reply, ToolCall
from tests.gitrepo import git, make_repo


@pytest.mark.parametrize(
    ("provider", "model", "configured", "used"),
    [
        ("anthropic", "claude-sonnet-4-6", "", "claude-haiku-4-5"),
        ("openai", "gpt-5", "", "gpt-5-mini"),
        ("openai-chat", "gpt-5", "", "gpt-5-mini"),
        ("ollama", "qwen2.5-coder:7b", "", "qwen2.5-coder:7b"),  # an openai-compatible server: its own model
        ("deepseek", "deepseek-chat", "", "deepseek-chat"),
        ("anthropic", "claude-sonnet-4-6", "claude-3-5-haiku-latest", "claude-3-5-haiku-latest"),
        ("anthropic", "claude-sonnet-4-6", "anthropic:claude-opus-4-6", "claude-opus-4-6"),
        ("anthropic", "claude-sonnet-4-6", "openai:gpt-5-mini", "claude-haiku-4-5"),  # another provider's: not here
        ("ollama", "llama3", "qwen2.5-coder:1.5b", "qwen2.5-coder:1.5b"),  # a tag's colon is not a provider
    ],
)
def test_the_small_model_is_configured_or_the_providers_cheap_one(provider: str, model: str, configured: str, used: str) -> None:
    assert small_model(provider, model, configured) == used


class Person:
    """Reviews with `on_review`, answers the commit question with `on_commit`."""

    def __init__(self, on_review: Callable[[ChangeReview], Any], on_commit: Callable[[CommitApproval], Any]) -> None:
        self.on_review, self.on_commit = on_review, on_commit
        self.commit_questions: list[CommitApproval] = []

    async def decide(self, request: ApprovalRequest) -> Decision:
        if isinstance(request, ChangeReview):
            return await self.on_review(request)  # type: ignore[no-any-return]
        assert isinstance(request, CommitApproval)
        self.commit_questions.append(request)
        return await self.on_commit(request)  # type: ignore[no-any-return]


async def accept_everything(request: ChangeReview) -> Decision:
    return accept_all(request)


def _turn(held: Held) -> tuple[Reply | Held, ...]:
    return (
        Reply(tool_calls=[ToolCall("read_file", {"path": "a.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "a.txt", "content": "one\ntwo\nthree\n"})]),
        Reply(text="Counted to three."),
        held,
    )


async def test_the_subject_is_asked_as_the_review_begins_and_fills_in_after_the_question(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "one\ntwo\n"})
    h = harness(root, "review", flags={"model": "anthropic:claude-sonnet-4-6"})
    held = Held(Reply(text="Count to three"))
    h.fake.script(*_turn(held))
    asked_while_reviewing: list[bool] = []

    async def review(request: ChangeReview) -> Decision:
        asked_while_reviewing.append(await asyncio.to_thread(held.asked.wait, 10))
        return accept_all(request)

    async def commit(request: CommitApproval) -> Decision:
        assert request.subject is not None and request.subject.waiting  # the model has not answered
        held.release()
        subject = await request.subject.wait()
        return CommitDecision(True, request.subject.fill(request.message, subject))

    h.agent.approver = person = Person(review, commit)
    outcome = await h.agent.run_turn("count to three")

    assert asked_while_reviewing == [True]
    (question,) = person.commit_questions
    assert question.message.startswith("Update a.txt\n\n- a.txt (+1 -0)")
    assert held.body is not None and held.body["model"] == "claude-haiku-4-5"  # the small model
    assert {b["model"] for b in h.fake.bodies()[:3]} == {"claude-sonnet-4-6"}
    assert outcome.commit and git(root, "log", "-1", "--format=%s").strip() == "Count to three"


async def test_a_person_who_answers_before_the_model_commits_the_subject_they_saw(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "one\ntwo\n"})
    h = harness(root, "review")
    held = Held(Reply(text="Count to three"))
    h.fake.script(*_turn(held))

    async def commit(request: CommitApproval) -> Decision:
        return CommitDecision(True, request.message)

    h.agent.approver = Person(accept_everything, commit)
    try:
        outcome = await h.agent.run_turn("count to three")
    finally:
        held.release()
    assert outcome.commit and git(root, "log", "-1", "--format=%s").strip() == "Update a.txt"


async def test_what_the_person_typed_stays_when_the_subject_arrives(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "one\ntwo\n"})
    h = harness(root, "review")
    held = Held(Reply(text="Count to three"))
    h.fake.script(*_turn(held))

    async def commit(request: CommitApproval) -> Decision:
        assert request.subject is not None
        typed = "My words\n" + request.message.partition("\n")[2]
        held.release()
        return CommitDecision(True, request.subject.fill(typed, await request.subject.wait()))

    h.agent.approver = Person(accept_everything, commit)
    outcome = await h.agent.run_turn("count to three")
    assert outcome.commit and git(root, "log", "-1", "--format=%s").strip() == "My words"


async def test_models_small_chooses_the_subjects_model_and_auto_mode_waits_for_it(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "one\ntwo\n"})
    h = harness(root, "auto", flags={"models.small": "claude-opus-4-6"})
    h.fake.script(*_turn(Reply(text="Count to three")))  # type: ignore[arg-type]
    outcome = await h.agent.run_turn("count to three")
    assert h.fake.bodies()[-1]["model"] == "claude-opus-4-6" and h.fake.bodies()[0]["model"] == "claude-haiku-4-5"
    assert outcome.commit and git(root, "log", "-1", "--format=%s").strip() == "Count to three"
