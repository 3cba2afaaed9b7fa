"""The end of a turn: the accepted changes become one commit with a message the model wrote."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from hunk.settings import prompts
from hunk.agent.approval import Approver, CommitApproval, EntangledChange
from hunk.values.events import ApprovalRequested, CommitCreated, EventSink, Notice, TurnFailed
from hunk.extensions.hook_points import HookPoints
from hunk.providers.base import Provider, Request
from hunk.providers.collect import complete
from hunk.journal.journal import Journal
from hunk.values.diffs import FileDiff
from hunk.values.conversation import Message, Usage
from hunk.workspace.commits import commit_accepted, entangled
from hunk.workspace.errors import GitStateError, HookFailed
from hunk.workspace.git import GitRepo, open_repo
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import diffstat, file_diff
from hunk.journal.records import COMMIT, COMMIT_BEGIN, COMMIT_FAILED, COMMIT_INTENT

SUBJECT_LIMIT = 72
DIFF_LIMIT = 12_000  # characters of diff the model sees when writing the subject


def clean_subject(text: str) -> str:
    """The model's answer as a subject line: first non-empty line, no quotes, ≤ 72 chars."""
    for line in text.strip().splitlines():
        line = line.strip().strip("`\"'").strip()
        if line.lower().startswith("subject:"):
            line = line[len("subject:") :].strip()
        if line:
            if len(line) > SUBJECT_LIMIT:
                cut = line[: SUBJECT_LIMIT - 1].rsplit(" ", 1)[0]
                line = cut.rstrip(" ,;:.") + "…"
            return line
    return ""


def fallback_subject(diffs: list[FileDiff]) -> str:
    names = [d.path.rsplit("/", 1)[-1] for d in diffs]
    if len(names) == 1:
        subject = f"Update {names[0]}"
    elif len(names) == 2:
        subject = f"Update {names[0]} and {names[1]}"
    else:
        subject = f"Update {names[0]}, {names[1]} and {len(names) - 2} more files"
    return clean_subject(subject)


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
        provider: Provider,
        approver: Approver,
        sink: EventSink,
        journal: Journal | None,
        trailer: str | None,
        on_usage: Callable[[Usage], None],
        hooks: HookPoints | None = None,
        tell_model: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.hooks = hooks or HookPoints()
        self.tell_model = tell_model or (lambda text: None)  # words the model reads with the next prompt
        self.provider = provider
        self.approver = approver
        self.sink = sink
        self.journal = journal
        self.trailer = trailer
        self.on_usage = on_usage
        self.refused: str | None = None  # why a hook refused the commit

    async def write_subject(self, diffs: list[FileDiff]) -> str:
        diff_text = "".join(d.text for d in diffs)
        if len(diff_text) > DIFF_LIMIT:
            diff_text = diff_text[:DIFF_LIMIT] + "\n" + prompts.message("changes.diff_truncated")
        request = Request(
            model=self.provider.model,
            system=prompts.render("commit_system"),
            messages=(Message.user(prompts.render("commit_message", diffstat=diffstat(diffs), diff=diff_text)),),
            tools=(),
            max_tokens=200,
        )
        try:
            reply = await complete(self.provider, request)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a subject line is never worth failing a commit over
            return fallback_subject(diffs)
        self.on_usage(reply.usage)
        subject = reply.text if reply.failure is None else ""
        return clean_subject(subject) or fallback_subject(diffs)

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
        subject = await self.write_subject(diffs)
        message = compose_message(subject, diffs, self.trailer)
        self.sink(ApprovalRequested(kind="commit"))
        decision = await self.approver.decide(
            CommitApproval(message=message, files=tuple(c.path for c in changes), diffstat=diffstat(diffs))
        )
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
