"""Median wall time of `hunk --version` (the installed command) over 10 runs.

Target on the reference machine (2 cores): <= 0.15 s. Run: python bench/startup.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def command() -> list[str]:
    beside = Path(sys.executable).with_name("hunk")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("hunk")
    return [found] if found else [sys.executable, "-m", "hunk"]


def main(runs: int = 10) -> None:
    cmd = command() + ["--version"]
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    print(f"hunk --version: median {statistics.median(times) * 1000:.0f} ms over {runs} runs "
          f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms) [{' '.join(cmd)}]")


if __name__ == "__main__":
    main()
