"""The end of a turn: the review of what is pending, then one commit of what was accepted.

The commit subject is asked of the model as soon as the review begins (subject.py), so the
person reviews while it is written and the commit question never waits for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from hunk.agent.approval import Approver
from hunk.agent.changes import ChangeFlow
from hunk.agent.commit import Committer
from hunk.agent.options import AgentSettings
from hunk.agent.subject import SubjectWriter
from hunk.extensions.hook_points import HookPoints
from hunk.journal.journal import Journal
from hunk.providers.base import Provider
from hunk.values.usage import Usage
from hunk.values.events import ChangesApplied, EventSink, Notice
from hunk.workspace.diff import diffstat, file_diff


class Finishing(Protocol):
    """What the end of a turn needs of the agent (loop.Agent)."""

    provider: Provider
    settings: AgentSettings
    root: Path
    timed_approver: Approver
    sink: EventSink
    journal: Journal | None
    hooks: HookPoints
    commit_refused: str | None

    @property
    def model_label(self) -> str: ...

    def record_usage(self, usage: Usage, model: str | None = None) -> None: ...

    def tell_model(self, text: str) -> None: ...


async def finish(agent: Finishing, flow: ChangeFlow) -> str | None:
    """Review, feedback for the model, commit; the new commit's sha, or None."""
    subjects = SubjectWriter(agent.provider, agent.settings.small_model, agent.record_usage)
    try:
        pending = flow.pending_changes()
        if agent.settings.commit and pending and flow.mode != "auto":  # a person reviews: ask meanwhile
            subjects.start([file_diff(c) for c in flow.accepted_changes() + pending])
        await flow.review_pending()
        feedback = flow.feedback_for_next_turn()
        if feedback:  # the model reads it with the next prompt (consecutive user messages merge)
            agent.tell_model(feedback)
        accepted = flow.accepted_changes()
        if not accepted:
            return None
        agent.sink(ChangesApplied(tuple(c.path for c in accepted), diffstat([file_diff(c) for c in accepted])))
        if not agent.settings.commit:
            agent.sink(Notice("--no-commit: accepted changes left uncommitted in " + ", ".join(c.path for c in accepted)))
            return None
        trailer = agent.settings.trailer
        committer = Committer(
            root=agent.root,
            subjects=subjects,
            approver=agent.timed_approver,
            sink=agent.sink,
            journal=agent.journal,
            trailer=trailer.trailer_line(agent.model_label) if trailer else None,
            hooks=agent.hooks,
            tell_model=agent.tell_model,  # heard with the next prompt
        )
        created = await committer.commit(accepted)
        agent.commit_refused = committer.refused
        return created.sha if created else None
    finally:
        subjects.cancel()
