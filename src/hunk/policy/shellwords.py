"""Split a bash command line into simple commands, for judging, never for running.

`parse` returns each simple command's words (quotes removed) and redirections, split on `&&`,
`||`, `;`, `|`, `&`, newlines and parentheses, plus the text of every command substitution
(`$(...)`, backticks, `<(...)`) and of unquoted-delimiter here-document bodies' substitutions,
which the caller parses in turn. Expansions stay in the words as written (`$HOME`, `$(…)`), so
a caller can tell a literal path from one only known at run time. Anything bash itself would
reject (an unclosed quote or substitution) raises `ShellSyntaxError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SUBSTITUTION = "$(…)"  # stands in a word for a substitution's output
_SEPARATORS = ("&&", "||", ";;", "|&", ";", "|", "&", "(", ")", "\n")
_REDIRECTS = ("&>>", "&>", "<<<", "<<-", "<<", ">>", ">|", ">&", "<&", "<>", ">", "<")


class ShellSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Redirect:
    op: str  # ">", ">>", "&>", "<", "<<", ">&" ...
    target: str


@dataclass(frozen=True)
class Simple:
    words: tuple[str, ...]
    redirects: tuple[Redirect, ...] = ()


@dataclass
class Parsed:
    commands: list[Simple] = field(default_factory=list)
    nested: list[str] = field(default_factory=list)  # substitutions' command text


def _closing_paren(text: str, start: int) -> int:
    """Index of the `)` closing the `(` just before `start`, honouring quotes and nesting."""
    depth, i = 1, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unclosed ' inside $(...)")
            i = end + 1
            continue
        if c == '"':
            i = _closing_double(text, i + 1) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ShellSyntaxError("unclosed $(")


def _closing_double(text: str, start: int) -> int:
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i
        if text.startswith("$(", i):
            i = _closing_paren(text, i + 2) + 1
            continue
        if c == "`":
            i = _closing_backtick(text, i + 1) + 1
            continue
        i += 1
    raise ShellSyntaxError('unclosed "')


def _closing_backtick(text: str, start: int) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "`":
            return i
        i += 1
    raise ShellSyntaxError("unclosed `")


def substitutions(text: str) -> list[str]:
    """The `$(...)` and backtick commands inside text that bash expands (a here-document)."""
    found: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith("$((", i):
            i = _closing_paren(text, i + 2) + 1
        elif text.startswith("$(", i):
            end = _closing_paren(text, i + 2)
            found.append(text[i + 2 : end])
            i = end + 1
        elif text[i] == "`":
            end = _closing_backtick(text, i + 1)
            found.append(text[i + 1 : end])
            i = end + 1
        else:
            i += 1
    return found


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.out = Parsed()
        self.words: list[str] = []
        self.redirects: list[Redirect] = []
        self.word: str | None = None
        self.quoted = False  # the current word had quotes or backslashes
        self.pending: str | None = None  # a redirect waiting for its target
        self.heredocs: list[tuple[str, bool]] = []  # (delimiter, body expands)

    def add(self, chars: str, *, quoted: bool = False) -> None:
        self.word = (self.word or "") + chars
        self.quoted = self.quoted or quoted

    def end_word(self) -> None:
        if self.word is None:
            return
        if self.pending in ("<<", "<<-"):
            self.heredocs.append((self.word, not self.quoted))
            self.redirects.append(Redirect(self.pending, self.word))
            self.pending = None
        elif self.pending:
            self.redirects.append(Redirect(self.pending, self.word))
            self.pending = None
        else:
            self.words.append(self.word)
        self.word = None
        self.quoted = False

    def end_command(self) -> None:
        self.end_word()
        if self.pending:
            raise ShellSyntaxError(f"{self.pending} has no target")
        if self.words or self.redirects:
            self.out.commands.append(Simple(tuple(self.words), tuple(self.redirects)))
        self.words, self.redirects = [], []

    def skip_heredocs(self, i: int) -> int:
        """Past the bodies of here-documents that start after the newline at `i - 1`."""
        for delimiter, expands in self.heredocs:
            lines_end = i
            while lines_end < len(self.text):
                newline = self.text.find("\n", lines_end)
                stop = len(self.text) if newline < 0 else newline
                line = self.text[lines_end:stop]
                body_line_end = stop + 1
                if line.strip() == delimiter:
                    lines_end = body_line_end
                    break
                if expands:
                    self.out.nested.extend(substitutions(line))
                lines_end = body_line_end
            i = lines_end
        self.heredocs = []
        return i

    def run(self) -> Parsed:
        text, i = self.text, 0
        while i < len(text):
            c = text[i]
            if c in " \t\r":
                self.end_word()
                i += 1
            elif c == "\\":
                if text.startswith("\\\n", i):
                    i += 2
                    continue
                self.add(text[i + 1 : i + 2], quoted=True)
                i += 2
            elif c == "'":
                end = text.find("'", i + 1)
                if end < 0:
                    raise ShellSyntaxError("unclosed '")
                self.add(text[i + 1 : end], quoted=True)
                i = end + 1
            elif c == '"':
                end = _closing_double(text, i + 1)
                body = text[i + 1 : end]
                self.out.nested.extend(substitutions(body))
                self.add(body.replace('\\"', '"'), quoted=True)
                i = end + 1
            elif text.startswith("$'", i):
                end = i + 2
                while end < len(text) and text[end] != "'":
                    end += 2 if text[end] == "\\" else 1
                if end >= len(text):
                    raise ShellSyntaxError("unclosed $'")
                self.add(text[i + 2 : end])
                i = end + 1
            elif text.startswith("$((", i):
                end = _closing_paren(text, i + 2)
                self.add(text[i : end + 1])
                i = end + 1
            elif text.startswith("$(", i) or (
                self.word is None and text.startswith(("<(", ">("), i)
            ):
                end = _closing_paren(text, i + 2)
                self.out.nested.append(text[i + 2 : end])
                self.add(SUBSTITUTION)
                i = end + 1
            elif c == "`":
                end = _closing_backtick(text, i + 1)
                self.out.nested.append(text[i + 1 : end])
                self.add(SUBSTITUTION)
                i = end + 1
            elif c == "#" and self.word is None:
                newline = text.find("\n", i)
                i = len(text) if newline < 0 else newline
            elif (op := _starts(text, i, _REDIRECTS)) and not (op.startswith("&") and self.word):
                if self.word is not None and self.word.isdigit():
                    self.word = None  # a file descriptor: 2>file
                self.end_word()
                if self.pending:
                    raise ShellSyntaxError(f"{self.pending} has no target")
                self.pending = op
                i += len(op)
            elif sep := _starts(text, i, _SEPARATORS):
                self.end_command()
                i += len(sep)
                if sep == "\n" and self.heredocs:
                    i = self.skip_heredocs(i)
            else:
                self.add(c)
                i += 1
        self.end_command()
        return self.out


def _starts(text: str, i: int, options: tuple[str, ...]) -> str | None:
    for option in options:
        if text.startswith(option, i):
            return option
    return None


def parse(command: str) -> Parsed:
    if "\x00" in command:  # no command line can carry one: execve ends the string there
        raise ShellSyntaxError("a NUL byte")
    return _Lexer(command).run()
