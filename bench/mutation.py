"""Mutation testing of the modules the two promises rest on, with mutmut 3.

    pip install -e '.[test,mutation]'
    python bench/mutation.py                 # every module below, one after the other
    python bench/mutation.py merge diff      # only these
    python bench/mutation.py --list          # the modules, their tests and their floors

mutmut changes one thing at a time in a module (a comparison, a constant, a boolean, a dropped
call), runs the tests that reach the changed function, and counts the mutant killed when one
fails. Each module runs in its own scratch folder `.mutmut/<module>/` (a copy of src, tests,
prompts and fixtures, with a mutmut config naming only that module and only its tests), so a run
fits a 2-core machine and one module's results never mix with another's.

A mutant that makes a test loop for ever is stopped at a CPU cap (`--cap`, 120 s by default): a
watchdog thread sends SIGXCPU to any mutmut worker whose CPU time, with its live child
processes', passes the cap, and mutmut records that as a timeout, which counts as killed. The
cap must stay well above the CPU time the module's tests take on the unmutated code; the summary
line says how many mutants it stopped, and every mutant that timed out is named.

Prints per module the score (killed / all mutants), the time taken and every surviving mutant
as a diff. Exits 1 when a module is below its floor. Not part of the default test run: run it
before calling a change to one of these modules done.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / ".mutmut"
COPIED = ("src", "tests", "prompts", "fixtures")


@dataclass(frozen=True)
class Module:
    source: str
    tests: tuple[str, ...]
    floor: float  # the lowest acceptable score, in percent


POLICY_TESTS = (
    "tests/policy/test_rules_table.py",
    "tests/policy/test_rules_reasons.py",
    "tests/policy/test_rules_robustness.py",
    "tests/policy/test_danger_places.py",
    "tests/policy/test_elevation.py",
    "tests/policy/test_sed_scripts.py",
)
MODULES: dict[str, Module] = {
    "merge": Module(
        "src/hunk/workspace/merge.py",
        ("tests/workspace/test_merge_rules.py", "tests/workspace/test_merge_oracle.py"),
        90,
    ),
    "diff": Module(
        "src/hunk/workspace/diff.py",
        (
            "tests/workspace/test_diff.py",
            "tests/workspace/test_diff_edges.py",
            "tests/workspace/test_diff_oracle.py",
            "tests/workspace/test_promises_pure.py",
        ),
        90,
    ),
    "paths": Module("src/hunk/workspace/paths.py", ("tests/tools/test_paths.py",), 90),
    "tree": Module(
        "src/hunk/workspace/tree.py",
        (
            "tests/workspace/test_tree.py",
            "tests/workspace/test_tree_edges.py",
            "tests/workspace/test_git_states.py",
            "tests/workspace/test_line_end_conversion.py",
        ),
        80,
    ),
    "commits": Module(
        "src/hunk/workspace/commits.py",
        (
            "tests/workspace/test_commit.py",
            "tests/workspace/test_commit_edges.py",
            "tests/workspace/test_commit_safety.py",
            "tests/workspace/test_undo.py",
            "tests/workspace/test_git_states.py",
            "tests/workspace/test_line_end_conversion.py",
        ),
        80,
    ),
    "changes": Module(
        "src/hunk/agent/changes.py",
        (
            "tests/agent/test_change_flow.py",
            "tests/agent/test_change_flow_details.py",
            "tests/agent/test_modes.py",
        ),
        80,
    ),
    "approval": Module(
        "src/hunk/agent/approval.py",
        (
            "tests/agent/test_approvers.py",
            "tests/agent/test_change_flow.py",
            "tests/agent/test_commit_step.py",
            "tests/agent/test_slash_operations.py",
            "tests/headless/test_terminal_approver.py",
        ),
        80,
    ),
    "commit": Module(
        "src/hunk/agent/commit.py",
        (
            "tests/agent/test_commit_step.py",
            "tests/agent/test_commit_subject.py",
            "tests/agent/test_hooks_in_the_loop.py",
            "tests/agent/test_modes.py",
        ),
        80,
    ),
    "commands": Module("src/hunk/policy/commands.py", POLICY_TESTS, 80),
    "danger": Module("src/hunk/policy/danger.py", POLICY_TESTS, 80),
    "sed": Module("src/hunk/policy/sed.py", ("tests/policy/test_sed_scripts.py",), 80),
}

# mutmut's exit codes, as its `stats.status_by_exit_code` names them.
KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # a test failed, pytest broke, timed out, type check
SURVIVED = {0}
NO_TESTS = {5, 33}
CAP = 120.0  # CPU seconds a mutant's tests may take before the watchdog stops them
TIMEOUT = {36, -24, 24, 152, 255}  # of KILLED: mutmut's limits or the cap stopped the tests


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    cpu: float  # seconds: its own and those of the children it has waited for
    cpu_limit: str  # its RLIMIT_CPU, as /proc/<pid>/limits shows it


def over_cap(processes: Mapping[int, Process], root: int, cap: float) -> dict[int, list[int]]:
    """The mutmut workers under `root` whose CPU time, their live descendants' included, is
    past `cap`, each with those descendants (a test's git or server: left alone they would
    outlive the worker). A worker is where a new CPU limit begins: mutmut sets one in each
    process that tests a mutant (its stats and clean runs set none), and what a worker starts
    inherits it."""
    children: dict[int, list[int]] = defaultdict(list)
    for process in processes.values():
        children[process.parent].append(process.pid)

    def below(pid: int) -> list[int]:
        found, stack = [], list(children[pid])
        while stack:
            found.append(stack.pop())
            stack.extend(children[found[-1]])
        return found

    stop = {}
    for pid in below(root):
        process, parent = processes[pid], processes[processes[pid].parent]
        if process.cpu_limit == parent.cpu_limit:
            continue  # not a worker, or started by one (counted with it)
        rest = below(pid)
        if process.cpu + sum(processes[child].cpu for child in rest) > cap:
            stop[pid] = rest
    return stop


def processes() -> dict[int, Process]:
    """Every process /proc shows, read as far as it still exists."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            limits = (entry / "limits").read_text()
        except OSError:
            continue  # it ended while we looked
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
        parent, times = int(fields[1]), [int(value) for value in fields[11:15]]
        limit = next((line for line in limits.splitlines() if line.startswith("Max cpu time")), "")
        found[int(entry.name)] = Process(int(entry.name), parent, sum(times) / tick, limit)
    return found


class Watchdog(threading.Thread):
    """Stops, every `every` seconds, the mutmut workers under `root` that are past the CPU cap:
    SIGXCPU to the worker (mutmut records a timeout), SIGKILL to what it started."""

    def __init__(self, root: int, cap: float, every: float = 1.0) -> None:
        super().__init__(name="mutation-cap", daemon=True)
        self.root, self.cap, self.every = root, cap, every
        self.stopped: set[int] = set()  # the workers it stopped
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.every):
            self.check()

    def check(self) -> None:
        seen = processes()
        for worker, rest in over_cap(seen, self.root, self.cap).items():
            self.stopped.add(worker)
            for pid, sig in [(worker, signal.SIGXCPU)] + [(pid, signal.SIGKILL) for pid in rest]:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass

    def finish(self) -> None:
        self._done.set()
        self.join()


def prepare(name: str, module: Module) -> Path:
    """A fresh scratch folder with its own pyproject.toml for this module."""
    folder = SCRATCH / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for part in COPIED:
        shutil.copytree(ROOT / part, folder / part, ignore=ignore, symlinks=True)
    (folder / "pyproject.toml").write_text(_config(module), encoding="utf-8")
    return folder


def _config(module: Module) -> str:
    def strings(values: list[str] | tuple[str, ...]) -> str:
        return "[" + ", ".join(json.dumps(value) for value in values) + "]"

    lines = [
        "[tool.mutmut]",
        'source_paths = ["src"]',
        f"only_mutate = {strings([module.source])}",
        f"pytest_add_cli_args_test_selection = {strings(module.tests)}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:xdist", "-q"]',
        f"also_copy = {strings(['prompts', 'fixtures'])}",
        "use_git_change_detection = false",
        "",
        _pytest_section(),
    ]
    return "\n".join(lines)


def _pytest_section() -> str:
    """The project's own [tool.pytest.ini_options], so the tests run as they do in CI."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    start = text.index("[tool.pytest.ini_options]")
    end = text.find("\n[", start + 1)
    return text[start:] if end < 0 else text[start : end + 1]


def run(
    name: str, module: Module, children: int, cap: float = CAP
) -> tuple[float, list[str], float]:
    """(score in percent, surviving mutants, seconds)."""
    folder = prepare(name, module)
    log = folder / "mutmut.log"
    began = time.monotonic()
    with log.open("wb") as out:
        mutmut = subprocess.Popen(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(children)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        watchdog = Watchdog(mutmut.pid, cap)
        watchdog.start()
        try:
            returncode = mutmut.wait()
        finally:
            if mutmut.poll() is None:
                mutmut.terminate()  # Ctrl-C here: mutmut takes its workers down
                mutmut.wait()
            watchdog.finish()
    seconds = time.monotonic() - began
    meta = folder / "mutants" / (module.source + ".meta")
    if returncode != 0 or not meta.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        raise SystemExit(f"{name}: mutmut failed (see {log}):\n" + "\n".join(tail))
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    killed = sum(code in KILLED for code in codes.values())
    left = sorted(key for key, code in codes.items() if code not in KILLED)
    print(
        f"{name:10} {100 * killed / max(1, len(codes)):5.1f} %  {killed}/{len(codes)} killed, "
        f"{sum(c in SURVIVED for c in codes.values())} survived, "
        f"{sum(c in NO_TESTS for c in codes.values())} without tests, "
        f"{sum(c is None for c in codes.values())} not checked, "
        f"{len(watchdog.stopped)} stopped at the {cap:.0f} s cap  ({seconds / 60:.1f} min)",
        flush=True,
    )
    for mutant in sorted(key for key, code in codes.items() if code in TIMEOUT):
        print(f"  timed out: {mutant}", flush=True)
    return 100 * killed / max(1, len(codes)), [_show(folder, key) for key in left], seconds


def _show(folder: Path, mutant: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "show", mutant],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or f"# {mutant}: (mutmut show printed nothing) {done.stderr}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="module", help=", ".join(MODULES))
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2, help="parallel tests")
    parser.add_argument(
        "--cap", type=float, default=CAP, help=f"CPU seconds per mutant (default {CAP:.0f})"
    )
    args = parser.parse_args(argv)
    if args.list:
        for name, module in MODULES.items():
            print(f"{name:10} ≥{module.floor:.0f} %  {module.source}")
            print(" " * 11 + " ".join(module.tests))
        return 0
    unknown = [name for name in args.modules if name not in MODULES]
    if unknown:
        choices = ", ".join(MODULES)
        print(f"unknown module {', '.join(unknown)}; choose from {choices}", file=sys.stderr)
        return 2
    below = []
    for name in args.modules or list(MODULES):
        score, survivors, _ = run(name, MODULES[name], args.children, args.cap)
        for diff in survivors:
            print("\n" + diff)
        if survivors:
            print()
        if score < MODULES[name].floor:
            below.append(f"{name} {score:.1f} % < {MODULES[name].floor:.0f} %")
    if below:
        print("below the floor: " + "; ".join(below), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
