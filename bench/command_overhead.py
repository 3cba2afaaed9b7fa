"""hunk's own time around one run_command step: finding what the command changed, in a
50,000-file repository and in a small one, against `git status --porcelain` on the same tree.

The step's overhead is `ChangeDetector.watch()` before the command plus `finish()` and
`changes_between` after it (the command itself, which edits one file, is not counted). The old
way (two whole-tree snapshots) is printed beside it. Target: <= 1.5x git status at 50,000 files.
Run: python bench/command_overhead.py [files]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hunk.workspace import tree  # noqa: E402
from hunk.workspace.command_changes import ChangeDetector  # noqa: E402

ROUNDS = 15
OLD_ROUNDS = 3  # the old way takes seconds at 50,000 files
IDENTITY = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"}


def make_tree(root: Path, files: int) -> None:
    per_folder = 100
    for i in range(files):
        folder = root / f"pkg{i // (per_folder * 20)}" / f"mod{i // per_folder}"
        if i % per_folder == 0:
            folder.mkdir(parents=True)
        (folder / f"f{i}.py").write_text(f"x = {i}\n" * 5)
    (root / ".gitignore").write_text("build/\n*.log\n")
    env = {**os.environ, **IDENTITY}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "tree"], cwd=root, check=True, env=env)
    # the person's own uncommitted work, and some ignored output
    (root / "pkg0" / "mod0" / "f0.py").write_text("edited by the person\n")
    (root / "notes.txt").write_text("mine\n")
    (root / "build").mkdir()
    for i in range(200):
        (root / "build" / f"out{i}.o").write_bytes(b"\0" * 64)


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return (time.perf_counter() - started) * 1000


def git_status(root: Path) -> None:
    subprocess.run(["git", "status", "--porcelain"], cwd=root, check=True, stdout=subprocess.DEVNULL)


def measure(root: Path) -> tuple[float, float, float]:
    """Medians of git status and of the command step, taken in turns (the machine's load moves)."""
    target = root / "pkg0" / "mod0" / "f1.py"
    detector = ChangeDetector(root)
    statuses: list[float] = []
    steps: list[float] = []
    for round in range(ROUNDS + 1):
        statuses.append(timed(lambda: git_status(root)))
        started = time.perf_counter()
        watch = detector.watch()
        middle = time.perf_counter()
        target.write_text(f"changed {round}\n")  # the command
        resumed = time.perf_counter()
        before, after = watch.finish()
        assert [c.path for c in tree.changes_between(before, after, root)] == ["pkg0/mod0/f1.py"]
        steps.append(((middle - started) + (time.perf_counter() - resumed)) * 1000)
        subprocess.run(["git", "checkout", "-q", "--", str(target)], cwd=root, check=True)
    detector.close()

    def old_way() -> None:
        first = tree.take_snapshot(root)
        tree.changes_between(first, tree.take_snapshot(root, first), root)

    old = statistics.median(timed(old_way) for _ in range(OLD_ROUNDS))
    # the first step also learns the ignored folders and places the watch
    return statistics.median(statuses[1:]), statistics.median(steps[1:]), old


def main() -> None:
    large = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(f"{'files':>7}  {'git status':>10}  {'command step':>12}  {'ratio':>5}  {'old way':>8}  {'old ratio':>9}")
    for files in (200, large):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            make_tree(root, files)
            git_status(root)  # git refreshes its index once, as after any checkout
            status, step, old = measure(root)
            print(f"{files:>7}  {status:>8.1f}ms  {step:>10.1f}ms  {step / status:>4.2f}x  {old:>6.1f}ms  {old / status:>8.2f}x")


if __name__ == "__main__":
    main()
