"""The sandbox commands run in: where they may write, and whether they reach the network.

A static reading of a shell line can never be complete, so the operating system draws the line:
on Linux bubblewrap (`sandbox_linux`), with a seam for macOS's sandbox-exec (`sandbox_macos`).

Modes, from loosest to strictest:
- `off`: commands run as the person would run them (as before there was a sandbox);
- `workspace-write` (the default): the whole filesystem read-only but the repository's working
  tree, `.git` read-only too (apart from hunk's own scratch files), a private /tmp, no network;
- `required`: `workspace-write`, and no command runs at all where the sandbox cannot start;
- `read-only`: nothing writable but the private /tmp; no command runs without the sandbox.
Where the platform has no working sandbox, `workspace-write` runs commands unsandboxed and says
so once (`state()`); `required` and `read-only` refuse them (`refuses`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from hunk.policy.sandbox_limits import Limits
from hunk.settings.prompts import message
from hunk.settings.schema import SANDBOX_MODES

SandboxMode = Literal["off", "workspace-write", "required", "read-only"]
MODES: tuple[str, ...] = SANDBOX_MODES  # loosest first
DEFAULT_MODE: SandboxMode = "workspace-write"


class Backend(Protocol):
    """One platform's sandbox."""

    name: str  # "bubblewrap"

    def problem(self) -> str | None:
        """Why commands cannot be sandboxed here (one clause), or None when they can."""
        ...

    def wrap(self, argv: list[str], limits: Limits, cwd: Path) -> list[str]:
        """`argv` run inside the sandbox described by `limits`, starting in `cwd`."""
        ...


class Unsupported:
    """A platform without a sandbox hunk knows how to start."""

    name = "none"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def problem(self) -> str | None:
        return self.reason

    def wrap(self, argv: list[str], limits: Limits, cwd: Path) -> list[str]:
        raise RuntimeError(self.reason)


def platform_backend() -> Backend:
    if sys.platform.startswith("linux"):
        from hunk.policy.sandbox_linux import Bubblewrap

        return Bubblewrap()
    if sys.platform == "darwin":
        from hunk.policy.sandbox_macos import SandboxExec

        return SandboxExec()
    return Unsupported(f"hunk has no sandbox for {sys.platform}")


@dataclass(frozen=True)
class Denial:
    """What a command's failure says the sandbox refused."""

    kind: Literal["write", "network"]
    evidence: tuple[str, ...]  # the output lines that show it

    def explain(self) -> str:
        """The tool-result note the model reads."""
        lines = "\n".join(f"  {line}" for line in self.evidence)
        return message(f"sandbox.denied_{self.kind}", lines=lines)


_WRITE_SIGNS = ("Read-only file system", "Invalid cross-device link")
_NETWORK_SIGNS = (
    "Network is unreachable",
    "Temporary failure in name resolution",
    "Could not resolve host",
    "Name or service not known",
    "No address associated with hostname",
    "Connection refused",
)
_EVIDENCE_LINES = 3
_EVIDENCE_CHARS = 200


def _evidence(output: str, signs: tuple[str, ...]) -> tuple[str, ...]:
    found = [line.strip()[:_EVIDENCE_CHARS] for line in output.splitlines() if any(s in line for s in signs)]
    return tuple(dict.fromkeys(found))[:_EVIDENCE_LINES]


def _expand(path: str | Path, root: Path) -> Path:
    expanded = Path(os.path.expanduser(str(path)))
    return Path(os.path.realpath(expanded if expanded.is_absolute() else root / expanded))


class Sandbox:
    """The sandbox for one session's commands: the mode, and whether it can start here."""

    def __init__(
        self,
        mode: SandboxMode,
        root: Path,
        *,
        network: bool = False,
        writable: tuple[str | Path, ...] = (),
        scratch: tuple[Path, ...] = (),
        backend: Backend | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown sandbox mode {mode!r}; choose one of {', '.join(MODES)}")
        self.mode: SandboxMode = mode
        self.root = Path(os.path.realpath(root))
        self.network = network
        self.writable = tuple(_expand(path, self.root) for path in writable)
        self.scratch = tuple(_expand(path, self.root) for path in scratch)  # hunk's files in .git
        self._backend = backend
        self._problem: str | None = None
        self._probed = False

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = platform_backend()
        return self._backend

    @property
    def problem(self) -> str | None:
        """Why the sandbox cannot start here (probed once, and only when the mode wants it)."""
        if self.mode == "off":
            return None
        if not self._probed:
            self._problem, self._probed = self.backend.problem(), True
        return self._problem

    @property
    def active(self) -> bool:
        """Commands run inside the sandbox."""
        return self.mode != "off" and self.problem is None

    @property
    def refuses(self) -> bool:
        """No command may run: the mode demands a sandbox this machine cannot start."""
        return self.mode in ("required", "read-only") and self.problem is not None

    def limits(self) -> Limits:
        git = self.root / ".git"
        return Limits(
            root=self.root,
            write_root=self.mode != "read-only",
            writable=(*self.writable, *self.scratch) if self.mode != "read-only" else (),
            protected=(git,) if os.path.lexists(git) else (),
            network=self.network,
        )

    def wrap(self, argv: list[str], cwd: Path | None = None) -> list[str]:
        """`argv` as it must be started: inside the sandbox when active, unchanged otherwise."""
        if not self.active:
            return list(argv)
        return self.backend.wrap(list(argv), self.limits(), Path(os.path.realpath(cwd or self.root)))

    def with_network(self) -> Sandbox:
        """The same sandbox with the network allowed ("allow network for this session")."""
        widened = Sandbox(self.mode, self.root, network=True, backend=self._backend)
        widened.writable, widened.scratch = self.writable, self.scratch
        widened._problem, widened._probed = self._problem, self._probed
        return widened

    def explain(self, output: str, *, failed: bool = True) -> Denial | None:
        """What the sandbox refused, judging by a command's output; None when nothing.

        A refused write counts whatever the exit status (`find -exec rm {} \\;` exits 0). A
        refused connection counts only when the command failed: "Connection refused" in the
        output of a test suite that passed is that suite's business, not the sandbox's."""
        if not self.active:
            return None
        write = _evidence(output, _WRITE_SIGNS)
        if write:
            return Denial("write", write)
        network = _evidence(output, _NETWORK_SIGNS) if failed and not self.network else ()
        return Denial("network", network) if network else None

    @property
    def label(self) -> str:
        """A few words for a header or status bar: "sandbox: workspace-write"."""
        if self.mode == "off":
            return "sandbox: off"
        if self.refuses:
            return "sandbox: unavailable, commands refused"
        if not self.active:
            return "not sandboxed"
        return f"sandbox: {self.mode}" + (" + network" if self.network else "")

    def state(self) -> str:
        """One sentence for people: what the sandbox does here, or why there is none."""
        if self.mode == "off":
            return "Commands run without a sandbox (sandbox mode off)."
        if self.refuses:
            return f"Commands will not run: sandbox mode {self.mode} needs a sandbox, but {self.problem}."
        if not self.active:
            return f"Commands are not sandboxed: {self.problem}."
        network = "may use the network" if self.network else "have no network"
        if self.mode == "read-only":
            return f"Commands run in a {self.backend.name} sandbox: they may not write to disk and {network}."
        extra = f" and {len(self.writable)} more path(s)" if self.writable else ""
        return (
            f"Commands run in a {self.backend.name} sandbox: they may write only in the working tree"
            f"{extra} (not .git) and {network}."
        )

