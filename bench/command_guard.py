"""hunk's time around one command for keeping every byte and guarding git state, against
`git status --porcelain` on the same tree.

Measured: `CommandGuard.before()` (the keep: listing, copying what changed since the last keep,
the manifest, the journal record, the scratch index) and `after()` (git state and ignored files
put back), with the person's work present (a few edited, untracked and ignored files) and an
ignored `node_modules` tree that is not copied. The first keep copies; later ones reuse copies.
Run: python bench/command_guard.py [files]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hunk.agent.guard import CommandGuard  # noqa: E402
from hunk.journal.journal import Journal  # noqa: E402
from hunk.settings.sections import REGENERABLE  # noqa: E402

ROUNDS = 10
IDENTITY = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={"PATH": "/usr/bin:/bin", **IDENTITY})


def make(root: Path, files: int) -> None:
    for i in range(files):
        folder = root / f"pkg{i % 100}" / f"mod{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i}.py").write_text(f"value = {i}\n" * 20)
    (root / ".gitignore").write_text(".env\nnode_modules/\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    for i in range(0, 50, 10):
        (root / f"pkg{i}" / f"mod{i % 7}" / f"f{i}.py").write_text("edited by the person\n")
    (root / "notes.txt").write_text("untracked\n")
    (root / ".env").write_text("KEY=1\n")
    modules = root / "node_modules" / "dep"
    modules.mkdir(parents=True)
    for i in range(2000):
        (modules / f"m{i}.js").write_text("module.exports = 1\n")


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        root.mkdir()
        make(root, files)
        guard = CommandGuard(root, Journal(Path(folder) / "state" / "bench.jsonl"), regenerable=REGENERABLE)
        status = [timed(lambda: subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True)) for _ in range(ROUNDS)]
        first = timed(lambda: guard.after(guard.before()[0]))
        rounds = [timed(lambda: guard.after(guard.before()[0])) for _ in range(ROUNDS)]
        base = statistics.median(status)
        print(f"{files} tracked files, 2,000 ignored in node_modules (not copied)")
        print(f"git status --porcelain      median {base * 1000:8.1f} ms")
        print(f"guard, first command        {first * 1000:8.1f} ms  (copies the person's files)")
        print(f"guard, later commands       median {statistics.median(rounds) * 1000:8.1f} ms  "
              f"({statistics.median(rounds) / base:.1f}x git status)")


if __name__ == "__main__":
    main()
