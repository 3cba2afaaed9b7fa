"""How long grouping takes: 5,000 hunks in 200 files — a rename at 4,000 call sites (each with
its own arguments and indentation), 1,000 unrelated edits. Target: ≤ 0.2 s.

Run: .venv/bin/python bench/groups.py
"""

from __future__ import annotations

import random
import time

from hunk.values.groups import group_hunks
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import file_diff

FILES = 200
HUNKS_PER_FILE = 25  # 200 × 25 = 5,000 hunks
GAP = 8  # unchanged lines between changed ones: every change is a hunk of its own


def make_diffs(rng: random.Random):  # type: ignore[no-untyped-def]
    diffs = []
    for f in range(FILES):
        before, after = [], []
        for h in range(HUNKS_PER_FILE):
            indent = " " * rng.choice((0, 4, 8))
            if rng.random() < 0.8:
                line = f"{indent}opts_{h} = parse_args(argv[{rng.randint(0, 99)}], strict={rng.choice(('True', 'False'))})\n"
                before.append(line)
                after.append(line.replace("parse_args", "parse_argv"))
            else:
                before.append(f"{indent}total_{h} = compute({rng.randint(0, 999)}, mode='fast')\n")
                after.append(f"{indent}total_{h} = compute({rng.randint(0, 999)}, mode='exact')  # {f}.{h}\n")
            filler = [f"    keep_{f}_{h}_{k} = {k}\n" for k in range(GAP)]
            before += filler
            after += filler
        diffs.append(file_diff(FileChange(f"pkg/mod_{f:03}.py", "".join(before).encode(), "".join(after).encode())))
    return diffs


def main() -> None:
    diffs = make_diffs(random.Random(17))
    hunks = sum(len(d.hunks) for d in diffs)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        groups = group_hunks(diffs)
        best = min(best, time.perf_counter() - started)
    biggest = max(groups, key=lambda g: len(g.places))
    print(f"{hunks:,} hunks in {len(diffs)} files → {len(groups)} group(s); the largest: {biggest.headline()} ({biggest.describe()[0]})")
    print(f"grouping: {best * 1000:.1f} ms (best of 5; target ≤ 200 ms)")


if __name__ == "__main__":
    main()
