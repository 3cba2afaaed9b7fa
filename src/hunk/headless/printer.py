"""`hunk run`'s output: a plain printer for people, or JSON lines for scripts.

Both are event sinks fed by the core. The printer streams the model's text to stdout and puts
one line per tool call, diffs and notices on stderr, so `hunk run … > answer.md` keeps only the
answer.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

from hunk.settings.secrets import redact
from hunk.values.events import (
    ApprovalRequested,
    ChangeProposed,
    CheckFinished,
    PlanProposed,
    TodosUpdated,
    ChangesApplied,
    CommitCreated,
    Event,
    Notice,
    ProviderRetrying,
    ReviewDecided,
    TextDelta,
    ToolCallFinished,
    ToolCallStarted,
    TurnFailed,
    TurnFinished,
    UsageUpdated,
    event_to_json,
)
from hunk.values.usage import Usage

_COLOURS = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36", "magenta": "35"}


def use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *names: str) -> str:
        if not self.enabled or not names:
            return text
        codes = ";".join(_COLOURS[n] for n in names)
        return f"\x1b[{codes}m{text}\x1b[0m"

    def diff(self, text: str) -> str:
        if not self.enabled:
            return text
        out = []
        for line in text.splitlines():
            if line.startswith(("+++", "---", "diff --git", "new file", "deleted file", "old mode", "new mode", "index ")):
                out.append(self(line, "bold"))
            elif line.startswith("@@"):
                out.append(self(line, "cyan"))
            elif line.startswith("+"):
                out.append(self(line, "green"))
            elif line.startswith("-"):
                out.append(self(line, "red"))
            else:
                out.append(line)
        return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def tool_label(name: str, arguments: dict) -> str:
    """`edit_file src/cli.py`, `run_command pytest -q`: the call in a few words."""
    for key in ("path", "command", "pattern"):
        value = arguments.get(key)
        if isinstance(value, str) and value:
            value = value.splitlines()[0]
            return f"{name} {value[:80]}"
    return name


def money(value: float | None) -> str:
    return "$?" if value is None else f"${value:.4f}"


def turn_summary(usage: Usage, cost: float | None, session_cost: float | None) -> str:
    """`tokens 12,345 in (9,000 cached) · 456 out · $0.0123 this turn · $0.0456 session`"""
    cached = f" ({usage.cache_read_tokens:,} cached)" if usage.cache_read_tokens else ""
    return (
        f"tokens {usage.prompt_tokens:,} in{cached} · {usage.output_tokens:,} out · "
        f"{money(cost)} this turn · {money(session_cost)} session"
    )


def check_line(event: CheckFinished, style: Style) -> str:
    """`✓ check ruff check a.py` or `✗ check pytest -q  exit 1  (a.py)`."""
    if event.passed:
        return f"{style('✓', 'green')} check {event.command}"
    blamed = f"  ({', '.join(event.failed_files)})" if event.failed_files else ""
    return f"{style('✗', 'red')} check {event.command}  {style(event.status, 'dim')}{blamed}"


class Printer:
    """Human output. `show_diffs`: print each change's diff as it is written (auto mode; the
    reviewing modes show diffs in the review prompt). `quiet`: the diffstat alone."""

    def __init__(self, out: TextIO = sys.stdout, err: TextIO = sys.stderr, *, show_diffs: bool, quiet: bool = False) -> None:
        self.out = out
        self.err = err
        self.show_diffs = show_diffs and not quiet
        self.quiet = quiet
        self.style = Style(use_colour(err))
        self._labels: dict[str, str] = {}
        self._mid_line = False
        self._session_cost: float | None = None
        self._failure: str | None = None

    def __call__(self, event: Event) -> None:
        match event:
            case TextDelta(text):  # --quiet hides the diffs, never the answer
                self.out.write(text)
                self.out.flush()
                self._mid_line = not text.endswith("\n")
            case ToolCallStarted(call_id, name, arguments):
                self._labels[call_id] = tool_label(name, arguments)
            case ToolCallFinished(call_id=call_id, summary=summary, is_error=is_error, failed=failed):
                label = self._labels.pop(call_id, call_id)
                mark = self.style("✗", "red") if is_error or failed else self.style("•", "dim")
                self._line(f"{mark} {label}  {self.style(summary, 'dim')}")
            case ChangeProposed(diff=diff) if self.show_diffs:
                self._line(self.style.diff(diff).rstrip("\n"))
            case ReviewDecided(path, accepted, rejected, note) if rejected:
                extra = f" ({note})" if note else ""
                self._line(self.style(f"{path}: {accepted} hunk(s) accepted, {rejected} rejected{extra}", "yellow"))
            case ChangesApplied(diffstat=stat):
                self._line(stat.rstrip("\n"))
            case CommitCreated(sha, subject):
                self._line(self.style(f"committed {sha[:10]} {subject}", "green"))
            case Notice(message):
                self._line(self.style(message, "yellow"))
            case TodosUpdated(items):
                self._line("\n".join([self.style("todo", "bold"), *(f"  {item.line}" for item in items)]))
            case CheckFinished():
                self._line(check_line(event, self.style))
            case PlanProposed(plan):
                if self.quiet:  # the model's text was not streamed: the plan is the answer
                    self.out.write(plan + "\n")
                    self.out.flush()
                self._line(self.style("plan mode: nothing was changed", "cyan"))
            case ProviderRetrying() as retrying:
                if retrying.restart and self._mid_line:
                    self.out.write("\n")  # what streamed before the cut stays; the reply starts again
                    self._mid_line = False
                self._line(self.style(retrying.for_people(), "yellow"))
            case ApprovalRequested() if self._mid_line:  # the question starts a line of its own
                self.out.write("\n")
                self.out.flush()
                self._mid_line = False
            case TurnFailed(kind, message) if kind != "interrupted":
                self._failure = message  # said last, after the turn's summary
            case UsageUpdated(session_cost_usd=total):
                self._session_cost = total
            case TurnFinished(usage=usage, cost_usd=cost):
                if self._mid_line:
                    self.out.write("\n")
                    self._mid_line = False
                self.out.flush()
                self._line(self.style(turn_summary(usage, cost, self._session_cost), "dim"))
                if self._failure:
                    self._line(self.style(f"hunk: {self._failure}", "red"))
                    self._failure = None

    def _line(self, text: str) -> None:
        if self._mid_line:
            self.out.write("\n")
            self.out.flush()
            self._mid_line = False
        self.err.write(text + "\n")
        self.err.flush()


class JsonWriter:
    """One JSON object per line on stdout: the `--json` event stream."""

    def __init__(self, session: str, out: TextIO = sys.stdout, secrets: tuple[str, ...] = ()) -> None:
        self.session = session
        self.out = out
        self.secrets = secrets  # credential values replaced before a line is written

    def __call__(self, event: Event) -> None:
        if event.type == "approval.requested":
            return
        line = json.dumps(event_to_json(event, self.session), ensure_ascii=False)
        self.out.write(redact(line, self.secrets) + "\n")
        self.out.flush()
