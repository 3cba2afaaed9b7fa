"""The Linux sandbox: bubblewrap (`bwrap`, Debian package `bubblewrap`).

The command sees the whole filesystem read-only; the working tree (and any extra writable path)
is bound writable on top, `.git` read-only again on top of that, and hunk's scratch files in
`.git` writable last. /tmp is a private tmpfs, so a command's scratch files vanish with it; when
the repository itself lives under /tmp, the top folder holding it is bound back read-only so
its neighbours stay visible but unwritable. New user, pid, ipc and (unless the network is
allowed) network namespaces; every capability dropped; the sandbox dies with hunk.

Start the wrapped argv in a session of its own (`start_new_session=True`, as run_command does):
the command then has no terminal to inject keystrokes into, and hunk can end the whole process
group at once. bwrap's own `--new-session` is not used: it would move the command out of that
group, and a bwrap killed while starting up could leave it running.
"""

from __future__ import annotations

import os
import sys
import shutil
import subprocess
from pathlib import Path

from hunk.policy.sandbox_limits import Limits

PROBE_TIMEOUT_S = 10.0
TMP = Path("/tmp")

# Namespaces and hardening every sandboxed command gets.
_ISOLATION = [
    "--unshare-user",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--cap-drop",
    "ALL",
]


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


class Bubblewrap:
    name = "bubblewrap"

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable if executable is not None else shutil.which("bwrap")

    def problem(self) -> str | None:
        """None when bwrap starts a sandbox like the ones `wrap` builds; else why not."""
        if not self.executable:
            return "bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap"
        probe = [self.executable, *_ISOLATION, "--unshare-net", "--ro-bind", "/", "/", "--dev", "/dev",
                 "--proc", "/proc", "--tmpfs", "/tmp", "--", "true"]
        try:
            done = subprocess.run(probe, capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
        except OSError as error:
            return f"bubblewrap could not be started ({error.strerror or error})"
        except subprocess.TimeoutExpired:
            return "bubblewrap did not start within 10 s"
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            why = lines[-1].removeprefix("bwrap: ") if lines else f"exit status {done.returncode}"
            return f"bubblewrap cannot start here ({why}); user namespaces may be disabled"
        return None

    def wrap(self, argv: list[str], limits: Limits, cwd: Path) -> list[str]:
        assert self.executable, "wrap() needs a working bwrap; check problem() first"
        args = [self.executable, *_ISOLATION]
        if not limits.network:
            args.append("--unshare-net")
        args += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        binds = ([limits.root] if limits.write_root else []) + list(limits.writable)
        args += _tmp_neighbours([limits.root, *binds, cwd, *_program_folders()])
        if limits.write_root:
            args += ["--bind", str(limits.root), str(limits.root)]
        for path in limits.protected:
            args += ["--ro-bind", str(path), str(path)]
        for path in limits.writable:
            args += ["--bind-try", str(path), str(path)]
        args += ["--setenv", "TMPDIR", "/tmp", "--chdir", str(cwd), "--", *argv]
        return args


def _program_folders() -> list[Path]:
    """Where the programs a command calls live: the PATH's folders and this Python's own. Under
    /tmp (a virtualenv made there, a clone in CI) they must stay visible through the private /tmp."""
    folders = [Path(sys.prefix), Path(sys.executable).parent]
    return folders + [Path(p) for p in os.environ.get("PATH", "").split(os.pathsep) if p.startswith("/")]


def _tmp_neighbours(paths: list[Path]) -> list[str]:
    """Bind back, read-only, the top folder under /tmp of each path that lives there.

    Without this, a repository under /tmp would sit in the private tmpfs beside empty parents
    the command could write into unnoticed, and its real neighbours would be invisible.
    """
    args: list[str] = []
    for top in dict.fromkeys(TMP / path.relative_to(TMP).parts[0] for path in paths if _under(path, TMP) and path != TMP):
        if os.path.isdir(top):
            args += ["--ro-bind", str(top), str(top)]
    return args
