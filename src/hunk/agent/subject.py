"""The commit subject, asked of the model in the background so the commit question never waits
for it: a deterministic subject from the file names at once, the model's words when they come.

The request goes to the provider's small, cheap model (`[models] small`, or the catalog's
default for the provider; the session's model when there is none), and starts as early as the
changes are known: when the review of a turn begins.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hunk.providers.base import Provider, Request
from hunk.providers.catalog import small_model
from hunk.providers.collect import complete
from hunk.settings import prompts
from hunk.values.conversation import Message
from hunk.values.usage import Usage
from hunk.values.diffs import FileDiff
from hunk.workspace.diff import diffstat

SUBJECT_LIMIT = 72
DIFF_LIMIT = 12_000  # characters of diff the model sees when writing the subject


def clean_subject(text: str) -> str:
    """The model's answer as a subject line: first non-empty line, no quotes, ≤ 72 chars."""
    for line in text.strip().splitlines():
        line = line.strip().strip("`\"'").strip()
        if line.lower().startswith("subject:"):
            line = line[len("subject:") :].strip()
        if line:
            if len(line) > SUBJECT_LIMIT:
                cut = line[: SUBJECT_LIMIT - 1].rsplit(" ", 1)[0]
                line = cut.rstrip(" ,;:.") + "…"
            return line
    return ""


def fallback_subject(diffs: list[FileDiff]) -> str:
    names = [d.path.rsplit("/", 1)[-1] for d in diffs]
    if len(names) == 1:
        subject = f"Update {names[0]}"
    elif len(names) == 2:
        subject = f"Update {names[0]} and {names[1]}"
    else:
        subject = f"Update {names[0]}, {names[1]} and {len(names) - 2} more files"
    return clean_subject(subject)


class PendingSubject:
    """A subject on its way. `fallback` is there at once; `arrived` is the model's subject once
    it came (None before, and for ever when the request failed or said nothing useful)."""

    def __init__(self, diffs: list[FileDiff], task: asyncio.Task[str | None] | None) -> None:
        self.key = _key(diffs)
        self.fallback = fallback_subject(diffs)
        self._task = task
        self._callbacks: list[Callable[[str | None], None]] = []
        if task is not None:
            task.add_done_callback(self._done)

    @property
    def arrived(self) -> str | None:
        task = self._task
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    @property
    def waiting(self) -> bool:
        return self._task is not None and not self._task.done()

    def best(self) -> str:
        return self.arrived or self.fallback

    def fill(self, message: str, subject: str) -> str:
        """`message` with `subject` in place of the fallback; a first line the person changed stays."""
        first, newline, rest = message.partition("\n")
        return subject + newline + rest if first.strip() == self.fallback else message

    async def wait(self) -> str:
        """The model's subject, or the fallback when it cannot come. For approvers nobody watches."""
        if self._task is not None:
            await asyncio.wait([self._task])
        return self.best()

    def when_settled(self, callback: Callable[[str | None], None]) -> None:
        """Call `callback` on the event loop once the request is over (at once when it is):
        with the model's subject, or None when none came."""
        if self.waiting:
            self._callbacks.append(callback)
        else:
            callback(self.arrived)

    def forget(self, callback: Callable[[str | None], None]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def cancel(self) -> None:
        self._callbacks.clear()
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _done(self, task: asyncio.Task[str | None]) -> None:
        subject = self.arrived
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback(subject)


def _key(diffs: list[FileDiff]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((d.path, d.text) for d in diffs))


class SubjectWriter:
    """Starts subject requests and keeps the newest, so a commit of the changes the request
    was started for takes it over (and a commit of other changes starts its own)."""

    def __init__(self, provider: Provider, configured: str, on_usage: Callable[[Usage, str], None]) -> None:
        self.provider = provider
        self.model = small_model(provider.provider_name, provider.model, configured)
        self.on_usage = on_usage
        self._pending: PendingSubject | None = None

    def start(self, diffs: list[FileDiff]) -> PendingSubject:
        """The subject for these diffs: the one already asked for, or a new request."""
        if self._pending is not None and self._pending.key == _key(diffs):
            return self._pending
        self.cancel()
        self._pending = PendingSubject(diffs, asyncio.create_task(self._ask(diffs), name="hunk-commit-subject"))
        return self._pending

    def cancel(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    async def _ask(self, diffs: list[FileDiff]) -> str | None:
        diff_text = "".join(d.text for d in diffs)
        if len(diff_text) > DIFF_LIMIT:
            diff_text = diff_text[:DIFF_LIMIT] + "\n" + prompts.message("changes.diff_truncated")
        request = Request(
            model=self.model,
            system=prompts.render("commit_system"),
            messages=(Message.user(prompts.render("commit_message", diffstat=diffstat(diffs), diff=diff_text)),),
            tools=(),
            max_tokens=200,
        )
        try:
            reply = await complete(self.provider, request)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a subject line is never worth failing a commit over
            return None
        self.on_usage(reply.usage, self.model)
        return (clean_subject(reply.text) if reply.failure is None else "") or None
