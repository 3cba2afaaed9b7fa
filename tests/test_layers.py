"""The house rules, checked: the import-linter contracts in pyproject.toml hold, the package root
holds only the entry points, every package says what it may import, and no module sprawls."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "hunk"
ROOT = SRC.parents[1]
MAX_LINES = 400


def test_the_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert lint, "import-linter is part of the test extra: pip install -e '.[test]'"
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "BROKEN" not in done.stdout and " kept, 0 broken" in done.stdout


def test_the_package_root_holds_only_the_entry_points() -> None:
    modules = sorted(p.name for p in SRC.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py"]


def test_every_package_says_what_it_is_for_and_what_it_may_import() -> None:
    for init in SRC.rglob("__init__.py"):
        if init.parent == SRC or "screens" in init.parts or "widgets" in init.parts:
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.relative_to(SRC)} has no docstring"
        assert "May import" in doc, f"{init.relative_to(SRC)} does not say what it may import"


def test_no_module_is_over_the_size_limit() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_tui_never_probes_the_agent() -> None:
    """Front ends use the AgentSession protocol; nothing in tui/ asks whether a method exists."""
    probes = []
    for path in (SRC / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr"):
                target = ast.unparse(node.args[0]) if node.args else ""
                if "agent" in target:
                    probes.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node)}")
    assert probes == []


def test_only_the_workspace_git_module_runs_git() -> None:
    """The git binary is started from workspace/git.py alone (GitPython included)."""
    runs = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "workspace" / "git.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.List, ast.Tuple)) and node.elts:
                first = node.elts[0]
                if isinstance(first, ast.Constant) and first.value == "git":
                    runs.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert runs == []
