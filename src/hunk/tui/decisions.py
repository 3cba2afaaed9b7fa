"""The state of a hunk-by-hunk review, apart from any widget.

`ReviewState` holds one verdict slot per hunk (or one per whole-file diff), a cursor over files
and hunks, and turns into the exact `ChangeDecision` the agent awaits. The change and review
screens only draw it and forward keys to it, so the rules are tested without a terminal.

Hunks that make the same change (`hunk.values.groups`) come first, a group at a time: while a
group is current (`group_index`), a verdict or a note is for every place of it, and the cursor
stands on its first undecided place as the example. Opening a group decides its places one by
one; any hunk can be taken out of its group. Then the hunks of no group.
"""

from __future__ import annotations

from dataclasses import dataclass

from hunk.agent.approval import ChangeDecision, ChangeReview
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.diffs import FileDiff
from hunk.values.groups import HunkGroup, Place, changed_line, group_hunks, summary


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
        self.groups: list[HunkGroup] = list(group_hunks(self.files))  # places shrink as hunks are taken out
        self.opened: set[int] = set()  # groups decided place by place
        self.group_index: int | None = None
        if self.groups:
            self.show_group(0)

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

    # --- groups --------------------------------------------------------------------------

    @property
    def group(self) -> HunkGroup | None:
        return None if self.group_index is None else self.groups[self.group_index]

    def live_groups(self) -> list[int]:
        """Groups still shown as one item: not opened, two places or more."""
        return [g for g, group in enumerate(self.groups) if g not in self.opened and len(group.places) > 1]

    def _pending_groups(self) -> list[int]:
        return [g for g in self.live_groups() if any(self.slots[f][h].accepted is None for f, h in self.groups[g].places)]

    def show_group(self, index: int) -> None:
        self.group_index = index
        places = self.groups[index].places
        self.file_index, self.hunk_index = next((p for p in places if self.slots[p[0]][p[1]].accepted is None), places[0])

    def next_group(self) -> bool:
        """The next live group after the current one (wrapping round); False when there is none."""
        live = self.live_groups()
        if not live:
            return False
        after = [g for g in live if self.group_index is None or g > self.group_index]
        self.show_group((after or live)[0])
        return True

    def open_group(self) -> None:
        """Decide the current group's places one by one: the cursor goes to its first undecided one."""
        if self.group_index is not None:
            self.opened.add(self.group_index)
            self.group_index = None

    def take_out(self) -> bool:
        """Take the current hunk out of its group (it is then decided on its own)."""
        here = (self.file_index, self.hunk_index)
        for g, group in enumerate(self.groups):
            if here in group.places:
                self.groups[g] = HunkGroup(group.id, group.change, tuple(p for p in group.places if p != here))
                self.group_index = None
                return True
        return False

    def group_text(self) -> list[str]:
        """The current group in lines: which of how many, the change, the places file by file."""
        group = self.group
        if group is None:
            return []
        live = self.live_groups()
        by_file: dict[int, list[str]] = {}
        for f, h in group.places:
            by_file.setdefault(f, []).append(str(changed_line(self.files[f].hunks[h])))
        return [
            f"group {live.index(self.group_index) + 1} of {len(live)}: {group.headline()}",
            *(f"    {line}" for line in group.describe()),
            *(f"  {self.files[f].path}: line{'s' if len(n) > 1 else ''} {', '.join(n)}" for f, n in by_file.items()),
        ]

    def summary(self) -> str:
        return summary(self.files, [self.groups[g] for g in self.live_groups()], self.undecided())

    def _places(self) -> list[Place]:
        """What a verdict now covers: the current group's places, or the current hunk."""
        group = self.group
        return list(group.places) if group is not None else [(self.file_index, self.hunk_index)]

    # --- moving --------------------------------------------------------------------------

    def move(self, delta: int) -> None:
        """Next/previous hunk, crossing into the neighbouring file at the ends."""
        self.group_index = None
        position = [(f, h) for f, row in enumerate(self.slots) for h in range(len(row))]
        here = position.index((self.file_index, self.hunk_index))
        there = max(0, min(len(position) - 1, here + delta))
        self.file_index, self.hunk_index = position[there]

    def move_file(self, delta: int) -> None:
        self.group_index = None
        self.file_index = (self.file_index + delta) % len(self.files)
        self.hunk_index = 0

    def select_file(self, index: int) -> None:
        self.group_index = None
        self.file_index = index
        self.hunk_index = 0

    def next_undecided(self) -> bool:
        """The next undecided hunk of this file, else of the next files (wrapping round);
        False when every hunk is decided."""
        self.group_index = None
        order = [(f, h) for f, row in enumerate(self.slots) for h in range(len(row))]
        here = order.index((self.file_index, self.hunk_index))
        for f, h in order[here + 1 :] + order[: here + 1]:
            if self.slots[f][h].accepted is None:
                self.file_index, self.hunk_index = f, h
                return True
        return False

    def _advance(self) -> None:
        """After a verdict: on to the next undecided group, else the next undecided hunk."""
        pending = self._pending_groups()
        if pending:
            self.show_group(pending[0])
        else:
            self.next_undecided()

    # --- deciding ------------------------------------------------------------------------

    def decide(self, accepted: bool) -> None:
        for f, h in self._places():
            slot = self.slots[f][h]
            slot.accepted = accepted
            if not accepted:
                slot.edited = None
        self._advance()

    def decide_rest_of_file(self, accepted: bool) -> None:
        if self.group_index is not None:  # a group stands for its places, wherever they are
            self.decide(accepted)
            return
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
        for f, h in self._places():
            self.slots[f][h].note = note.strip() or None

    def set_edited(self, lines: tuple[str, ...]) -> None:
        if self.group_index is not None:  # an edited hunk no longer makes the group's change
            self.take_out()
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
