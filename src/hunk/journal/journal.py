"""The session journal: append-only JSONL, written before acting.

One file per session under the state directory, keyed by repository:
`<state>/sessions/<repo-key>/<session-id>.jsonl`, with the file contents the agent replaced kept
beside it in `blobs/` so an interrupted turn can be put back. Every record is one JSON object
with `t` (its kind) and `at` (unix time). Keys never reach it: records hold messages, paths,
hashes and usage only, and any known credential value (`secrets`) is replaced before a line is
written. The files are the person's alone: folders 0700, files 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hunk.journal.records import MESSAGE, UNDO, USAGE, InterruptedWrite, fold, read_records
from hunk.values.usage import Usage, usage_to_dict

if TYPE_CHECKING:  # the conversation's values load with the first message, not before the first paint
    from hunk.values.conversation import Message


def repo_key(root: Path) -> str:
    """A folder name for a repository: its base name plus a hash of its absolute path."""
    resolved = str(root.resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:12]
    return f"{root.resolve().name or 'root'}-{digest}"


def private_dirs(folder: Path) -> None:
    """Make `folder` (and missing parents) readable by its owner alone."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for each in (folder, folder.parent):
        if each.name in ("sessions", "blobs") or each == folder:
            os.chmod(each, 0o700)


def new_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + os.urandom(3).hex()


class Journal:
    """Appends records to one session's file, flushing and fsyncing each before returning."""

    def __init__(self, path: Path, secrets: tuple[str, ...] = ()) -> None:
        self.path = path
        self.session_id = path.stem
        self.blob_dir = path.parent / "blobs"
        self.secrets = secrets  # credential values never written (settings.secrets)
        private_dirs(path.parent)

    def append(self, kind: str, **data: Any) -> None:
        record = {"t": kind, "at": round(time.time(), 3), **data}
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        for value in self.secrets:
            line = line.replace(value, "[redacted]")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with open(fd, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def keep_blob(self, data: bytes | None) -> str | None:
        """Store content the agent is about to replace; returns its hash (None for "absent")."""
        from hunk.workspace.changeset import content_hash

        digest = content_hash(data)
        if digest is None:
            return None
        target = self.blob_dir / digest
        if not target.exists():
            private_dirs(self.blob_dir)
            tmp = target.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "wb") as handle:
                handle.write(data)  # type: ignore[arg-type]
            os.replace(tmp, target)
        return digest

    def siblings(self) -> list[Path]:
        """Every journal of this repository, this one included."""
        return sorted(self.path.parent.glob("*.jsonl"))

    def blob(self, digest: str | None) -> bytes | None:
        return None if digest is None else (self.blob_dir / digest).read_bytes()

    # --- typed helpers ----------------------------------------------------------------------

    def message(self, message: Message) -> None:
        from hunk.values.conversation import message_to_dict

        self.append(MESSAGE, message=message_to_dict(message))

    def usage(self, usage: Usage, cost_usd: float | None) -> None:
        self.append(USAGE, usage=usage_to_dict(usage), cost_usd=cost_usd)


@dataclass
class SessionSummary:
    """One line of `hunk sessions`, read from a session's file."""

    id: str
    path: Path
    started_at: float
    model: str = ""
    first_prompt: str = ""
    turns: int = 0
    cost_usd: float = 0.0
    commits: list[str] = field(default_factory=list)
    unfinished_turn: int | None = None  # a turn that began and never ended (a crash)
    forked_from: str | None = None


def summarize(path: Path) -> SessionSummary:
    view = fold(path)
    return SessionSummary(
        id=view.id,
        path=path,
        started_at=view.started_at,
        model=view.model,
        first_prompt=view.first_prompt,
        turns=view.turns,
        cost_usd=view.cost_usd or 0.0,
        commits=[c.sha for c in view.commits],
        unfinished_turn=view.open_turn,
        forked_from=view.forked_from,
    )


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
        """The session used last (what `-c` continues): not the file written last, since
        `hunk undo` writes its record into the journal of the session whose commit it takes
        back, however old."""
        paths = self.paths()
        return max(paths, key=last_used) if paths else None

    def find(self, session_id: str) -> Path | None:
        exact = self.dir / f"{session_id}.jsonl"
        if exact.is_file():
            return exact
        matches = [p for p in self.paths() if p.stem.startswith(session_id)]
        return matches[0] if len(matches) == 1 else None

    def summaries(self) -> list[SessionSummary]:
        return [summarize(p) for p in self.paths()]


# records another session writes into a journal: they do not make it the one last used
_WRITTEN_FROM_ELSEWHERE = frozenset({UNDO})


def last_used(path: Path) -> tuple[float, str]:
    """When the session itself last wrote to its journal (its file's time when it wrote
    nothing), with its name to break ties. Read from the end: every start asks this of every
    session, and the whole journals can be megabytes."""
    used = next(
        (r["at"] for r in records_from_end(path) if r.get("t") not in _WRITTEN_FROM_ELSEWHERE and isinstance(r.get("at"), (int, float))),
        None,
    )
    return (path.stat().st_mtime if used is None else used, path.name)


def records_from_end(path: Path, block: int = 8192) -> Iterator[dict[str, Any]]:
    """The journal's records, last first; torn or blank lines skipped as `read_records` does.
    What a start asks of a journal (its last use, whether a turn is open) sits near its end."""
    with open(path, "rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        rest = b""
        while end > 0:
            start = max(0, end - block)
            handle.seek(start)
            lines = (handle.read(end - start) + rest).split(b"\n")
            rest = lines.pop(0) if start > 0 else b""  # may be the tail of a line that began earlier
            for line in reversed(lines):
                record = _parsed(line)
                if record is not None:
                    yield record
            end = start
        record = _parsed(rest)
        if record is not None:
            yield record


def _parsed(line: bytes) -> dict[str, Any] | None:
    try:
        record = json.loads(line.decode("utf-8")) if line.strip() else None
    except (ValueError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) else None


def restore_history(path: Path) -> list[Message]:
    """The conversation as it was sent to the model (compaction and /clear applied)."""
    return fold(path).history


def usage_totals(path: Path) -> tuple[Usage, float | None]:
    """Tokens and cost a session has used so far (a resumed session starts from these)."""
    view = fold(path)
    return view.usage, view.cost_usd


def interrupted_writes(path: Path) -> tuple[int | None, list[InterruptedWrite]]:
    """The turn that began and never ended, and the files it wrote (first before, last after)."""
    view = fold(path)
    return view.open_turn, view.interrupted


__all__ = ["InterruptedWrite", "Journal", "SessionStore", "SessionSummary", "read_records", "repo_key", "restore_history", "summarize", "usage_totals", "interrupted_writes"]
