"""search_files against ripgrep on a large repository.

Builds a temporary git repository from the text files of the installed site-packages (copied
`--copies` times under separate folders, about 65 MB of Python per copy), commits half of it and
leaves the rest untracked, then times `search_files` (through its normal backend choice and
through each backend) and `rg` run directly, median of `--runs` runs per pattern.

    .venv/bin/python bench/search.py [--copies 2] [--runs 5]

Needs `rg` on PATH (apt-get install ripgrep) for the comparison; without it only hunk's own
figures are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from hunk.tools import search_backends
from hunk.tools.base import ToolContext
from hunk.tools.files import SEARCH_FILES

PATTERNS = [
    ("rare literal", "class AsyncAnthropic", None),
    ("regex, some hits", r"class \w+Error\(Exception\)", None),
    ("common word, many hits", "return", None),
    ("with glob", r"async def \w+", "*.py"),
]
SUFFIXES = {".py", ".pyi", ".txt", ".md", ".toml", ".cfg", ".json", ".rst"}


def build_repo(root: Path, copies: int) -> tuple[int, int]:
    source = Path(sysconfig.get_paths()["purelib"])
    files = size = 0
    for copy in range(copies):
        for path in source.rglob("*"):
            if path.suffix not in SUFFIXES or not path.is_file() or path.is_symlink():
                continue
            target = root / f"copy{copy}" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            files += 1
            size += target.stat().st_size
    (root / ".gitignore").write_text("*.pyc\n__pycache__/\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "copy0", ".gitignore"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "half"], cwd=root, check=True)
    return files, size


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hunk-bench-") as folder:
        root = Path(folder).resolve()
        files, size = build_repo(root, options.copies)
        print(f"repository: {files} files, {size / 1e6:.0f} MB (half tracked, half untracked)")
        ctx = ToolContext(root=root)
        have_rg = shutil.which("rg") is not None
        backends = search_backends.available_backends()
        contenders = (["rg direct"] if have_rg else []) + [f"hunk/{b}" for b in backends]
        print(f"{'pattern':<24}{'hits':>9}" + "".join(f"{c:>13}" for c in contenders) + ("  hunk/rg÷rg" if have_rg else ""))
        for label, pattern, glob in PATTERNS:
            arguments = {"pattern": pattern, **({"glob": glob} if glob else {})}
            command = ["rg", "-n", pattern, "."] + (["--glob", glob] if glob else [])
            times: dict[str, list[float]] = {c: [] for c in contenders}
            hits = ""
            for run in range(options.runs):  # interleaved, so load from elsewhere hits all alike
                for contender in contenders:
                    if contender == "hunk/python" and run % 2:
                        continue  # slow; half the runs are enough
                    if contender == "rg direct":
                        action = lambda: subprocess.run(command, cwd=root, capture_output=True, stdin=subprocess.DEVNULL)
                    else:
                        backend = contender.removeprefix("hunk/")
                        action = lambda backend=backend: asyncio.run(_search(ctx, arguments, backend))
                    times[contender].append(timed(action))
            hits = asyncio.run(_search(ctx, arguments, backends[0])).summary.split()[0]
            medians = {c: statistics.median(t) for c, t in times.items()}
            line = f"{label:<24}{hits:>9}" + "".join(f"{medians[c] * 1000:>11.0f}ms" for c in contenders)
            if have_rg:
                line += f"{medians['hunk/rg'] / medians['rg direct']:>11.2f}x"
            print(line)
        if not have_rg:
            print("rg is not on PATH: install ripgrep to compare", file=sys.stderr)


async def _search(ctx: ToolContext, arguments: dict[str, object], backend: str):
    original = search_backends.available_backends
    search_backends.available_backends = lambda: [backend]
    try:
        return await SEARCH_FILES.run(arguments, ctx)
    finally:
        search_backends.available_backends = original


if __name__ == "__main__":
    main()
