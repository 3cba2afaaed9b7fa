"""What a journal holds, and the one fold that reads it back.

Record kinds are named here; every writer uses these names and every reader goes through
`fold(path) -> SessionView`: the conversation as it was sent, usage and cost, the commits made
(and which were undone), and the turn a crash left open with the files it wrote. Resuming a
session folds its journal once, into a `Resumed`; finding the session used last reads each
journal from its end (`journal.last_used`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hunk.values.usage import Usage

if TYPE_CHECKING:  # the conversation's values load with the first message read, not before the first paint
    from hunk.values.conversation import Message

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
COMMIT_INTENT = "commit.intent"  # head, tree, index: what `git commit` is about to make (recovery)
COMMIT_FAILED = "commit.failed"  # reason: a hook refused the commit
COMMAND_BEGIN = "command.begin"  # keep: every byte and the git state, kept before a command starts
COMMAND_END = "command.end"  # keep, moved, ignored: the command ended and its changes are journalled
UNDO = "undo"  # sha, mode, new_head
COMPACTED = "compacted"  # messages: the history after compaction
CLEARED = "cleared"  # /clear: a fresh conversation
REWOUND = "rewound"  # turn, code, conversation: back to before that turn (kept, for /redo)
REDONE = "redone"  # the latest rewind of the conversation is taken back


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
    """A commit the agent made, as the journal keeps it."""

    sha: str
    at: float
    files: tuple[str, ...]
    subject: str


@dataclass
class TurnRecord:
    """One prompt of the session and what it led to."""

    number: int  # 1 for the session's first prompt, in journal order
    prompt: str
    history_before: int  # messages in the conversation when the turn began
    parts_before: int  # parts of the last of them, when it was a user message the prompt joins
    epoch: int  # compactions and /clears before it: a cut is exact only within one epoch
    commits: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    cost_usd: float | None = None
    rewound: bool = False  # its conversation was cut away (and may be redone)


@dataclass
class InterruptedWrite:
    """A file the agent wrote in a turn that never ended: its content before and after, by hash."""

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
    forked_from: str | None = None  # the session this one was forked from
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
    # the open turn's command that never ended (its keep), commit under way, and commit made
    open_keep: str | None = None
    open_intent: dict[str, Any] | None = None
    open_commit: str | None = None
    turn_log: list[TurnRecord] = field(default_factory=list)
    epoch: int = 0
    redo: list[tuple[list[Message], list[bool]]] = field(default_factory=list)  # per rewind: before it

    def turn(self, number: int) -> TurnRecord | None:
        return next((t for t in self.turn_log if t.number == number), None)

    @property
    def live_commits(self) -> list[CommitRecord]:
        """The commits made and not undone since, oldest first."""
        return [c for c in self.commits if c.sha not in self.undone]

    @property
    def commits_since_clear(self) -> list[CommitRecord]:
        """The live commits of the current conversation (since its last /clear)."""
        return [c for c in self.commits[self.cleared_after :] if c.sha not in self.undone]


@dataclass(frozen=True)
class Resumed:
    """A session as it is picked up again (`-c`, `--resume`): what the agent and the front end
    start from, taken from the one fold of its journal made when it was opened. A new session
    starts from the empty one."""

    history: tuple[Message, ...] = ()  # the conversation as it was sent to the model
    usage: Usage = Usage()  # tokens the session has used so far
    cost_usd: float | None = None  # None while no call had a known price
    prompts: tuple[str, ...] = ()  # what the person typed, turn by turn, oldest first

    @classmethod
    def of(cls, view: SessionView) -> Resumed:
        return cls(tuple(view.history), view.usage, view.cost_usd, tuple(t.prompt for t in view.turn_log))


def history_before(history: list[Message], turn: TurnRecord) -> list[Message]:
    """The conversation as it stood when `turn` began. A prompt sent right after another user
    message was merged into it, so that message is cut back to the parts it had then."""
    from hunk.values.conversation import Message

    kept = history[: turn.history_before]
    if turn.parts_before and kept and kept[-1].role == "user":
        kept[-1] = Message("user", kept[-1].parts[: turn.parts_before])
    return kept


def fold(path: Path) -> SessionView:
    """Rebuild a session from its journal in one pass."""
    from hunk.values.conversation import append_merged, message_from_dict

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
                if view.open_turn is not None and view.turn_log:
                    view.turn_log[-1].cost_usd = (view.turn_log[-1].cost_usd or 0.0) + record["cost_usd"]
        elif kind == TURN_BEGIN:
            view.turns += 1
            view.open_turn, writes = record.get("turn"), {}
            view.open_keep = view.open_intent = view.open_commit = None
            view.first_prompt = view.first_prompt or record.get("prompt", "")
            last = view.history[-1] if view.history else None
            joins = len(last.parts) if last is not None and last.role == "user" else 0
            view.turn_log.append(TurnRecord(len(view.turn_log) + 1, record.get("prompt", ""), len(view.history), joins, view.epoch))
            view.redo.clear()  # new work: a rewound conversation can no longer come back
        elif kind == TURN_END:
            view.open_turn, writes = None, {}
            view.open_keep = view.open_intent = view.open_commit = None
        elif kind in (COMMAND_BEGIN, COMMAND_END) and view.open_turn is not None:
            view.open_keep = record.get("keep") if kind == COMMAND_BEGIN else None
        elif kind in (COMMIT_INTENT, COMMIT_FAILED) and view.open_turn is not None:
            view.open_intent = record if kind == COMMIT_INTENT else None
        elif kind == WRITE and view.open_turn is not None:
            earlier = writes.get(record["path"])
            before = earlier.before if earlier else record.get("before")
            writes[record["path"]] = InterruptedWrite(record["path"], before, record.get("after"))
        elif kind == COMMIT:
            if view.open_turn is not None:
                view.open_intent, view.open_commit = None, record["sha"]
            files = tuple(record.get("files") or ())
            view.commits.append(CommitRecord(record["sha"], record.get("at", 0.0), files, record.get("subject", "")))
            if view.turn_log:
                view.turn_log[-1].commits.append(record["sha"])
                view.turn_log[-1].files.extend(f for f in files if f not in view.turn_log[-1].files)
        elif kind == UNDO and record.get("sha"):
            view.undone.add(record["sha"])
        elif kind == COMPACTED:
            view.history = [message_from_dict(m) for m in record["messages"]]
            view.epoch += 1
        elif kind == CLEARED:
            view.history = []
            view.cleared_after = len(view.commits)
            view.epoch += 1
        elif kind == REWOUND and record.get("conversation"):
            target = view.turn(record["turn"])
            if target is not None and target.epoch == view.epoch:
                view.redo.append((list(view.history), [t.rewound for t in view.turn_log]))
                view.history = history_before(view.history, target)
                for later in view.turn_log[target.number - 1 :]:
                    later.rewound = True
        elif kind == REDONE and view.redo:
            view.history, flags = view.redo.pop()
            for turn, flag in zip(view.turn_log, flags):
                turn.rewound = flag
        elif kind == SESSION:
            view.started_at = record.get("at", view.started_at)
            view.model = record.get("model", "")
            view.forked_from = view.forked_from or record.get("forked_from")
        elif kind == MODEL:
            view.model = record.get("model", view.model)
    view.interrupted = list(writes.values()) if view.open_turn is not None else []
    return view
