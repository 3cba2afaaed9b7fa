"""The sandbox's network line, and the truth about it where bubblewrap is missing or broken."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hunk.policy.sandbox import Sandbox
from hunk.policy.sandbox_linux import Bubblewrap
from tests.gitrepo import make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"README.md": "hello\n"})


def _connect(sandbox: Sandbox, repo: Path, port: int) -> subprocess.CompletedProcess[str]:
    script = f"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=5).sendall(b'hi')"
    argv = sandbox.wrap(["bash", "-c", f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"], repo)
    return subprocess.run(argv, cwd=repo, capture_output=True, text=True, timeout=60, check=False)


def _accepted(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def test_a_connection_to_a_local_server_is_refused_and_the_server_sees_nothing(
    repo: Path, listener: socket.socket
) -> None:
    sandbox = Sandbox("workspace-write", repo)

    done = _connect(sandbox, repo, listener.getsockname()[1])

    assert done.returncode != 0 and "Connection refused" in done.stderr
    assert not _accepted(listener)
    denial = sandbox.explain(done.stderr)
    assert denial is not None and denial.kind == "network"
    assert "allow the network for this session" in denial.explain()


def test_with_network_allowed_the_same_connection_arrives(repo: Path, listener: socket.socket) -> None:
    sandbox = Sandbox("workspace-write", repo).with_network()

    done = _connect(sandbox, repo, listener.getsockname()[1])

    assert done.returncode == 0, done.stderr
    assert _accepted(listener)
    assert sandbox.active and sandbox.label == "sandbox: workspace-write + network"


def _fake_bwrap(folder: Path, complaint: str) -> str:
    script = folder / "bwrap"
    script.write_text(f"#!/bin/sh\necho 'bwrap: {complaint}' >&2\nexit 1\n")
    script.chmod(0o755)
    return str(script)


def test_missing_bubblewrap_is_stated_and_commands_run_unsandboxed(repo: Path) -> None:
    sandbox = Sandbox("workspace-write", repo, backend=Bubblewrap(executable=""))

    assert not sandbox.active and not sandbox.refuses
    assert sandbox.state() == (
        "Commands are not sandboxed: bubblewrap (bwrap) is not installed; "
        "on Debian or Ubuntu: apt-get install bubblewrap."
    )
    assert sandbox.wrap(["bash", "-c", "true"], repo) == ["bash", "-c", "true"]
    assert sandbox.explain("touch: cannot touch 'x': Read-only file system") is None


def test_bubblewrap_that_cannot_start_says_why(repo: Path, tmp_path: Path) -> None:
    fake = _fake_bwrap(tmp_path, "No permissions to create new namespace")
    sandbox = Sandbox("workspace-write", repo, backend=Bubblewrap(executable=fake))

    assert not sandbox.active
    assert "No permissions to create new namespace" in sandbox.state()
    assert sandbox.label == "not sandboxed"


@pytest.mark.parametrize("mode", ["required", "read-only"])
def test_a_mode_that_needs_the_sandbox_refuses_when_it_cannot_start(repo: Path, mode: str) -> None:
    sandbox = Sandbox(mode, repo, backend=Bubblewrap(executable=""))  # type: ignore[arg-type]

    assert sandbox.refuses and not sandbox.active
    assert sandbox.state().startswith(f"Commands will not run: sandbox mode {mode} needs a sandbox, but bubblewrap")


def test_required_runs_sandboxed_where_bubblewrap_works(repo: Path) -> None:
    sandbox = Sandbox("required", repo)

    assert sandbox.active and not sandbox.refuses
    assert sandbox.wrap(["true"], repo)[0].endswith("bwrap")


def test_off_never_probes_for_bubblewrap(repo: Path, tmp_path: Path) -> None:
    fake = _fake_bwrap(tmp_path, "should not run")
    sandbox = Sandbox("off", repo, backend=Bubblewrap(executable=fake))

    assert sandbox.problem is None and not sandbox.active and not sandbox.refuses
    assert sandbox.state() == "Commands run without a sandbox (sandbox mode off)."


def test_an_unknown_mode_is_refused(repo: Path) -> None:
    with pytest.raises(ValueError, match="choose one of off, workspace-write, required, read-only"):
        Sandbox("loose", repo)  # type: ignore[arg-type]
