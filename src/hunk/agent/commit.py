"""The end of a turn: the accepted changes become one commit, its subject written by the model
(subject.py) while the person reviews."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from hunk.settings import prompts
from hunk.agent.subject import SubjectWriter
from hunk.agent.approval import Approver, CommitApproval, EntangledChange
from hunk.values.events import ApprovalRequested, CommitCreated, EventSink, Notice, TurnFailed
from hunk.extensions.hook_points import HookPoints
from hunk.journal.journal import Journal
from hunk.values.diffs import FileDiff
from hunk.workspace.commits import commit_accepted, entangled
from hunk.workspace.errors import GitStateError, HookFailed
from hunk.workspace.git import GitRepo, open_repo
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import diffstat, file_diff
from hunk.journal.records import COMMIT, COMMIT_BEGIN, COMMIT_FAILED, COMMIT_INTENT


def compose_message(subject: str, diffs: list[FileDiff], trailer: str | None) -> str:
    body = "\n".join(f"- {d.path} (+{d.added} -{d.removed})" for d in diffs)
    message = f"{subject}\n\n{body}\n"
    if trailer:
        message += f"\n{trailer}\n"
    return message


class Committer:
    def __init__(
        self,
        *,
        root: Path,
        subjects: SubjectWriter,
        approver: Approver,
        sink: EventSink,
        journal: Journal | None,
        trailer: str | None,
        hooks: HookPoints | None = None,
        tell_model: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.hooks = hooks or HookPoints()
        self.tell_model = tell_model or (lambda text: None)  # words the model reads with the next prompt
        self.subjects = subjects
        self.approver = approver
        self.sink = sink
        self.journal = journal
        self.trailer = trailer
        self.refused: str | None = None  # why a hook refused the commit

    async def _untangle(self, repo: GitRepo, changes: list[FileChange]) -> list[FileChange]:
        """Files whose accepted hunks overlap the person's own uncommitted edits: committed whole
        when the person says so, otherwise left out of the commit (and said so)."""
        tangled = await asyncio.to_thread(entangled, repo, changes)
        if not tangled:
            return changes
        self.sink(ApprovalRequested(kind="entangled"))
        decision = await self.approver.decide(EntangledChange(tuple(tangled)))
        if decision.commit_whole:
            return [
                replace(c, before=tangled[c.path][0], before_mode=tangled[c.path][1]) if c.path in tangled else c
                for c in changes
            ]
        for path in tangled:
            self.sink(Notice(f"{path}: the agent's change overlaps your own uncommitted edits; left uncommitted"))
        return [c for c in changes if c.path not in tangled]

    async def _pre_commit(self, diffs: list[FileDiff], message: str, files: list[str]) -> str | None:
        """PreCommit hooks see exactly the diff and message about to be committed; they may
        rewrite the message, or veto the commit (None: the changes stay uncommitted)."""
        said = await self.hooks.pre_commit("".join(d.text for d in diffs), message, files)
        if said.blocked is not None:
            self.tell_model(prompts.message("extensions.commit_vetoed", reason=said.blocked))
            self.sink(Notice(f"not committed: a PreCommit hook refused ({said.blocked}); the accepted changes stay in the working tree, uncommitted"))
            return None
        if said.message is not None and said.message != message:
            self.sink(Notice("a PreCommit hook rewrote the commit message"))
            return said.message
        return message

    async def commit(self, changes: list[FileChange]) -> CommitCreated | None:
        try:
            repo = await asyncio.to_thread(open_repo, self.root)
            changes = await self._untangle(repo, changes)
        except GitStateError as exc:
            self.sink(Notice(f"not committed: {exc}; changes left uncommitted"))
            return None
        if not changes:
            return None
        diffs = [file_diff(c) for c in changes]
        subject = self.subjects.start(diffs)  # asked when the review began, or now: never waited for
        message = compose_message(subject.best(), diffs, self.trailer)
        self.sink(ApprovalRequested(kind="commit"))
        question = CommitApproval(message, tuple(c.path for c in changes), diffstat(diffs), subject if subject.waiting else None)
        try:
            decision = await self.approver.decide(question)
        finally:
            self.subjects.cancel()
        if not decision.commit:
            self.sink(Notice("commit skipped: the accepted changes stay in the working tree, uncommitted"))
            return None
        message = await self._pre_commit(diffs, decision.message, [c.path for c in changes])
        if message is None:
            return None
        if self.journal is not None:
            self.journal.append(COMMIT_BEGIN, files=[c.path for c in changes])
        journal = self.journal
        on_intent = (lambda intent: journal.append(COMMIT_INTENT, **intent)) if journal is not None else None
        try:
            result = await asyncio.to_thread(commit_accepted, repo, changes, message, on_intent=on_intent)
        except HookFailed as exc:
            said = f"{exc}\n{exc.output.rstrip()}".strip()
            self.refused = said
            if self.journal is not None:
                self.journal.append(COMMIT_FAILED, reason=str(exc))
            self.sink(Notice(f"commit refused by a hook; changes left uncommitted:\n{said}"))
            self.sink(TurnFailed("hook", said))
            return None
        except GitStateError as exc:
            self.sink(Notice(f"not committed: {exc}; changes left uncommitted"))
            return None
        for path in result.unseparable:  # the user changed the file in the meantime
            self.sink(Notice(f"{path}: the agent's change overlaps your own uncommitted edits; left uncommitted"))
        for path in result.ignored:
            self.sink(Notice(f"{path}: matches .gitignore; written but not committed"))
        if not result.sha:
            return None
        event = CommitCreated(sha=result.sha, subject=message.splitlines()[0], files=tuple(result.files))
        if self.journal is not None:
            self.journal.append(COMMIT, sha=result.sha, files=list(result.files), subject=event.subject)
        self.sink(event)
        return event
