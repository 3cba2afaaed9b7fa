"""How a turn's changes travel: proposed → decided hunk by hunk → written or rolled back.

`ChangeFlow` owns the turn's `Changeset`, asks the approver, writes through the workspace,
journals every write before it happens, and says to the model what was applied and what was
rejected. The commit at the end of the turn lives in `committing.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from pathlib import Path

from hunk.settings import prompts
from hunk.agent.approval import ApprovalMode, Approver, ChangeDecision, ChangeReview, ReviewPhase
from hunk.agent.verdict_words import group_words
from hunk.values.groups import hunk_group_ids
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.events import ApprovalRequested, ChangeProposed, EventSink, Notice, ReviewDecided
from hunk.journal.journal import Journal
from hunk.values.diffs import FileDiff
from hunk.extensions.hook_points import HookPoints
from hunk.workspace import tree
from hunk.workspace.changeset import Changeset, FileChange, content_hash
from hunk.workspace.diff import EditedHunkError, apply_verdicts, file_diff
from hunk.workspace.gitstate import versions_in_git
from hunk.journal.records import WRITE


@dataclass
class Outcome:
    """What became of one proposed change, in words for the model and counts for people."""

    path: str
    accepted: int
    rejected: int
    notes: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # the person's edited hunks, in words for the model

    def for_model(self) -> str:
        total = self.accepted + self.rejected
        if self.rejected == 0:
            said = prompts.message("changes.applied_all", path=self.path, hunks=total)
        else:
            notes = "; ".join(dict.fromkeys(self.notes)) or prompts.message("changes.no_reason")
            if self.accepted == 0:
                said = prompts.message("changes.rejected_all", path=self.path, notes=notes)
            else:
                said = prompts.message(
                    "changes.applied_some", path=self.path, accepted=self.accepted, total=total, notes=notes
                )
        return "\n".join([said, *self.edited])


def _outcome(diff: FileDiff, verdict: FileVerdict) -> Outcome:
    accepted = sum(1 for v in verdict.hunks if v.accepted)
    edited = [
        prompts.message("changes.hunk_edited", number=n, path=diff.path, hunk="\n".join((hunk.header, *v.edited)))
        for n, (hunk, v) in enumerate(zip(diff.hunks, verdict.hunks), start=1)
        if v.accepted and v.edited is not None
    ]
    return Outcome(diff.path, accepted, len(verdict.hunks) - accepted, verdict.notes, edited)


def _applicable(change: FileChange, diff: FileDiff, verdict: FileVerdict) -> tuple[FileChange, FileVerdict]:
    """`change` restricted to `verdict`. The front ends check an edited hunk before they hand it
    over; should one still not apply, that hunk is left out with a note, and the turn goes on."""
    try:
        return apply_verdicts(change, diff, verdict), verdict
    except EditedHunkError as problem:
        hunks = tuple(
            HunkVerdict(False, prompts.message("changes.edit_dropped", number=n, problem=problem))
            if v.edited is not None and _fails(change, diff, verdict, n - 1)
            else v
            for n, v in enumerate(verdict.hunks, start=1)
        )
        verdict = FileVerdict(verdict.path, hunks)
        return apply_verdicts(change, diff, verdict), verdict


def _fails(change: FileChange, diff: FileDiff, verdict: FileVerdict, index: int) -> bool:
    alone = tuple(v if i == index else HunkVerdict(False) for i, v in enumerate(verdict.hunks))
    try:
        apply_verdicts(change, diff, FileVerdict(verdict.path, alone))
    except EditedHunkError:
        return True
    return False


class ChangeFlow:
    def __init__(
        self,
        *,
        root: Path,
        mode: ApprovalMode,
        approver: Approver,
        sink: EventSink,
        journal: Journal | None,
        read_hashes: dict[str, str | None],
        user_work: frozenset[str] = frozenset(),
        hooks: HookPoints | None = None,
    ) -> None:
        self.root = root
        self.hooks = hooks or HookPoints()
        self.mode = mode
        self.approver = approver
        self.sink = sink
        self.journal = journal
        self.read_hashes = read_hashes
        self.user_work = user_work  # files with the person's uncommitted work when the turn began
        self.changeset = Changeset()  # path → (before the turn, what is on disk now)
        self.rejections: list[Outcome] = []
        self._feedback: list[str] = []  # review mode: what the model hears with the next prompt
        self.stop_requested = False
        # paths whose current content nobody has accepted yet (review/auto mode writes)
        self._pending: set[str] = set()
        self._made_dirs: dict[str, list[str]] = {}  # folders a write had to create, by path
        self.check_marks: dict[str, dict[str, bool]] = {}  # path → check → passed (checks.py)

    # --- writing -----------------------------------------------------------------------------

    def _journal_write(self, change: FileChange) -> None:
        if self.journal is not None:
            self.journal.append(
                WRITE,
                path=change.path,
                before=self.journal.keep_blob(change.before),
                after=self.journal.keep_blob(change.after),
                source=change.source,
            )

    def _write(self, change: FileChange) -> None:
        """Put `change.after` on disk, journalling before and after first."""
        self._journal_write(change)
        if change.after is None:  # a file the agent created goes: so do the folders it made
            tree.write_atomic(self.root, change.path, None, None, prune=self._made_dirs.pop(change.path, ()))
        else:
            made = tree.write_atomic(self.root, change.path, change.after, change.after_mode)
            if made:
                self._made_dirs[change.path] = made
        self.read_hashes[change.path] = content_hash(change.after)

    async def _ask(self, diffs: tuple[FileDiff, ...], phase: ReviewPhase, reason: str = "") -> ChangeDecision:
        self.sink(ApprovalRequested(kind="change"))
        marks = {d.path: dict(self.check_marks[d.path]) for d in diffs if d.path in self.check_marks}
        decision = await self.approver.decide(ChangeReview(diffs, phase, reason, marks))
        if decision.stop:
            self.stop_requested = True
        return decision

    def _announce(self, change: FileChange, diff: FileDiff) -> None:
        self.sink(
            ChangeProposed(
                path=change.path,
                status=diff.status,
                diff=diff.text,
                added=diff.added,
                removed=diff.removed,
                source=change.source,
                hunk_groups=hunk_group_ids(diff),
            )
        )

    async def _settle(self, diffs: Sequence[FileDiff], verdicts: Sequence[FileVerdict], *, rejections_only: bool = False) -> list[str]:
        """Record a review's verdicts, file by file, and return the model's words on it: a line
        per group of hunks making the same change, then a line per file the group lines do not
        cover whole (with `rejections_only`, only what was rejected)."""
        words = group_words(diffs, verdicts)
        outcomes = [_outcome(d, v) for d, v in zip(diffs, verdicts)]
        for index, outcome in enumerate(outcomes):
            await self._record_verdict(outcome, tuple(words.by_file.get(index, ())))
        files = [o.for_model() for i, o in enumerate(outcomes) if i not in words.told and (o.rejected or not rejections_only)]
        return [*(words.rejecting if rejections_only else words.lines), *files]

    async def _record_verdict(self, outcome: Outcome, groups: tuple[dict[str, Any], ...] = ()) -> None:
        self.sink(ReviewDecided(outcome.path, outcome.accepted, outcome.rejected, "; ".join(outcome.notes) or None, groups))
        if outcome.rejected:
            self.rejections.append(outcome)
        await self.hooks.decided(outcome.path, outcome.accepted, outcome.rejected, outcome.notes)

    async def _screen(self, change: FileChange, diff: FileDiff) -> tuple[str | None, str]:
        """ChangeProposed hooks see the diff before the person does: (why it is refused, or
        None; context for the model)."""
        said = await self.hooks.change(change.path, diff.status, diff.text, change.source)
        if said.blocked is None:
            return None, said.context
        self.sink(Notice(f"a ChangeProposed hook refused the change to {change.path}: {said.blocked}"))
        return prompts.message("extensions.change_blocked", path=change.path, reason=said.blocked), said.context

    # --- a change proposed by a write tool ---------------------------------------------------

    async def propose(self, change: FileChange) -> str:
        """A write tool's change: in ask mode decided before it touches disk; otherwise written
        at once and reviewed at the end of the turn. Returns the words for the model."""
        diff = file_diff(change)
        refused, context = await self._screen(change, diff)
        if refused is not None:
            return refused
        words = await self._propose(change, diff)
        return f"{words}\n\n{context}" if context else words

    async def _propose(self, change: FileChange, diff: FileDiff) -> str:
        self._announce(change, diff)
        if self.mode != "ask":
            self._write(change)
            self._hold([change])
            return prompts.message("changes.written_pending" if self.mode == "review" else "changes.written", path=change.path)
        decision = await self._ask((diff,), "before_write")
        final, verdict = _applicable(change, diff, decision.files[0])
        if not final.is_noop:
            self._write(final)
        self.changeset.add(final)
        return "\n".join(await self._settle([diff], [verdict]))

    # --- files a command changed -------------------------------------------------------------

    async def side_effects(self, changes: list[FileChange], command: str) -> str:
        """Files a command changed are already on disk. Ask mode reviews them at once (rejected
        hunks are rolled back); the other modes review them with the rest of the turn."""
        changes = self._journal_external(changes)
        if self.mode == "plan":
            return self._put_back(changes)
        protected = self._protect_user_work(changes) if self.mode == "auto" else []
        told = ""
        if protected:
            self.sink(Notice("a command discarded your uncommitted work in " + ", ".join(protected) + "; it was put back"))
            told = prompts.message("changes.user_work_restored", paths=", ".join(protected))
            changes = [c for c in changes if c.path not in protected]
        changes, refusals = await self._screen_on_disk(changes)
        told = "\n".join(w for w in (told, *refusals) if w)
        if not changes:
            return told
        diffs = tuple(file_diff(c) for c in changes)
        for change, diff in zip(changes, diffs):
            self._announce(change, diff)
        if self.mode != "ask":
            self._hold(changes)
            pending = prompts.message("changes.side_effects_pending", paths=", ".join(c.path for c in changes))
            return f"{told}\n{pending}" if told else pending
        decision = await self._ask(diffs, "side_effects", command)
        verdicts = []
        for change, diff, given in zip(changes, diffs, decision.files):
            final, verdict = _applicable(change, diff, given)
            if final.after != change.after or final.after_mode != change.after_mode:
                self._write(replace(final, before=change.after, before_mode=change.after_mode))
            self.changeset.add(final)
            verdicts.append(verdict)
        lines = await self._settle(diffs, verdicts)
        reviewed = prompts.message("changes.side_effects_reviewed", command=command, outcomes="\n".join(lines))
        return f"{told}\n{reviewed}" if told else reviewed

    async def _screen_on_disk(self, changes: list[FileChange]) -> tuple[list[FileChange], list[str]]:
        """ChangeProposed hooks for changes a command already made: a refused one is put back."""
        if not self.hooks.has("ChangeProposed"):
            return changes, []
        kept, said = [], []
        for change in changes:
            diff = file_diff(change)
            refused, context = await self._screen(change, diff)
            if refused is None:
                kept.append(change)
            else:
                self._write(FileChange(change.path, change.after, change.before, change.after_mode, change.before_mode, "rollback"))
            said += [w for w in (refused, context) if w]
        return kept, said

    def _put_back(self, changes: list[FileChange]) -> str:
        """Plan mode changes nothing: whatever a read-only command wrote anyway is undone."""
        if not changes:
            return ""
        for change in changes:
            self._write(FileChange(change.path, change.after, change.before, change.after_mode, change.before_mode, "rollback"))
        paths = ", ".join(c.path for c in changes)
        self.sink(Notice("plan mode: a command changed " + paths + "; put back"))
        return prompts.message("changes.plan_put_back", paths=paths)

    def _protect_user_work(self, changes: list[FileChange]) -> list[str]:
        """With nobody reviewing (auto mode), a command may not throw away the person's own
        uncommitted work: files of theirs it deleted, or reset to a version git holds (HEAD's,
        the staged one: `git checkout -- f` on a partly staged file), are put back. Returns
        their paths."""
        theirs = [c for c in changes if c.path in self.user_work]
        if not theirs:
            return []
        known = versions_in_git(self.root, [c.path for c in theirs])
        discarded = [  # deleted, or back to a version git holds (a deletion of theirs undone too)
            c for c in theirs
            if (c.after is None and c.before is not None) or (c.after is not None and content_hash(c.after) in known.get(c.path, set()))
        ]
        for change in discarded:
            self._write(FileChange(change.path, change.after, change.before, change.after_mode, change.before_mode, "restore"))
        return [c.path for c in discarded]

    def _journal_external(self, changes: list[FileChange]) -> list[FileChange]:
        """Journal writes someone else (a command) already made; drop no-ops."""
        changes = [c for c in changes if not c.is_noop]
        for change in changes:
            self._journal_write(change)
            self.read_hashes.pop(change.path, None)  # the model must read it again before editing
        return changes

    def hold_unreviewed(self, changes: list[FileChange]) -> None:
        """Files a killed command changed: kept pending, for the interrupted turn's review or rollback."""
        self._hold(self._journal_external(changes))

    def _hold(self, changes: list[FileChange]) -> None:
        for change in changes:
            self.changeset.add(change)
            self._pending.add(change.path)

    # --- the end of the turn -----------------------------------------------------------------

    async def review_pending(self) -> None:
        """Review mode: one review of everything written this turn; rejected hunks rolled back.
        Auto mode accepts what is pending without asking."""
        pending = [c for c in self.changeset.changes() if c.path in self._pending]
        self._pending.clear()
        if not pending or self.mode == "auto":
            return
        diffs = tuple(file_diff(c) for c in pending)
        decision = await self._ask(diffs, "end_of_turn")
        verdicts = []
        for change, diff, given in zip(pending, diffs, decision.files):
            final, verdict = _applicable(change, diff, given)
            if final.after != change.after or final.after_mode != change.after_mode:
                self._write(replace(final, before=change.after, before_mode=change.after_mode))
            self.changeset.discard(change.path)
            self.changeset.add(final)
            verdicts.append(verdict)
        self._feedback += await self._settle(diffs, verdicts, rejections_only=True)

    def roll_back_pending(self) -> list[str]:
        """Undo writes nobody accepted (an interrupted turn). A file someone changed since the
        agent wrote it is left alone and named in a notice. Returns the paths put back."""
        restored = []
        for change in [c for c in self.changeset.changes() if c.path in self._pending]:
            current, mode = tree.read_state(self.root, change.path)
            if current != change.after:
                self.sink(Notice(f"{change.path} changed after the agent wrote it; left as it is"))
                continue
            self._write(FileChange(change.path, change.after, change.before, mode, change.before_mode, "rollback"))
            self.changeset.discard(change.path)
            restored.append(change.path)
        self._pending.clear()
        return restored

    def pending_changes(self) -> list[FileChange]:
        """What waits for the end-of-turn review."""
        return [c for c in self.changeset.changes() if c.path in self._pending and not c.is_noop]

    def accepted_changes(self) -> list[FileChange]:
        """The turn's accepted changes: before the turn → what is on disk now."""
        return [c for c in self.changeset.changes() if c.path not in self._pending and not c.is_noop]

    def feedback_for_next_turn(self) -> str:
        """Rejections at the end-of-turn review (review mode; in ask mode, of what a killed
        command wrote) reach the model with the next prompt."""
        if not self._feedback:
            return ""
        return prompts.render("rejection_feedback", outcomes="\n".join(self._feedback))

