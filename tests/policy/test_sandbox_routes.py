"""Each way out of the repository a hostile command line found past the command rules, run
through the real bubblewrap: the write is refused, the refusal is explained, and nothing appears,
changes or disappears outside the working tree. The same lines with the sandbox off do get out,
so these tests prove the sandbox, not a typo in the route.
"""

from __future__ import annotations

import base64
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from hunk.policy.sandbox import Sandbox
from tests.gitrepo import make_repo

PY = shlex.quote(sys.executable)
HIDDEN = base64.b64encode(b"touch ../outside/from_base64").decode()

ROUTES = {
    "python_open": f"{PY} -c \"open('../outside/py', 'w').write('x')\"",
    "perl_unlink": "perl -e 'unlink(\"../outside/victim\") or die \"unlink: $!\\n\"'",
    "find_exec_rm": "find ../outside -name victim -exec rm {} \\;",
    "xargs_rm": "echo ../outside/victim | xargs rm",
    "cp_t": "cp -t .. README.md",
    "env_C": "env -C .. touch from_env",
    "cd_dirname": 'cd "$(dirname "$PWD")" && touch from_cd',
    "eval_base64": f'eval "$(echo {HIDDEN} | base64 -d)"',
    "symlink_append": "ln -s ../outside/victim link && echo more >> link",
    "hardlink_append": "ln ../outside/victim hard && echo more >> hard",
    "git_worktree_add": "git worktree add -q ../wt",
    "git_C_init": "git -C ../outside/sub init -q",
    "make_C": "make -C ../outside",
    "tar_C": "tar -cf bundle.tar README.md && tar -C .. -xf bundle.tar",
    "fresh_script": "printf 'touch ../outside/from_script\\n' > job.sh && bash job.sh",
    "touch_home": "touch $HOME/from_home",
}


def _state(folder: Path, skip: Path) -> dict[str, bytes | str]:
    """Every path under `folder` (but `skip`) with its bytes, or its link target."""
    found: dict[str, bytes | str] = {}
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if Path(here, d) != skip]
        for name in dirs + files:
            path = Path(here, name)
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "dir"
    return found


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, Path]:
    """A repository at tmp/repo, and a neighbour tmp/outside holding a file and a Makefile."""
    repo = make_repo(tmp_path / "repo", {"README.md": "hello\n"})
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "victim").write_text("keep me\n")
    (outside / "Makefile").write_text("all:\n\ttouch made\n")
    return repo, outside


def _outside(repo: Path, home: Path) -> tuple[dict[str, bytes | str], ...]:
    return _state(repo.parent, repo), _state(home, repo)


def _run(sandbox: Sandbox, repo: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        sandbox.wrap(["bash", "-c", command], repo), cwd=repo, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_write_outside_the_repository_is_refused_and_nothing_appears_outside(
    route: str, world: tuple[Path, Path], hermetic_home: Path
) -> None:
    repo, _ = world
    sandbox = Sandbox("workspace-write", repo)
    assert sandbox.active, sandbox.state()
    before = _outside(repo, hermetic_home)

    done = _run(sandbox, repo, ROUTES[route])

    assert _outside(repo, hermetic_home) == before
    denial = sandbox.explain(done.stdout + done.stderr)
    assert denial is not None and denial.kind == "write", done.stdout + done.stderr
    assert "the person can" in denial.explain()


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_with_the_sandbox_off_the_same_route_does_get_out(
    route: str, world: tuple[Path, Path], hermetic_home: Path
) -> None:
    repo, _ = world
    sandbox = Sandbox("off", repo)
    before = _outside(repo, hermetic_home)

    done = _run(sandbox, repo, ROUTES[route])

    assert _outside(repo, hermetic_home) != before, done.stderr
    assert sandbox.explain(done.stdout + done.stderr) is None


def test_the_working_tree_stays_writable_but_git_does_not(world: tuple[Path, Path]) -> None:
    repo, _ = world
    sandbox = Sandbox("workspace-write", repo)
    head = (repo / ".git" / "HEAD").read_bytes()

    done = _run(sandbox, repo, "echo new > made.txt && mkdir -p src && echo x > src/a.py && echo evil > .git/HEAD")

    assert (repo / "made.txt").read_text() == "new\n" and (repo / "src" / "a.py").read_text() == "x\n"
    assert (repo / ".git" / "HEAD").read_bytes() == head
    assert "Read-only file system" in done.stderr


def test_scratch_files_in_git_stay_writable(world: tuple[Path, Path]) -> None:
    repo, _ = world
    scratch = repo / ".git" / "hunk"
    scratch.mkdir()
    sandbox = Sandbox("workspace-write", repo, scratch=(scratch,))

    done = _run(sandbox, repo, "echo idx > .git/hunk/index && touch .git/other")

    assert (scratch / "index").read_text() == "idx\n"
    assert not (repo / ".git" / "other").exists() and done.returncode != 0


def test_a_configured_writable_path_is_writable(world: tuple[Path, Path], hermetic_home: Path) -> None:
    repo, _ = world
    cache = hermetic_home / ".cache"
    cache.mkdir()
    sandbox = Sandbox("workspace-write", repo, writable=("~/.cache",))

    done = _run(sandbox, repo, "touch ~/.cache/ok && touch ~/not-ok")

    assert (cache / "ok").exists() and not (hermetic_home / "not-ok").exists()
    assert done.returncode != 0


def test_tmp_is_private_to_the_command(world: tuple[Path, Path]) -> None:
    repo, _ = world
    marker = f"/tmp/hunk-sandbox-test-{os.getpid()}"
    sandbox = Sandbox("workspace-write", repo)

    done = _run(sandbox, repo, f"echo x > {marker} && cat {marker}")

    assert done.stdout == "x\n" and not os.path.exists(marker)


def test_read_only_mode_refuses_writes_in_the_repository_too(world: tuple[Path, Path]) -> None:
    repo, _ = world
    sandbox = Sandbox("read-only", repo)

    done = _run(sandbox, repo, "cat README.md && echo changed > README.md; touch new.txt")

    assert done.stdout == "hello\n"
    assert (repo / "README.md").read_text() == "hello\n" and not (repo / "new.txt").exists()
    denial = sandbox.explain(done.stderr)
    assert denial is not None and denial.kind == "write"


def test_off_mode_runs_the_command_as_it_is(world: tuple[Path, Path]) -> None:
    repo, _ = world
    sandbox = Sandbox("off", repo)
    argv = ["bash", "-c", "echo x > ../outside/plain"]

    assert sandbox.wrap(argv, repo) == argv
    assert _run(sandbox, repo, argv[2]).returncode == 0
    assert (repo.parent / "outside" / "plain").read_text() == "x\n"
