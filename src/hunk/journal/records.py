"""What a journal holds, and the one fold that reads it back.

Record kinds are named here; every writer uses these names and every reader goes through
`fold(path) -> SessionView`: the conversation as it was sent, usage and cost, the commits made
(and which were undone), and the turn a crash left open with the files it wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hunk.values.conversation import Message, Usage, append_merged, message_from_dict

# --- record kinds ----------------------------------------------------------------------------
SESSION = "session"  # model, repo, mode: a session (re)started
MODEL = "model"  # the model was switched
TURN_BEGIN = "turn.begin"  # turn, prompt
TURN_END = "turn.end"  # turn, status, commit
MESSAGE = "message"  # one message of the conversation
USAGE = "usage"  # tokens and cost of one call
WRITE = "write"  # path, before, after: a file the agent is about to write (blobs kept)
COMMIT_BEGIN = "commit.begin"  # files: hunk is about to commit
COMMIT = "commit"  # sha, files, subject
UNDO = "undo"  # sha, mode, new_head
COMPACTED = "compacted"  # messages: the history after compaction
CLEARED = "cleared"  # /clear: a fresh conversation


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The journal's records; a torn last line (a crash mid-write) is skipped. A journal not
    written yet has none."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


@dataclass(frozen=True)
class CommitRecord:
    sha: str
    at: float
    files: tuple[str, ...]
    subject: str


@dataclass
class InterruptedWrite:
    path: str
    before: str | None  # hash of the content before the turn (None: the file did not exist)
    after: str | None  # hash of what the agent last wrote


@dataclass
class SessionView:
    """A session as its journal tells it."""

    id: str
    path: Path
    started_at: float
    model: str = ""
    first_prompt: str = ""
    turns: int = 0
    history: list[Message] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None  # None while no call had a known price
    commits: list[CommitRecord] = field(default_factory=list)  # every commit made, oldest first
    undone: set[str] = field(default_factory=set)
    cleared_after: int = 0  # how many of `commits` came before the conversation's last /clear
    open_turn: int | None = None  # a turn that began and never ended (a crash)
    interrupted: list[InterruptedWrite] = field(default_factory=list)  # what the open turn wrote

    @property
    def live_commits(self) -> list[CommitRecord]:
        """The commits made and not undone since, oldest first."""
        return [c for c in self.commits if c.sha not in self.undone]

    @property
    def commits_since_clear(self) -> list[CommitRecord]:
        """The live commits of the current conversation (since its last /clear)."""
        return [c for c in self.commits[self.cleared_after :] if c.sha not in self.undone]


def fold(path: Path) -> SessionView:
    """Rebuild a session from its journal in one pass."""
    view = SessionView(id=path.stem, path=path, started_at=path.stat().st_mtime if path.exists() else 0.0)
    writes: dict[str, InterruptedWrite] = {}
    for record in read_records(path):
        kind = record.get("t")
        if kind == MESSAGE:
            append_merged(view.history, message_from_dict(record["message"]))
        elif kind == USAGE:
            view.usage = view.usage + Usage(**record["usage"])
            if record.get("cost_usd") is not None:
                view.cost_usd = (view.cost_usd or 0.0) + record["cost_usd"]
        elif kind == TURN_BEGIN:
            view.turns += 1
            view.open_turn, writes = record.get("turn"), {}
            view.first_prompt = view.first_prompt or record.get("prompt", "")
        elif kind == TURN_END:
            view.open_turn, writes = None, {}
        elif kind == WRITE and view.open_turn is not None:
            earlier = writes.get(record["path"])
            before = earlier.before if earlier else record.get("before")
            writes[record["path"]] = InterruptedWrite(record["path"], before, record.get("after"))
        elif kind == COMMIT:
            files = tuple(record.get("files") or ())
            view.commits.append(CommitRecord(record["sha"], record.get("at", 0.0), files, record.get("subject", "")))
        elif kind == UNDO and record.get("sha"):
            view.undone.add(record["sha"])
        elif kind == COMPACTED:
            view.history = [message_from_dict(m) for m in record["messages"]]
        elif kind == CLEARED:
            view.history = []
            view.cleared_after = len(view.commits)
        elif kind == SESSION:
            view.started_at = record.get("at", view.started_at)
            view.model = record.get("model", "")
        elif kind == MODEL:
            view.model = record.get("model", view.model)
    view.interrupted = list(writes.values()) if view.open_turn is not None else []
    return view
