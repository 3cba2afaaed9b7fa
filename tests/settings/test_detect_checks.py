"""What `hunk init` proposes as checks, from the files a repository already has."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hunk.settings.detect import checks_table, detect_checks

CASES = [
    ({"pyproject.toml": "[tool.ruff]\nline-length = 100\n[tool.pytest.ini_options]\naddopts = '-q'\n"},
     ("ruff check {files}", "python -m pytest -q -x")),
    ({"pyproject.toml": "[project]\nname = 'x'\n", "ruff.toml": "", "tests/conftest.py": ""},
     ("ruff check {files}", "python -m pytest -q -x")),
    ({"setup.cfg": "[tool:pytest]\ntestpaths = tests\n"}, ("python -m pytest -q -x",)),
    ({"pyproject.toml": "[project\nbroken"}, ()),
    ({"package.json": '{"scripts": {"test": "vitest run", "lint": "eslint .", "build": "tsc"}}'}, ("npm run lint", "npm test")),
    ({"package.json": '{"scripts": {"test": "echo \\"Error: no test specified\\" && exit 1"}}'}, ()),
    ({"package.json": '{"scripts": {"typecheck": "tsc --noEmit"}}', "pnpm-lock.yaml": ""}, ("pnpm run typecheck",)),
    ({"package.json": "not json"}, ()),
    ({"Makefile": "VAR := 1\nbuild:\n\tcc x.c\ntest: build\n\t./t\nlint:\n\tcheck\n", "go.mod": "module x\n"}, ("make lint", "make test")),
    ({"Cargo.toml": "[package]\nname = 'x'\n"}, ("cargo check --quiet", "cargo test --quiet")),
    ({"go.mod": "module example.com/x\n"}, ("go vet ./...", "go test ./...")),
    ({"README.md": "# nothing to check\n"}, ()),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_detected_checks(files: dict[str, str], expected: tuple[str, ...], tmp_path: Path) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert detect_checks(tmp_path) == expected


def test_the_proposed_table_is_valid_toml_that_hunk_reads_back() -> None:
    table = checks_table(("ruff check {files}", 'echo "quoted"'))
    assert tomllib.loads(table) == {"checks": {"commands": ["ruff check {files}", 'echo "quoted"'], "when": "turn"}}
