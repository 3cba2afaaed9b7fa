"""The session journal: append-only JSONL, written before acting.

One file per session under the state directory, keyed by repository:
`<state>/sessions/<repo-key>/<session-id>.jsonl`, with the file contents the agent replaced kept
beside it in `blobs/` so an interrupted turn can be put back. Every record is one JSON object
with `t` (its kind) and `at` (unix time). Keys never reach it: records hold messages, paths,
hashes and usage only.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hunk.values.conversation import Message, Usage, message_from_dict, message_to_dict, usage_to_dict
from hunk.workspace.changeset import content_hash


def repo_key(root: Path) -> str:
    """A folder name for a repository: its base name plus a hash of its absolute path."""
    resolved = str(root.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:12]
    return f"{root.resolve().name or 'root'}-{digest}"


def new_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


class Journal:
    """Appends records to one session's file, flushing and fsyncing each before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.session_id = path.stem
        self.blob_dir = path.parent / "blobs"
        path.parent.mkdir(parents=True, exist_ok=True)

    def append(self, kind: str, **data: Any) -> None:
        record = {"t": kind, "at": round(time.time(), 3), **data}
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def keep_blob(self, data: bytes | None) -> str | None:
        """Store content the agent is about to replace; returns its hash (None for "absent")."""
        digest = content_hash(data)
        if digest is None:
            return None
        target = self.blob_dir / digest
        if not target.exists():
            self.blob_dir.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)  # type: ignore[arg-type]
            os.replace(tmp, target)
        return digest

    def siblings(self) -> list[Path]:
        """Every journal of this repository, this one included."""
        return sorted(self.path.parent.glob("*.jsonl"))

    def blob(self, digest: str | None) -> bytes | None:
        return None if digest is None else (self.blob_dir / digest).read_bytes()

    # --- typed helpers ----------------------------------------------------------------------

    def message(self, message: Message) -> None:
        self.append("message", message=message_to_dict(message))

    def usage(self, usage: Usage, cost_usd: float | None) -> None:
        self.append("usage", usage=usage_to_dict(usage), cost_usd=cost_usd)


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


@dataclass
class SessionSummary:
    id: str
    path: Path
    started_at: float
    model: str = ""
    first_prompt: str = ""
    turns: int = 0
    cost_usd: float = 0.0
    commits: list[str] = field(default_factory=list)
    unfinished_turn: int | None = None  # a turn that began and never ended (a crash)


def summarize(path: Path) -> SessionSummary:
    summary = SessionSummary(id=path.stem, path=path, started_at=path.stat().st_mtime)
    open_turn: int | None = None
    for record in read_records(path):
        kind = record.get("t")
        if kind == "session":
            summary.started_at = record.get("at", summary.started_at)
            summary.model = record.get("model", "")
        elif kind == "turn.begin":
            summary.turns += 1
            open_turn = record.get("turn")
            if not summary.first_prompt:
                summary.first_prompt = record.get("prompt", "")
        elif kind == "turn.end":
            open_turn = None
        elif kind == "usage" and record.get("cost_usd") is not None:
            summary.cost_usd += record["cost_usd"]
        elif kind == "commit":
            summary.commits.append(record["sha"])
        elif kind == "model":
            summary.model = record.get("model", summary.model)
    summary.unfinished_turn = open_turn
    return summary


class SessionStore:
    """All sessions of one repository."""

    def __init__(self, state_dir: Path, root: Path) -> None:
        self.dir = state_dir / "sessions" / repo_key(root)

    def create(self) -> Journal:
        return Journal(self.dir / f"{new_session_id()}.jsonl")

    def paths(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(self.dir.glob("*.jsonl"), key=lambda p: (p.stat().st_mtime, p.name))

    def latest(self) -> Path | None:
        paths = self.paths()
        return paths[-1] if paths else None

    def find(self, session_id: str) -> Path | None:
        exact = self.dir / f"{session_id}.jsonl"
        if exact.is_file():
            return exact
        matches = [p for p in self.paths() if p.stem.startswith(session_id)]
        return matches[0] if len(matches) == 1 else None

    def summaries(self) -> list[SessionSummary]:
        return [summarize(p) for p in self.paths()]


def restore_history(path: Path) -> list[Message]:
    """The conversation as it was sent to the model: every message record, in order.

    A `compacted` record replaces everything before it with its summary messages; `cleared`
    starts afresh. Consecutive user messages are merged, as the agent merged them when sending.
    """
    history: list[Message] = []
    for record in read_records(path):
        kind = record.get("t")
        if kind == "message":
            message = message_from_dict(record["message"])
            if message.role == "user" and history and history[-1].role == "user":
                history[-1] = Message("user", history[-1].parts + message.parts)
            else:
                history.append(message)
        elif kind == "compacted":
            history = [message_from_dict(m) for m in record["messages"]]
        elif kind == "cleared":
            history = []
    return history


def usage_totals(path: Path) -> tuple[Usage, float | None]:
    """Tokens and cost a session has used so far (a resumed session starts from these)."""
    usage, cost = Usage(), None
    for record in read_records(path):
        if record.get("t") == "usage":
            usage = usage + Usage(**record["usage"])
            if record.get("cost_usd") is not None:
                cost = (cost or 0.0) + record["cost_usd"]
    return usage, cost


@dataclass
class InterruptedWrite:
    path: str
    before: str | None  # hash of the content before the turn (None: the file did not exist)
    after: str | None  # hash of what the agent last wrote


def interrupted_writes(path: Path) -> tuple[int | None, list[InterruptedWrite]]:
    """The turn that began and never ended, and the files it wrote (first before, last after)."""
    open_turn: int | None = None
    writes: dict[str, InterruptedWrite] = {}
    for record in read_records(path):
        kind = record.get("t")
        if kind == "turn.begin":
            open_turn, writes = record.get("turn"), {}
        elif kind == "turn.end":
            open_turn, writes = None, {}
        elif kind == "write" and open_turn is not None:
            earlier = writes.get(record["path"])
            before = earlier.before if earlier else record.get("before")
            writes[record["path"]] = InterruptedWrite(record["path"], before, record.get("after"))
    return open_turn, list(writes.values())
