"""bench/mutation.py names real modules and real tests, so a move or a rename cannot quietly
turn a mutation run into one that mutates nothing or runs no test."""

from __future__ import annotations

import importlib.util
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
