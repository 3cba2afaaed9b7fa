"""The checks loop: after the agent's changes are applied (each step, or when the model ends its
turn), run the configured checks on the changed files. A failure goes back to the model with
the tail of the output, at most `max_attempts` times a turn; a pass is a line for people.

Checks run like the model's commands (same sandbox, same review of the files they change) but
without rules or questions: the person configured them. Those from an untrusted repository's
own `.hunk.toml` run only once the person approved each (remembered in `settings.approved`).
"""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from hunk.agent.approval import Approver, CommandApproval
from hunk.agent.changes import ChangeFlow
from hunk.settings import approved, prompts
from hunk.settings.config import ChecksConfig
from hunk.tools.base import ToolOutput
from hunk.values.events import CheckFinished, EventSink, Notice, exit_status
from hunk.workspace.changeset import content_hash

TAIL_LINES = 60
TAIL_CHARS = 6000
FILES = "{files}"
UNCHANGED = "as before the turn"

RunCheck = Callable[[str, ChangeFlow], Awaitable[ToolOutput]]


def tail(text: str) -> str:
    """The end of a check's output, where test runners and linters put what matters."""
    kept = "\n".join(text.rstrip().splitlines()[-TAIL_LINES:])
    return kept[-TAIL_CHARS:]


def fill(template: str, files: list[str]) -> str | None:
    """The command with `{files}` replaced by the changed files, quoted; None when it names
    `{files}` and no changed file is left to check."""
    if FILES not in template:
        return template
    if not files:
        return None
    return template.replace(FILES, " ".join(shlex.quote(f) for f in files))


def blamed(output: str, files: list[str]) -> tuple[str, ...]:
    """The files a failing check names in its output; all of them when it names none."""
    named = tuple(f for f in files if f in output)
    return named or tuple(files)


async def run_checks(checker: Checker | None, flow: ChangeFlow, mode: str, moment: str) -> str:
    """After a step's (or the turn's) changes: the checks' failures for the model, or ""."""
    if checker is None or flow.stop_requested or (moment == "step" and checker.when != "step"):
        return ""
    return await checker.after(flow, mode)


class Checker:
    def __init__(
        self,
        *,
        config: ChecksConfig,
        run: RunCheck,
        approver: Approver,
        sink: EventSink,
        root: Path,
        ask_first: bool = False,  # the checks come from an untrusted repository's own file
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.config = config
        self._run = run
        self._approver = approver
        self.sink = sink
        self.root = root
        self._ask_first = ask_first
        self._env = env or {}
        self._allowed: set[str] = set()
        self._refused: set[str] = set()
        self.start_turn()

    @property
    def when(self) -> str:
        return self.config.when

    def start_turn(self, flow: ChangeFlow | None = None) -> None:
        self._flow = flow  # each turn has its own flow: attempts and checked files start afresh
        self.failures = 0
        self._checked: dict[str, str | None] = {}  # path → content hash when last checked

    async def after(self, flow: ChangeFlow, mode: str) -> str:
        """Run the checks if files changed since they last ran. Returns what the model should
        read: the failures, or nothing (passed, nothing to check, or out of attempts)."""
        if flow is not self._flow:
            self.start_turn(flow)
        if not self.config.commands or mode == "plan" or self.failures >= self.config.max_attempts:
            return ""
        changed: dict[str, str | None] = {c.path: content_hash(c.after) for c in flow.changeset.changes()}
        for path in self._checked.keys() - changed.keys():  # changed back: its checks run again
            changed[path] = UNCHANGED
        fresh = [path for path, digest in changed.items() if self._checked.get(path, "-") != digest]
        if not fresh:
            return ""
        self._checked.update(changed)
        present = [path for path in fresh if (self.root / path).is_file()]
        attempt = self.failures + 1
        failed: list[str] = []
        for template in self.config.commands:
            command = fill(template, present)
            if command is None or not await self._may_run(template, mode):
                continue
            output = await self._run(command, flow)
            passed = output.exit_code == 0
            end = tail(output.content)
            files = tuple(present)
            bad = () if passed else blamed(end, present)
            for path in files:
                flow.check_marks.setdefault(path, {})[template] = path not in bad
            self.sink(CheckFinished(command, passed, output.exit_code, files, bad, end, attempt))
            if not passed:
                failed.append(prompts.message("checks.failed_one", command=command, status=exit_status(output.exit_code), output=end))
        if not failed:
            return ""
        self.failures += 1
        key = "checks.failed" if self.failures < self.config.max_attempts else "checks.failed_last"
        return prompts.message(key, failures="\n\n".join(failed), attempt=attempt, limit=self.config.max_attempts)

    async def _may_run(self, template: str, mode: str) -> bool:
        """A repository's own check runs once the person approved it (never unasked)."""
        if not self._ask_first or template in self._allowed:
            return True
        if template in self._refused:
            return False
        if approved.is_approved(self._env, self.root, "checks", template):
            self._allowed.add(template)
            return True
        if mode == "auto":  # nobody to ask: a repository may not run its programs unapproved
            self._refused.add(template)
            self.sink(Notice(prompts.message("checks.skipped_unapproved", command=template)))
            return False
        decision = await self._approver.decide(
            CommandApproval(command=template, cwd=str(self.root), danger="writes", reason=prompts.message("checks.ask_reason"))
        )
        if not decision.allow:
            self._refused.add(template)
            return False
        self._allowed.add(template)
        if decision.remember:
            approved.remember(self._env, self.root, "checks", template)
        return True
