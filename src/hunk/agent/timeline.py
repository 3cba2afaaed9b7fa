"""Rewind, redo and fork for a live agent: the journal does the work (journal.rewind), and the
agent then takes its conversation from the journal again, so the next request sends exactly
what a `hunk run -c` would. Each call answers with one line for people and the conversation
(and, for a fork, the journal) the agent goes on with."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from hunk.journal.journal import Journal
from hunk.journal.records import fold
from hunk.journal.rewind import RewindRefused, fork, redo, rewind
from hunk.settings import prompts
from hunk.values.conversation import Message
from hunk.workspace.errors import GitStateError


@dataclass(frozen=True)
class Moved:
    said: str
    history: list[Message] | None = None  # the conversation to go on with; None: unchanged
    journal: Journal | None = None  # a fork's new journal


async def rewind_to(root: Path, journal: Journal, number: int, *, code: bool, conversation: bool) -> Moved:
    try:
        done = await asyncio.to_thread(rewind, root, journal.path, number, code=code, conversation=conversation)
    except (RewindRefused, GitStateError) as refused:
        return Moved(str(refused))
    said_code = ""
    if code:
        said_code = (
            prompts.message("rewind.code_back", count=len(done.commits), files=", ".join(done.files) or "no files")
            if done.commits
            else prompts.message("rewind.code_none")
        )
    said = prompts.message("rewind.conversation_cut" if conversation else "rewind.conversation_kept")
    history = await asyncio.to_thread(lambda: fold(journal.path).history)
    return Moved(prompts.message("rewind.done", turn=number, code=said_code, conversation=said), history)


async def redo_last(journal: Journal) -> Moved:
    if not await asyncio.to_thread(redo, journal.path):
        return Moved(prompts.message("rewind.nothing_to_redo"))
    history = await asyncio.to_thread(lambda: fold(journal.path).history)
    return Moved(prompts.message("rewind.redone"), history)


async def fork_at(journal: Journal, number: int) -> Moved:
    try:
        child = await asyncio.to_thread(fork, journal.path, number)
    except RewindRefused as refused:
        return Moved(str(refused))
    history = await asyncio.to_thread(lambda: fold(child.path).history)
    said = prompts.message("rewind.forked", session=child.session_id, turn=number, parent=journal.session_id)
    return Moved(said, history, child)
