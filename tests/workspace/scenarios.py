"""Random repositories for the two promises, built so the right answer is known by construction.

A text file is a row of slots, each after a separator of eight unique lines (more than twice the
diff context, so an agent's edit in one slot is exactly one hunk). Each slot has one owner:
nobody, the user (staged, unstaged or both) or the agent. The user and the agent never edit the
same slot, so "HEAD plus exactly the accepted hunks" has one meaning: the agent's version of
the slots whose hunk was accepted, everyone else's version of the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.values.diffs import FileDiff
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import apply_verdicts, file_diff

LINES = st.sampled_from(
    [b"alpha", b"beta", b"", b"  indented", b"caf\xe9 latin-1", b"tab\there", b"x = 1"]
)
CONTENT = st.lists(LINES, max_size=3).map(tuple)
OWNERS = ("nobody", "staged", "unstaged", "both", "agent")
MODE = 0o100644
VERDICT = st.sampled_from([True, True, False])  # lean towards accepting, so most examples commit


@dataclass(frozen=True)
class Slot:
    owner: str
    head: tuple[bytes, ...]
    staged: tuple[bytes, ...]
    worktree: tuple[bytes, ...]
    agent: tuple[bytes, ...]  # the agent's proposal (== worktree unless the agent owns it)


@dataclass(frozen=True)
class TextFile:
    path: str
    slots: tuple[Slot, ...]
    eol: bytes
    final_newline: bool
    trailing_separator: bool

    def build(self, version: str, accepted: frozenset[int] = frozenset()) -> bytes:
        """The file with each slot at `version` ("head", "staged", "worktree", "agent"); slots in
        `accepted` take the agent's content instead."""
        lines: list[bytes] = []
        for index, slot in enumerate(self.slots):
            lines += [
                b"== %s separator %d.%d ==" % (self.path.encode(), index, k) for k in range(8)
            ]
            lines += slot.agent if index in accepted else getattr(slot, version)
        if self.trailing_separator:
            lines.append(b"== end of %s ==" % self.path.encode())
        data = b"".join(line + self.eol for line in lines)
        return data if self.final_newline else data[: -len(self.eol)] if data else data

    @property
    def proposal(self) -> FileChange:
        """The agent's proposed change of this file (made on top of the user's working tree)."""
        return FileChange(self.path, self.build("worktree"), self.build("agent"), MODE, MODE)

    @property
    def agent_slots(self) -> list[int]:
        """Slots the agent changed, in file order: one hunk each."""
        return [i for i, s in enumerate(self.slots) if s.owner == "agent" and s.agent != s.worktree]


@st.composite
def slots(draw: st.DrawFn) -> Slot:
    owner = draw(st.sampled_from(OWNERS))
    head = draw(CONTENT)
    staged = draw(CONTENT) if owner in ("staged", "both") else head
    worktree = draw(CONTENT) if owner in ("unstaged", "both") else staged
    agent = draw(CONTENT) if owner == "agent" else worktree
    return Slot(owner, head, staged, worktree, agent)


@st.composite
def text_files(draw: st.DrawFn, path: str) -> TextFile:
    return TextFile(
        path=path,
        slots=tuple(draw(st.lists(slots(), min_size=1, max_size=4))),
        eol=draw(st.sampled_from([b"\n", b"\r\n"])),
        final_newline=draw(st.booleans()),
        trailing_separator=draw(st.booleans()),
    )


@dataclass(frozen=True)
class WholeFileChange:
    """An agent change decided whole or as one hunk: add, delete or a binary edit."""

    path: str
    head: bytes | None
    after: bytes | None
    accepted: bool

    @property
    def proposal(self) -> FileChange:
        head_mode = None if self.head is None else MODE
        return FileChange(
            self.path, self.head, self.after, head_mode, None if self.after is None else MODE
        )


@st.composite
def whole_file_changes(draw: st.DrawFn) -> list[WholeFileChange]:
    out = []
    if draw(st.booleans()):
        out.append(
            WholeFileChange("added/new.txt", None, draw(st.binary(max_size=40)), draw(VERDICT))
        )
    if draw(st.booleans()):
        out.append(WholeFileChange("doomed.txt", b"delete me\n", None, draw(VERDICT)))
    if draw(st.booleans()):
        out.append(WholeFileChange("image.bin", b"\x89PNG\0\1", b"\x89PNG\0\2", draw(VERDICT)))
    return out


@dataclass(frozen=True)
class Scenario:
    texts: tuple[TextFile, ...]
    wholes: tuple[WholeFileChange, ...]
    untracked: bytes
    verdicts: tuple[tuple[bool, ...], ...]  # per text file, per hunk

    def accepted(self, index: int) -> frozenset[int]:
        slots_changed = self.texts[index].agent_slots
        return frozenset(s for s, ok in zip(slots_changed, self.verdicts[index], strict=True) if ok)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    count = draw(st.integers(1, 3))
    texts = tuple(draw(text_files(f"src/file{i}.txt")) for i in range(count))
    verdicts = tuple(
        tuple(draw(st.lists(VERDICT, min_size=len(t.agent_slots), max_size=len(t.agent_slots))))
        for t in texts
    )
    return Scenario(
        texts, tuple(draw(whole_file_changes())), draw(st.binary(max_size=20)), verdicts
    )


def decide(change: FileChange, accepted: tuple[bool, ...] | bool) -> tuple[FileDiff, FileChange]:
    """The diff a reviewer sees and the change restricted to the accepted hunks."""
    diff = file_diff(change)
    flags = (accepted,) * diff.decision_count if isinstance(accepted, bool) else accepted
    verdict = FileVerdict(change.path, tuple(HunkVerdict(ok) for ok in flags))
    return diff, apply_verdicts(change, diff, verdict)
