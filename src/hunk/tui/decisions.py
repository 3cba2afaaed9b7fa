"""The state of a hunk-by-hunk review, apart from any widget.

`ReviewState` holds one verdict slot per hunk (or one per whole-file diff), a cursor over files
and hunks, and turns into the exact `ChangeDecision` the agent awaits. The change and review
screens only draw it and forward keys to it, so the rules are tested without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from hunk.agent.approval import ChangeDecision, ChangeReview
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.diffs import FileDiff


@dataclass
class Slot:
    """One decision to make: None while undecided."""

    accepted: bool | None = None
    note: str | None = None
    edited: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        if self.accepted is None:
            return "undecided"
        if self.edited is not None:
            return "edited"
        return "accepted" if self.accepted else "rejected"

    def verdict(self) -> HunkVerdict:
        """Undecided counts as rejected: nothing reaches history without a yes."""
        accepted = bool(self.accepted)
        return HunkVerdict(accepted, self.note or None, self.edited if accepted else None)


class ReviewState:
    def __init__(self, review: ChangeReview) -> None:
        self.review = review
        self.files: tuple[FileDiff, ...] = review.files
        self.slots: list[list[Slot]] = [[Slot() for _ in range(f.decision_count)] for f in self.files]
        self.file_index = 0
        self.hunk_index = 0
        self._counts: dict[int, tuple[int, int]] = {}

    # --- reading -------------------------------------------------------------------------

    @property
    def file(self) -> FileDiff:
        return self.files[self.file_index]

    @property
    def slot(self) -> Slot:
        return self.slots[self.file_index][self.hunk_index]

    def counts(self, index: int) -> tuple[int, int]:
        """Added and removed lines of a file (counted once: a lockfile has 40,000)."""
        if index not in self._counts:
            file = self.files[index]
            self._counts[index] = (file.added, file.removed)
        return self._counts[index]

    def undecided(self) -> int:
        return sum(1 for row in self.slots for s in row if s.accepted is None)

    def file_summary(self, index: int) -> str:
        """"3/4 ✓" style: decided count over total, with a mark when the file is settled."""
        row = self.slots[index]
        decided = sum(1 for s in row if s.accepted is not None)
        if decided < len(row):
            return f"{decided}/{len(row)}"
        if all(s.accepted for s in row):
            return "✓"
        if not any(s.accepted for s in row):
            return "✗"
        return "±"

    # --- moving --------------------------------------------------------------------------

    def move(self, delta: int) -> None:
        """Next/previous hunk, crossing into the neighbouring file at the ends."""
        position = [(f, h) for f, row in enumerate(self.slots) for h in range(len(row))]
        here = position.index((self.file_index, self.hunk_index))
        there = max(0, min(len(position) - 1, here + delta))
        self.file_index, self.hunk_index = position[there]

    def move_file(self, delta: int) -> None:
        self.file_index = (self.file_index + delta) % len(self.files)
        self.hunk_index = 0

    def select_file(self, index: int) -> None:
        self.file_index = index
        self.hunk_index = 0

    def next_undecided(self) -> bool:
        """The next undecided hunk of this file, else of the next files (wrapping round);
        False when every hunk is decided."""
        order = [(f, h) for f, row in enumerate(self.slots) for h in range(len(row))]
        here = order.index((self.file_index, self.hunk_index))
        for f, h in order[here + 1 :] + order[: here + 1]:
            if self.slots[f][h].accepted is None:
                self.file_index, self.hunk_index = f, h
                return True
        return False

    def _advance(self) -> None:
        """After a verdict: on to the next undecided hunk."""
        self.next_undecided()

    # --- deciding ------------------------------------------------------------------------

    def decide(self, accepted: bool) -> None:
        slot = self.slot
        slot.accepted = accepted
        if not accepted:
            slot.edited = None
        self._advance()

    def decide_rest_of_file(self, accepted: bool) -> None:
        for slot in self.slots[self.file_index][self.hunk_index :]:
            if slot.accepted is None:
                slot.accepted = accepted
        self._advance()

    def decide_everything(self, accepted: bool) -> None:
        for row in self.slots:
            for slot in row:
                if slot.accepted is None:
                    slot.accepted = accepted

    def set_note(self, note: str) -> None:
        self.slot.note = note.strip() or None

    def set_edited(self, lines: tuple[str, ...]) -> None:
        self.slot.edited = lines
        self.slot.accepted = True
        self._advance()

    def decision(self, stop: bool = False) -> ChangeDecision:
        return ChangeDecision(
            tuple(
                FileVerdict(f.path, tuple(s.verdict() for s in row))
                for f, row in zip(self.files, self.slots, strict=True)
            ),
            stop=stop,
        )
