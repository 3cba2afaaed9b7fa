"""list_files and search_files see tracked + untracked-not-ignored files, with every backend."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hunk.tools import search_backends
from hunk.tools.base import ToolContext
from hunk.tools.files import LIST_FILES, SEARCH_FILES
from hunk.tools.repo_files import GlobMatcher

from .conftest import git, write


@pytest.fixture
def project(repo: Path) -> Path:
    write(repo, ".gitignore", "build/\n*.log\n")
    write(repo, "src/app.py", "def parse_args(argv):\n    return argv\n")
    write(repo, "src/util/helpers.py", "from app import parse_args\nPARSE = 1\n")
    write(repo, "README.md", "Call parse_args to start.\n")
    write(repo, ".github/ci.yml", "run: parse_args\n")
    write(repo, "build/out.py", "parse_args = None\n")
    write(repo, "debug.log", "parse_args failed\n")
    write(repo, "assets/pic.bin", b"\x00\x01parse_args\x00")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    write(repo, "src/new_untracked.py", "parse_args()\n")
    return repo


@pytest.fixture(params=search_backends.available_backends())
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every backend this machine has (ripgrep only where installed; git and Python always)."""
    name: str = request.param
    monkeypatch.setattr(search_backends, "available_backends", lambda: [name])
    return name


async def test_list_shows_tracked_and_untracked_but_not_ignored(project: Path, ctx: ToolContext) -> None:
    out = await LIST_FILES.run({}, ctx)
    assert out.content.split("\n") == [
        ".github/ci.yml",
        ".gitignore",
        "README.md",
        "assets/pic.bin",
        "src/app.py",
        "src/new_untracked.py",
        "src/util/helpers.py",
    ]
    assert out.summary == "7 files"


async def test_list_drops_deleted_tracked_files(project: Path, ctx: ToolContext) -> None:
    (project / "README.md").unlink()
    out = await LIST_FILES.run({}, ctx)
    assert "README.md" not in out.content.split("\n")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"pattern": "*.py"}, ["src/app.py", "src/new_untracked.py", "src/util/helpers.py"]),
        ({"pattern": "src/*.py"}, ["src/app.py", "src/new_untracked.py"]),
        ({"pattern": "src/**/*.py"}, ["src/app.py", "src/new_untracked.py", "src/util/helpers.py"]),
        ({"pattern": "**/helpers.py"}, ["src/util/helpers.py"]),
        ({"path": "src/util"}, ["src/util/helpers.py"]),
        ({"path": "src", "pattern": "util/*.py"}, ["src/util/helpers.py"]),
        ({"pattern": "*.{md,yml}"}, [".github/ci.yml", "README.md"]),
    ],
)
async def test_list_glob_filters(project: Path, ctx: ToolContext, arguments: dict[str, str], expected: list[str]) -> None:
    out = await LIST_FILES.run(arguments, ctx)
    assert out.content.split("\n") == expected


async def test_list_is_capped_with_a_count_of_the_rest(repo: Path, ctx: ToolContext) -> None:
    for n in range(520):
        write(repo, f"many/f{n:04d}.txt", "x\n")
    out = await LIST_FILES.run({}, ctx)
    rows = out.content.split("\n")
    assert len(rows) == 501 and rows[0] == "many/f0000.txt"
    assert "20 more" in rows[-1]
    assert out.summary == "520 files"


async def test_list_refuses_paths_outside_and_in_git(project: Path, ctx: ToolContext) -> None:
    for path in ("..", ".git", "/etc"):
        out = await LIST_FILES.run({"path": path}, ctx)
        assert out.is_error, path


async def test_search_respects_gitignore_and_skips_binaries(project: Path, ctx: ToolContext, backend: str) -> None:
    out = await SEARCH_FILES.run({"pattern": r"parse_args\b"}, ctx)
    assert out.content.split("\n") == [
        ".github/ci.yml:1: run: parse_args",
        "README.md:1: Call parse_args to start.",
        "src/app.py:1: def parse_args(argv):",
        "src/new_untracked.py:1: parse_args()",
        "src/util/helpers.py:1: from app import parse_args",
    ]
    assert out.summary == "5 matches"


async def test_search_with_path_glob_and_ignore_case(project: Path, ctx: ToolContext, backend: str) -> None:
    out = await SEARCH_FILES.run({"pattern": "parse", "path": "src", "glob": "*.py", "ignore_case": True}, ctx)
    assert out.content.split("\n") == [
        "src/app.py:1: def parse_args(argv):",
        "src/new_untracked.py:1: parse_args()",
        "src/util/helpers.py:1: from app import parse_args",
        "src/util/helpers.py:2: PARSE = 1",
    ]
    glob = await SEARCH_FILES.run({"pattern": "parse_args", "glob": "src/util/*.py"}, ctx)
    assert glob.content == "src/util/helpers.py:1: from app import parse_args"


async def test_search_caps_hits_and_cuts_long_lines(repo: Path, ctx: ToolContext, backend: str) -> None:
    write(repo, "big.txt", "".join(f"hit {n}\n" for n in range(250)))
    write(repo, "wide.txt", "hit " + "z" * 1000 + "\n")
    out = await SEARCH_FILES.run({"pattern": "^hit"}, ctx)
    rows = out.content.split("\n")
    assert len(rows) == 201 and rows[0] == "big.txt:1: hit 0"
    assert "51 more" in rows[-1]
    assert out.summary == "251 matches"
    wide = await SEARCH_FILES.run({"pattern": "hit z"}, ctx)
    assert len(wide.content) < 400 and "more characters" in wide.content


async def test_search_paths_with_colons_and_spaces(repo: Path, ctx: ToolContext, backend: str) -> None:
    write(repo, "odd dir/a:b.txt", "needle: here\n")
    out = await SEARCH_FILES.run({"pattern": "needle"}, ctx)
    assert out.content == "odd dir/a:b.txt:1: needle: here"


async def test_search_look_around_works_on_every_backend(project: Path, ctx: ToolContext, backend: str) -> None:
    out = await SEARCH_FILES.run({"pattern": r"parse_args(?=\()", "path": "src/app.py"}, ctx)
    assert out.content == "src/app.py:1: def parse_args(argv):"


async def test_invalid_regex_is_a_clear_tool_error(project: Path, ctx: ToolContext, backend: str) -> None:
    out = await SEARCH_FILES.run({"pattern": "parse_args("}, ctx)
    assert out.is_error and "not a valid regular expression" in out.content


async def test_no_match_says_so(project: Path, ctx: ToolContext, backend: str) -> None:
    out = await SEARCH_FILES.run({"pattern": "nothing_like_this"}, ctx)
    assert not out.is_error and "No matches" in out.content and out.summary == "0 matches"


async def test_python_search_without_git_or_rg_on_path(project: Path, ctx: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("rg", "git") else real_which(name, *a, **k))
    assert search_backends.available_backends() == ["python"]
    out = await SEARCH_FILES.run({"pattern": "PARSE = 1"}, ctx)
    assert out.content == "src/util/helpers.py:2: PARSE = 1"


def test_glob_matcher_semantics() -> None:
    assert GlobMatcher("*.py")("a/b/c.py") and not GlobMatcher("*.py")("a/b/c.pyc")
    assert GlobMatcher("a/**/c.py")("a/c.py") and GlobMatcher("a/**/c.py")("a/x/y/c.py")
    assert not GlobMatcher("a/*.py")("a/x/c.py")
    assert GlobMatcher("t?st_[a-c].py")("test_b.py") and not GlobMatcher("t?st_[!a-c].py")("test_b.py")
    assert GlobMatcher(None)("anything")


async def test_python_search_does_not_follow_symlinks_out_of_the_repository(repo: Path, ctx: ToolContext, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("needle outside\n")
    (repo / "escape.txt").symlink_to(outside / "secret.txt")
    (repo / "gitconfig.txt").symlink_to(repo / ".git" / "config")
    (repo / "inside.txt").symlink_to(repo / "real.txt")
    write(repo, "real.txt", "needle inside\n")
    git(repo, "config", "hunk.test", "needle in git config")
    git(repo, "add", "-A")
    monkeypatch.setattr(search_backends, "available_backends", lambda: ["python"])

    out = await SEARCH_FILES.run({"pattern": "needle"}, ctx)

    assert out.content.split("\n") == ["inside.txt:1: needle inside", "real.txt:1: needle inside"]
