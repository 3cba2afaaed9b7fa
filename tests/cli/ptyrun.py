"""Run `hunk` with a real terminal (a pseudo-terminal as its controlling tty), answering its
questions as a person would: wait for a prompt, type a line."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class PtyHunk:
    def __init__(self, root: Path, env: dict[str, str], *args: str, stdout: Path | None = None) -> None:
        """`stdout`: a file for hunk's stdout (a long `--json` stream would fill a pipe nobody
        reads while the review waits)."""
        self.master, slave = pty.openpty()
        attrs = termios.tcgetattr(slave)
        attrs[3] &= ~termios.ECHO  # no echo: the screen holds only what hunk writes
        termios.tcsetattr(slave, termios.TCSANOW, attrs)

        def become_terminal_owner() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            # A person's terminal delivers Ctrl-C. A test runner started in the background of a
            # non-interactive shell ignores SIGINT, and an ignored signal stays ignored across
            # exec: hunk would then (rightly) not hear the interrupt this helper sends.
            signal.signal(signal.SIGINT, signal.SIG_DFL)

        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hunk", *args],
            cwd=root,
            env=env,
            stdin=slave,
            stdout=subprocess.PIPE if stdout is None else (sink := stdout.open("wb")),
            stderr=subprocess.PIPE,
            preexec_fn=become_terminal_owner,
        )
        os.close(slave)
        if stdout is not None:
            sink.close()  # the child holds its own copy
        self.stdout = stdout
        self.screen = ""
        self.screen_before_question = ""  # what the last expect() consumed, up to its text

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            self.screen += ANSI.sub("", data.decode("utf-8", "replace"))

    def expect(self, text: str, timeout: float = 30) -> None:
        """Wait until `text` appears on the terminal after what was already consumed."""
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            if time.monotonic() > deadline or (self.proc.poll() is not None and not self._readable()):
                raise AssertionError(f"never saw {text!r}; terminal:\n{self.screen}\nstderr:\n{self._stderr()}")
            self._pump(0.1)
        self.screen_before_question, self.screen = self.screen.split(text, 1)

    def _readable(self) -> bool:
        ready, _, _ = select.select([self.master], [], [], 0)
        return bool(ready)

    def _stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read().decode() if self.proc.stderr else ""

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def interrupt(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)

    def wait(self, timeout: float = 30) -> tuple[int, str, str]:
        try:
            out, err = self.proc.communicate(timeout=timeout)
        finally:
            os.close(self.master)
        if self.stdout is not None:
            out = self.stdout.read_bytes()
        return self.proc.returncode, out.decode(), err.decode()
