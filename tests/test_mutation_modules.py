"""bench/mutation.py names real modules and real tests, so a move or a rename cannot quietly
turn a mutation run into one that mutates nothing or runs no test."""

from __future__ import annotations

import importlib.util
import os
import threading
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@cache
def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_mutation", ROOT / "bench" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_module_and_test_named_for_mutation_exists() -> None:
    bench = _bench()
    assert {"merge", "diff", "paths", "commits", "changes", "approval", "commit"} <= set(
        bench.MODULES
    )
    for name, module in bench.MODULES.items():
        assert (ROOT / module.source).is_file(), name
        assert module.tests and all((ROOT / test).exists() for test in module.tests), name


def test_the_mutmut_config_names_only_that_module_and_its_tests() -> None:
    bench = _bench()
    config = bench._config(bench.MODULES["merge"])
    assert 'only_mutate = ["src/hunk/workspace/merge.py"]' in config
    assert '"tests/workspace/test_merge_rules.py"' in config
    assert "[tool.pytest.ini_options]" in config and "asyncio_mode" in config


def test_an_unknown_module_is_one_line_on_stderr(capsys) -> None:  # type: ignore[no-untyped-def]
    assert _bench().main(["nonesuch"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("unknown module nonesuch;") and err.count("\n") == 1


UNLIMITED = "Max cpu time              unlimited            unlimited            seconds"
LIMITED = "Max cpu time              1234                 1235                 seconds"


def _process(pid: int, parent: int, cpu: float, limit: str = LIMITED):  # type: ignore[no-untyped-def]
    return _bench().Process(pid, parent, cpu, limit)


def test_the_cap_stops_a_worker_whose_cpu_with_its_live_children_passes_it() -> None:
    """A worker is where mutmut set a CPU limit; what it starts inherits the limit and counts
    with it; mutmut itself and its stats run set none and are never stopped."""
    bench = _bench()
    seen = {
        process.pid: process
        for process in [
            _process(1, 0, 0.0, UNLIMITED),
            _process(10, 1, 500.0, UNLIMITED),  # mutmut itself
            _process(11, 10, 300.0, UNLIMITED),  # its stats run
            _process(12, 10, 80.0),  # a worker under the cap...
            _process(13, 12, 30.0),  # ...but the git it started takes it over
            _process(14, 13, 20.0),
            _process(15, 10, 100.0, LIMITED.replace("1234", "99")),  # a worker under the cap
            _process(16, 15, 10.0, LIMITED.replace("1234", "99")),  # a fork of that worker
            _process(20, 1, 999.0),  # another run's worker
        ]
    }
    stop = bench.over_cap(seen, 10, 120.0)
    assert list(stop) == [12] and sorted(stop[12]) == [13, 14]
    assert bench.over_cap(seen, 10, 109.0).keys() == {12, 15}
    assert bench.over_cap(seen, 10, 130.0) == {}


def test_the_watchdog_stops_a_looping_worker_as_mutmut_counts_a_timeout() -> None:
    """A real process with a CPU limit of its own, as mutmut gives a worker, spins; the
    watchdog sends it SIGXCPU, whose exit code mutmut records as a timeout (killed), and
    SIGKILLs the child it started."""
    import resource
    import signal
    import subprocess

    bench = _bench()
    spin = (
        "import subprocess\n"
        f"child = subprocess.Popen([{sys.executable!r}, '-c', 'import time; time.sleep(600)'])\n"
        "print(child.pid, flush=True)\n"
        "while True: pass\n"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", spin],
        stdout=subprocess.PIPE,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CPU, (3600, 3601)),
    )
    watchdog = bench.Watchdog(os.getpid(), cap=0.2, every=0.05)
    watchdog.start()
    try:
        helper = int(worker.stdout.readline())
        assert worker.wait(timeout=120) == -signal.SIGXCPU
    finally:
        watchdog.finish()
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert -signal.SIGXCPU in bench.KILLED and watchdog.stopped == {worker.pid}
    assert _gone(helper)


def _gone(pid: int) -> bool:
    """Ended (a zombie waiting for init counts); polled, as SIGKILL lands asynchronously."""
    for _ in range(2000):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in {"Z", "X"}:
            return True
        threading.Event().wait(0.01)
    return False
