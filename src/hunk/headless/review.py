"""The `git add -p`-style review for `hunk run` on a terminal.

Reads answers from the terminal itself (so the prompt may come from stdin), one key and Enter
per question. End of input rejects whatever is still undecided: nothing is accepted without a
yes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TextIO

from hunk.agent.approval import (
    ApprovalRequest,
    ChangeDecision,
    ChangeReview,
    CommandApproval,
    CommandDecision,
    CommitApproval,
    CommitDecision,
    Decision,
    EntangledChange,
    EntangledDecision,
)
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.headless.group_review import GroupQuestions, key_help
from hunk.headless.pager import HunkPages, terminal_size
from hunk.headless.printer import Style
from hunk.values.diffs import DiffHunk, FileDiff
from hunk.values.groups import Place, group_hunks, summary
from hunk.workspace.edits import HELP, HunkEditError, check_edited, parse_edited, run_editor

HUNK_HELP = key_help("hunk", "this file")


COMMIT_QUESTION = "Commit? [Y]es, [e]dit the message, [n]o (leave uncommitted): "


class _Ended(EOFError):
    """The terminal closed: reject what is left."""


class _Message:
    """The commit message on screen, shared by the question's thread and the model's subject."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.asked = False  # the question is on screen, waiting for a line
        self.lock = threading.Lock()


class TerminalApprover:
    def __init__(self, tty_in: TextIO, tty_out: TextIO, *, colour: bool, editor: Callable[[str], str] | None = None) -> None:
        self.inp = tty_in
        self.out = tty_out
        self.style = Style(colour)
        self.edit_text = editor or run_editor
        self._message: _Message | None = None  # the commit question's message while it waits

    async def decide(self, request: ApprovalRequest) -> Decision:
        # A daemon thread of its own, not the loop's executor: when Ctrl-C cancels the turn
        # while a question waits for a line, nothing must wait for that line at exit.
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Decision] = loop.create_future()
        if isinstance(request, CommitApproval) and request.subject is not None:
            self._message = _Message(request.message)
            request.subject.when_settled(self._subject_arrived)
            answer.add_done_callback(lambda _: request.subject and request.subject.forget(self._subject_arrived))

        def ask() -> None:
            try:
                result = self._decide(request)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting task
                loop.call_soon_threadsafe(_settle, answer, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, answer, result, None)

        threading.Thread(target=ask, name="hunk-review", daemon=True).start()
        return await answer

    def _decide(self, request: ApprovalRequest) -> Decision:
        match request:
            case ChangeReview():
                return self._review(request)
            case CommandApproval():
                return self._command(request)
            case CommitApproval():
                return self._commit(request)
            case EntangledChange():
                return self._entangled(request)
        raise TypeError(f"unknown approval request {request!r}")

    # --- input -----------------------------------------------------------------------------

    def _ask(self, prompt: str) -> str:
        self.out.write(self.style(prompt, "bold", "cyan"))
        self.out.flush()
        line = self.inp.readline()
        if not line:
            self.out.write("\n")
            raise _Ended
        return line.strip()

    def _say(self, text: str) -> None:
        self.out.write(text + ("" if text.endswith("\n") else "\n"))
        self.out.flush()

    # --- changes ---------------------------------------------------------------------------

    def _review(self, review: ChangeReview) -> ChangeDecision:
        files = review.files
        groups = group_hunks(files)
        said = summary(files, groups, sum(d.decision_count for d in files))
        if review.phase == "side_effects":
            self._say(self.style(f"`{review.reason}` changed files: {said}", "yellow"))
        elif review.phase == "end_of_turn":
            self._say(self.style(f"Review of this turn's changes: {said}", "bold"))
        elif groups:
            self._say(self.style(said, "bold"))
        decided: dict[Place, HunkVerdict] = {}
        try:
            outcome = GroupQuestions(self, files).ask(groups, decided)
        except _Ended:
            outcome = "q"
        if outcome == "":
            outcome = self._review_rest(files, decided)
        rest = HunkVerdict(outcome == "A")
        verdicts = tuple(
            FileVerdict(d.path, tuple(decided.get((f, h), rest) for h in range(d.decision_count))) for f, d in enumerate(files)
        )
        return ChangeDecision(verdicts, stop=outcome == "q")

    def _review_rest(self, files: tuple[FileDiff, ...], decided: dict[Place, HunkVerdict]) -> str:
        """The hunks no group decided, file by file: "" when all are answered, "A" (accept
        all that is left) or "q" (reject it and stop)."""
        for f, diff in enumerate(files):
            todo = [h for h in range(diff.decision_count) if (f, h) not in decided]
            if not todo:
                continue
            given: dict[int, HunkVerdict] = {}
            try:
                outcome = self._review_file(diff, todo, given)
            except _Ended:  # keep the answers given, reject the rest
                outcome = "q"
                given.update({h: HunkVerdict(False, "no answer") for h in todo if h not in given})
            decided.update({(f, h): v for h, v in given.items()})
            if outcome:
                return outcome
        return ""

    def _header(self, diff: FileDiff) -> str:
        lines = []
        for line in diff.text.splitlines():
            if line.startswith("@@"):
                break
            lines.append(line)
        return self.style.diff("\n".join(lines))

    def _review_file(self, diff: FileDiff, todo: list[int], verdicts: dict[int, HunkVerdict]) -> str:
        """Ask about the hunks `todo` of `diff`, putting answers in `verdicts` as they come.
        Returns "A" (accept everything left), "q" (reject it and stop), or ""."""
        header = self._header(diff)
        self._say(header)
        if not diff.hunks:
            kind = "binary file" if diff.binary else diff.status
            answer = self._choice(f"({kind}) Accept this change [y,n,r,q]? ", "ynrq")
            verdicts[0] = self._single(answer)
            return "q" if answer == "q" else ""
        for position, index in enumerate(todo):
            label = f"({position + 1}/{len(todo)})"
            answer = self.ask_hunk(diff.hunks[index], label, "this hunk", "ynradAeoq?", len(header.splitlines()) if position == 0 else 0)
            if isinstance(answer, HunkVerdict):
                verdicts[index] = answer
                continue
            rest = todo[position:]
            verdicts.update({h: HunkVerdict(answer in "aA") for h in rest})
            return answer if answer in "Aq" else ""
        return ""

    def ask_hunk(self, hunk: DiffHunk, label: str, what: str, keys: str, shown: int = 0, help: str = HUNK_HELP) -> HunkVerdict | str:
        """Show one hunk (a page at a time) and ask about it: a verdict for y/n/r/e, or the key
        of a broader answer (a, d, A, q). `shown`: rows already on screen above it."""
        columns, rows = terminal_size(self.out)
        pages = HunkPages(hunk.lines, hunk.header, columns, rows - shown)
        self._say(self.style.diff("\n".join((hunk.header, *pages.next_page()))))
        while True:
            more = f"{pages.left:,} more lines, Enter shows more. " if pages.left else ""
            question = f"{label} {more}Accept {what} [{','.join(keys)}]? "
            answer = self._choice(question, keys, more=pages.left > 0)
            if answer == "":
                self._say(self.style.diff("\n".join(pages.next_page())))
            elif answer == "?":
                self._say(help)
            elif answer == "o":
                self._view(hunk)
            elif answer == "e":
                edited = self._edit(hunk)
                if edited is not None:
                    return HunkVerdict(True, edited=edited)
            elif answer in "ynr":
                return self._single(answer)
            else:
                return answer

    def _single(self, answer: str) -> HunkVerdict:
        if answer == "y":
            return HunkVerdict(True)
        if answer == "r":
            return HunkVerdict(False, self._ask("Note for the model: ") or None)
        return HunkVerdict(False)

    def _choice(self, prompt: str, allowed: str, more: bool = False) -> str:
        """One of the `allowed` keys; with `more`, an empty answer too (show the next page)."""
        while True:
            answer = self._ask(prompt)
            if (len(answer) == 1 and answer in allowed) or (more and not answer):
                return answer
            self._say(f"Answer one of: {', '.join(allowed)}")

    def _view(self, hunk: DiffHunk) -> None:
        """The whole hunk, long lines unfolded, in the editor; what is saved there is ignored."""
        try:
            self.edit_text("\n".join((hunk.header, *hunk.lines)) + "\n")
        except (OSError, HunkEditError) as exc:
            self._say(self.style(f"the editor failed: {exc}", "red"))

    def _edit(self, hunk: DiffHunk) -> tuple[str, ...] | None:
        """Edit the hunk until it can apply, or until the person drops the edit (None): an
        edit that cannot apply is caught here, at once, as `git add -p` does."""
        text = "\n".join(hunk.lines) + "\n"
        while True:
            written = ""
            try:
                written = self.edit_text(text + HELP)
                edited = parse_edited(written)
                check_edited(hunk, edited)
                return edited
            except HunkEditError as problem:
                self._say(self.style(f"Your edited hunk cannot be used: {problem}", "red"))
            if self._choice("Edit it again? [y]es, [n]o (drop the edit and answer again): ", "yn") == "n":
                return None
            kept = "".join(line for line in written.splitlines(keepends=True) if not line.startswith("#"))
            text = kept or text

    # --- commands and commits --------------------------------------------------------------

    def _command(self, request: CommandApproval) -> CommandDecision:
        if request.denied:
            return self._denied(request)
        shown = f"MCP tool {request.command}" if request.kind == "mcp" else f"$ {request.command}"
        self._say(self.style(shown, "bold") + self.style(f"   ({request.danger}; {request.reason})", "dim"))
        sandbox = ", [o]utside the sandbox once, [w] with the network this session" if request.sandboxed else ""
        try:
            answer = self._choice(f"Run it? [y]es, [a]lways this session, [n]o, [r]eject with a note{sandbox}: ",
                                  "yanrow" if request.sandboxed else "yanr")
        except _Ended:
            return CommandDecision(allow=False, note="no answer")
        if answer == "r":
            try:
                return CommandDecision(allow=False, note=self._ask("Note for the model: ") or None)
            except _Ended:
                return CommandDecision(allow=False)
        return _sandbox_answer(answer) or CommandDecision(allow=answer in "ya", remember=answer == "a")

    def _denied(self, request: CommandApproval) -> CommandDecision:
        what = "the network" if request.denied == "network" else "a write outside the working tree"
        self._say(self.style(f"$ {request.command}", "bold") + self.style(f"   the sandbox refused {what}: {request.reason}", "yellow"))
        network = request.denied == "network"
        try:
            answer = self._choice(
                "Run it again [o]utside the sandbox once" + (", with the [w] network this session" if network else "")
                + ", or [n]o (the model is told): ",
                "own" if network else "on",
            )
        except _Ended:
            answer = "n"
        return _sandbox_answer(answer) or CommandDecision(allow=False)

    def _entangled(self, request: EntangledChange) -> EntangledDecision:
        self._say(self.style(_entangled_text(request), "yellow"))
        try:
            answer = self._choice("Commit these files whole, your edits included? [y]es, [n]o (leave them uncommitted): ", "yn")
        except _Ended:
            return EntangledDecision(commit_whole=False)
        return EntangledDecision(commit_whole=answer == "y")

    def _subject_arrived(self, subject: str | None) -> None:
        """On the event loop: the model's subject came while the commit question waits."""
        shown = self._message
        if subject is None or shown is None:
            return
        with shown.lock:
            if shown.message.partition("\n")[0] == subject:
                return
            shown.message = subject + "\n" + shown.message.partition("\n")[2]
            if shown.asked:  # the question is on screen: show the new subject, ask again
                self.out.write("\n" + self.style("The model's subject: ", "bold") + subject + "\n")
                self.out.write(self.style(COMMIT_QUESTION, "bold", "cyan"))
                self.out.flush()

    def _commit(self, request: CommitApproval) -> CommitDecision:
        shown = self._message if request.subject is not None and self._message else _Message(request.message)
        with shown.lock:  # the subject that arrives from here on is shown and asked about
            self._say(self.style("Commit message:", "bold"))
            self._say("  " + shown.message.rstrip("\n").replace("\n", "\n  "))
            self.out.write(self.style(COMMIT_QUESTION, "bold", "cyan"))
            self.out.flush()
            shown.asked = True
        line = self.inp.readline()
        with shown.lock:
            shown.asked, message = False, shown.message
        self._message = None
        if not line:
            self.out.write("\n")
            return CommitDecision(commit=False, message=message)
        answer = line.strip() or "y"
        if answer.lower().startswith("e"):
            try:
                edited = self.edit_text(message)
            except HunkEditError:
                edited = message
            edited = "\n".join(l for l in edited.splitlines() if not l.startswith("#")).strip() + "\n"
            return CommitDecision(commit=bool(edited.strip()), message=edited)
        return CommitDecision(commit=not answer.lower().startswith("n"), message=message)


def _entangled_text(request: EntangledChange) -> str:
    return (
        "The agent's accepted change and your own uncommitted edits touch the same lines in: "
        + ", ".join(request.paths)
        + ".\nThey cannot be committed apart."
    )


def _settle(future: asyncio.Future, result: object, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _sandbox_answer(answer: str) -> CommandDecision | None:
    """"o": outside the sandbox once; "w": the network for the rest of the session."""
    if answer == "o":
        return CommandDecision(allow=True, outside_sandbox=True)
    if answer == "w":
        return CommandDecision(allow=True, allow_network=True)
    return None
