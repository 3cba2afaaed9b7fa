"""Random sequences of turns, the person's edits, undo, rewind, redo and fork, held against an
oracle: the worktree, the index, HEAD and the conversation the next request sends."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import git, make_repo

ORIGINAL = "".join(f"line {i}\n" for i in range(1, 41))

Op = tuple  # ("turn",) | ("mine",) | ("undo",) | ("rewind", k, what) | ("redo",) | ("fork", k)
ops = st.lists(
    st.one_of(
        st.just(("turn",)),
        st.just(("mine",)),
        st.just(("undo",)),
        st.tuples(st.just("rewind"), st.integers(1, 6), st.sampled_from(["both", "code", "conversation"])),
        st.just(("redo",)),
        st.tuples(st.just("fork"), st.integers(1, 6)),
    ),
    min_size=1,
    max_size=7,
)


@dataclass
class Oracle:
    marked: dict[int, str] = field(default_factory=dict)  # line → the commit's turn id, live commits
    commits: list[int] = field(default_factory=list)  # live agent commits (turn ids), oldest first
    conversation: list[str] = field(default_factory=list)  # the person's prompts as sent
    turns: list[tuple[int, int]] = field(default_factory=list)  # this session: (turn id, prompts before)
    redo: list[tuple[list[str], list[int]]] = field(default_factory=list)
    mine: int = 0

    def notes(self) -> str:
        return "".join(f"line {i} (turn {self.marked[i]})\n" if i in self.marked else f"line {i}\n" for i in range(1, 41))


def turn_replies(line: int, tid: int) -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "notes.txt", "old_string": f"line {line}\n", "new_string": f"line {line} (turn {tid})\n"})]),
        Reply(text="Done."),
        Reply(text=f"Mark line {line}"),
    ]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=ops)
def test_time_travel_matches_the_oracle(harness, sequence: list[Op]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_play(harness, Path(folder), sequence))


async def _play(harness, folder: Path, sequence: list[Op]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(folder / "repo", {"notes.txt": ORIGINAL, "mine.txt": "mine 0\n"})
    base = git(root, "rev-parse", "HEAD").strip()
    h = harness(root, "auto")
    o = Oracle()
    next_id = 0
    for op in sequence:
        if op[0] == "turn":
            next_id += 1
            line = 2 + 3 * (next_id - 1)
            h.fake.script(*turn_replies(line, next_id))
            o.turns.append((next_id, len(o.conversation)))
            o.redo.clear()
            await h.agent.run_turn(f"prompt {next_id}")
            o.conversation.append(f"prompt {next_id}")
            o.marked[line] = str(next_id)
            o.commits.append(next_id)
        elif op[0] == "mine":
            o.mine += 1
            (root / "mine.txt").write_text(f"mine {o.mine}\n")
        elif op[0] == "undo":
            said = await h.agent.undo()
            if o.commits:
                gone = o.commits.pop()
                o.marked = {k: v for k, v in o.marked.items() if v != str(gone)}
            else:
                assert "no agent commit" in said
        elif op[0] == "rewind":
            _, k, what = op
            said = await h.agent.rewind(k, code=what != "conversation", conversation=what != "code")
            if k > len(o.turns):
                assert "There is no turn" in said
                continue
            tid, before = o.turns[k - 1]
            if what != "conversation":
                later = {t for t, _ in o.turns[k - 1 :]}
                o.commits = [c for c in o.commits if c not in later]
                o.marked = {line: t for line, t in o.marked.items() if int(t) not in later}
            if what != "code":
                o.redo.append((list(o.conversation), []))
                o.conversation = o.conversation[:before]
        elif op[0] == "redo":
            said = await h.agent.redo()
            if o.redo:
                o.conversation = o.redo.pop()[0]
            else:
                assert "Nothing to redo" in said
        elif op[0] == "fork":
            _, k = op
            said = await h.agent.fork(k)
            if k > len(o.turns):
                assert "There is no turn" in said
                continue
            o.conversation = o.conversation[: o.turns[k - 1][1]]
            o.turns, o.redo = [], []

        assert (root / "notes.txt").read_text() == o.notes(), (op, sequence)
        assert (root / "mine.txt").read_text() == f"mine {o.mine}\n"
        assert git(root, "diff", "--cached", "--name-only") == ""  # the index follows HEAD
        assert git(root, "rev-list", "--count", f"{base}..HEAD").strip() == str(len(o.commits)), (op, sequence)
        assert git(root, "show", "HEAD:notes.txt") == o.notes()

    h.fake.script(Reply(text="ok"))
    await h.agent.run_turn("prompt final")
    sent = [
        part["text"]
        for m in h.fake.bodies("/v1/messages")[-1]["messages"]
        if m["role"] == "user"
        for part in m["content"]
        if part.get("type") == "text" and part["text"].startswith("prompt ")
    ]
    assert sent == o.conversation + ["prompt final"], sequence
    assert h.fake.pending == 0
