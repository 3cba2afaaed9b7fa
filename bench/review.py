"""How long review takes for a large change: 5,000 changed lines across 20 files.

Measures (1) changeset → FileDiffs ready to show, and (2) a half-accepted decision → the
accepted content computed and written to disk (apply_verdicts + write_atomic), and, for
context, (3) committing those accepted changes with real git and (4) snapshotting a 5,000-file
tree before and after a command. Target for (1) and (2): ≤ 0.3 s.

Run: .venv/bin/python bench/review.py
"""

from __future__ import annotations

import random
import subprocess
import tempfile
import time
from pathlib import Path

from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.workspace.changeset import Changeset, FileChange
from hunk.workspace.commits import commit_accepted
from hunk.workspace.diff import apply_verdicts, file_diff
from hunk.workspace.git import open_repo
from hunk.workspace.tree import changes_between, take_snapshot, write_atomic

FILES = 20
LINES_PER_FILE = 600
CHANGED_PER_FILE = 250  # 20 × 250 = 5,000 changed lines


def make_files(rng: random.Random) -> dict[str, tuple[bytes, bytes]]:
    files = {}
    for index in range(FILES):
        lines = [
            f"    value_{index}_{n} = compute({n}, {rng.randint(0, 999)})\n"
            for n in range(LINES_PER_FILE)
        ]
        before = "".join(lines).encode()
        changed = list(lines)
        for n in rng.sample(range(LINES_PER_FILE), CHANGED_PER_FILE):
            changed[n] = f"    value_{index}_{n} = compute_faster({n})\n"
        files[f"src/module_{index:02d}.py"] = (before, "".join(changed).encode())
    return files


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def main() -> None:
    rng = random.Random(4)
    files = make_files(rng)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.name", "Bench")
        git(root, "config", "user.email", "bench@example.com")
        for path, (before, _) in files.items():
            write_atomic(root, path, before, 0o100644)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")

        changeset = Changeset()
        for path, (before, after) in files.items():
            changeset.add(FileChange(path, before, after, 0o100644, 0o100644, "edit_file"))

        start = time.perf_counter()
        diffs = [file_diff(change) for change in changeset.changes()]
        diff_time = time.perf_counter() - start
        hunks = sum(len(d.hunks) for d in diffs)
        changed = sum(d.added for d in diffs)

        verdicts = [
            FileVerdict(d.path, tuple(HunkVerdict(i % 2 == 0) for i in range(d.decision_count)))
            for d in diffs
        ]
        start = time.perf_counter()
        accepted = []
        for change, diff, verdict in zip(changeset.changes(), diffs, verdicts, strict=True):
            result = apply_verdicts(change, diff, verdict)
            write_atomic(root, result.path, result.after, result.after_mode)
            accepted.append(result)
        apply_time = time.perf_counter() - start

        start = time.perf_counter()
        commit = commit_accepted(open_repo(root), accepted, "Half of the change", run_hooks=False)
        commit_time = time.perf_counter() - start

    print(f"change: {changed} changed lines in {len(diffs)} files, {hunks} hunks")
    print(f"changeset -> FileDiffs ready:          {diff_time:.3f} s")
    print(f"half-accepted -> applied and written:  {apply_time:.3f} s")
    print(f"commit of the accepted half (git):     {commit_time:.3f} s ({len(commit.files)} files)")


def snapshot_bench() -> None:
    """Side effects of a command in a 5,000-file repository with 50 dirty files."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.name", "Bench")
        git(root, "config", "user.email", "bench@example.com")
        for n in range(5000):
            path = root / f"pkg{n // 100:02d}" / f"file_{n}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(b"content %d\n" % n * 20)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")
        for n in range(0, 5000, 100):
            (root / f"pkg{n // 100:02d}" / f"file_{n}.txt").write_bytes(b"user edit\n")
        start = time.perf_counter()
        before = take_snapshot(root)
        first = time.perf_counter() - start
        for n in range(1, 5000, 500):  # what a formatter might touch
            (root / f"pkg{n // 100:02d}" / f"file_{n}.txt").write_bytes(b"formatted\n")
        start = time.perf_counter()
        changes = changes_between(before, take_snapshot(root, before), root)
        second = time.perf_counter() - start
    print(f"snapshot of 5,000 files (50 dirty):    {first:.3f} s")
    print(f"snapshot again + {len(changes)} side effects found: {second:.3f} s")


if __name__ == "__main__":
    main()
    snapshot_bench()
