"""Keeping every byte before a command: what is kept, what is not, the budget, and restoring."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.settings.sections import REGENERABLE
from hunk.workspace.git import open_repo
from hunk.workspace.keep import KeepRefused, Store, load, take
from hunk.workspace.keep_restore import restore
from tests.workspace.conftest import git, write

MB = 1_048_576


def _person(make_repo: Callable[..., Path]) -> Path:
    root = make_repo({"tracked.txt": b"base\n", "part.txt": b"a\nb\nc\n", ".gitignore": b".env\nnode_modules/\ndata/\n"})
    write(root, {"tracked.txt": b"base, unstaged\n", "part.txt": b"a staged\nb\nc\n"})
    git(root, "add", "part.txt")
    write(root, {"part.txt": b"a staged\nb\nc unstaged\n", "new.txt": b"untracked\n", ".env": b"KEY=1\n"})
    os.chmod(root / ".env", 0o600)
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "index.js").write_bytes(b"x" * (2 * MB))
    (root / "data").mkdir()
    (root / "data" / "local.db").write_bytes(b"personal data\n")
    return root


def test_keep_holds_unstaged_untracked_and_personal_ignored_files_but_not_regenerable_trees(make_repo: Callable[..., Path]) -> None:
    root = _person(make_repo)
    manifest = take(open_repo(root), 64 * MB, REGENERABLE)
    kinds = {path: kept.kind for path, kept in manifest.files.items()}
    assert kinds == {
        "tracked.txt": "dirty",
        "part.txt": "dirty",
        "new.txt": "untracked",
        ".env": "ignored",
        "data/local.db": "ignored",
    }
    assert "node_modules" in manifest.skipped
    assert manifest.index is not None  # the staged half of part.txt lives in the kept index
    store = Store(open_repo(root))
    assert store.read(manifest.files[".env"].digest) == b"KEY=1\n"
    assert load(open_repo(root), manifest.id).files.keys() == manifest.files.keys()


def test_a_command_over_the_budget_is_refused_with_the_largest_files_named(make_repo: Callable[..., Path]) -> None:
    root = _person(make_repo)
    (root / "video.bin").write_bytes(b"v" * (3 * MB))
    with pytest.raises(KeepRefused) as refused:
        take(open_repo(root), 2 * MB, REGENERABLE)
    assert "video.bin (3.0 MB)" in str(refused.value) and "keep.budget_mb" in str(refused.value)


def test_a_second_keep_reuses_copies_of_unchanged_files(make_repo: Callable[..., Path]) -> None:
    root = _person(make_repo)
    first = take(open_repo(root), 64 * MB, REGENERABLE)
    (root / "video.bin").write_bytes(b"v" * (3 * MB))
    first.taken_ns -= 10_000_000_000  # long ago: the stat of unchanged files can be trusted
    with pytest.raises(KeepRefused):  # only the new file counts against the budget
        take(open_repo(root), 2 * MB, REGENERABLE, first)
    assert take(open_repo(root), 4 * MB, REGENERABLE, first).files["video.bin"].kind == "untracked"


def test_restore_puts_every_byte_git_state_and_the_index_back(make_repo: Callable[..., Path]) -> None:
    root = _person(make_repo)
    head = git(root, "rev-parse", "HEAD").strip()
    picture = {p: (root / p).read_bytes() for p in ("tracked.txt", "part.txt", "new.txt", ".env", "data/local.db")}
    staged = git(root, "diff", "--cached")
    manifest = take(open_repo(root), 64 * MB, REGENERABLE)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sneak")
    git(root, "config", "core.pager", "touch pwned")
    git(root, "clean", "-qfdx")
    write(root, {"made.txt": b"by the command\n"})
    os.remove(root / "tracked.txt")

    restore(open_repo(root), load(open_repo(root), manifest.id))

    assert git(root, "rev-parse", "HEAD").strip() == head
    assert {p: (root / p).read_bytes() for p in picture} == picture
    assert (root / ".env").stat().st_mode & 0o777 == 0o600
    assert git(root, "diff", "--cached") == staged
    assert "pager" not in (root / ".git" / "config").read_text()
    assert not (root / "made.txt").exists()
