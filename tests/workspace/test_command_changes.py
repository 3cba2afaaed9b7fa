"""What a command changed, found by watching (inotify) and, where that is unavailable, by a second
git status: the same answers both ways, on real repositories."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hunk.workspace import inotify, tree
from hunk.workspace.changeset import FileChange
from hunk.workspace.command_changes import ChangeDetector
from tests.workspace.conftest import git, write


@pytest.fixture(params=["inotify", "git-status"])
def how(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "git-status":  # a machine without inotify
        monkeypatch.setattr(inotify, "start", lambda root: None)
    yield request.param


def _run(detector: ChangeDetector, command: Callable[[], object], how: str) -> dict[str, FileChange]:
    watch = detector.watch()
    assert watch.watching == (how == "inotify")
    command()
    before, after = watch.finish()
    return {change.path: change for change in tree.changes_between(before, after, detector.root)}


def _sh(root: Path, line: str) -> Callable[[], object]:
    return lambda: subprocess.run(["bash", "-c", line], cwd=root, check=True, capture_output=True)


def test_edits_creations_and_deletions_are_seen_and_ignored_files_are_not(
    make_repo: Callable[..., Path], how: str
) -> None:
    root = make_repo({"clean.txt": b"clean\n", "dirty.txt": b"v1\n", "gone.txt": b"bye\n", ".gitignore": b"*.log\n"})
    write(root, {"dirty.txt": b"v2 user\n", "untracked.txt": b"mine\n", "ignored.log": b"x\n"})
    detector = ChangeDetector(root)

    changes = _run(detector, _sh(root, (
        "echo CLEAN > clean.txt; echo v3 agent > dirty.txt; echo MINE > untracked.txt; "
        "echo new > created.txt; echo y > ignored.log; rm gone.txt"
    )), how)

    assert sorted(changes) == ["clean.txt", "created.txt", "dirty.txt", "gone.txt", "untracked.txt"]
    assert (changes["clean.txt"].before, changes["clean.txt"].after) == (b"clean\n", b"CLEAN\n")
    assert (changes["dirty.txt"].before, changes["dirty.txt"].after) == (b"v2 user\n", b"v3 agent\n")
    assert (changes["gone.txt"].before, changes["gone.txt"].after) == (b"bye\n", None)
    assert (changes["created.txt"].before, changes["created.txt"].after) == (None, b"new\n")


def test_a_command_that_changes_nothing_changes_nothing(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({f"src/f{i}.txt": b"%d\n" % i for i in range(30)})
    write(root, {"src/f3.txt": b"edited\n", "notes.txt": b"mine\n"})
    detector = ChangeDetector(root)

    assert _run(detector, _sh(root, "cat src/f3.txt > /dev/null; touch -a notes.txt"), how) == {}
    watch = detector.watch()
    assert sorted(watch.before.files) == ["notes.txt", "src/f3.txt"]  # only the person's work is read
    watch.finish()


def test_folders_made_moved_and_removed_are_seen_whole(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"old/a.txt": b"a\n", "old/deep/b.txt": b"b\n", "gone/c.txt": b"c\n", "keep.txt": b"k\n"})
    write(root, {"gone/mine.txt": b"mine\n"})
    detector = ChangeDetector(root)

    changes = _run(detector, _sh(root, "mv old renamed; rm -rf gone; mkdir -p made/x && echo m > made/x/m.txt"), how)

    assert sorted(changes) == [
        "gone/c.txt", "gone/mine.txt", "made/x/m.txt", "old/a.txt", "old/deep/b.txt", "renamed/a.txt", "renamed/deep/b.txt",
    ]
    assert changes["gone/mine.txt"].before == b"mine\n" and changes["gone/mine.txt"].after is None


def test_a_file_made_in_a_folder_that_was_empty_is_seen(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"a.txt": b"a\n"})
    (root / "empty" / "deeper").mkdir(parents=True)
    detector = ChangeDetector(root)

    changes = _run(detector, _sh(root, "echo x > empty/deeper/new.txt"), how)

    assert list(changes) == ["empty/deeper/new.txt"]


def test_the_earlier_index_decides_when_the_command_moves_it(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"a.txt": b"old\n", "b.txt": b"b\n"})
    detector = ChangeDetector(root)

    changes = _run(detector, _sh(root, "echo new > a.txt && git add a.txt && git rm -q --cached b.txt"), how)

    assert (changes["a.txt"].before, changes["a.txt"].after) == (b"old\n", b"new\n")
    assert "b.txt" not in changes  # unstaged, but unchanged on disk


def test_a_folder_no_longer_ignored_is_watched_again(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({".gitignore": b"build/\n", "a.txt": b"a\n"})
    write(root, {"build/out.o": b"o\n"})
    detector = ChangeDetector(root)
    assert _run(detector, _sh(root, "echo p > build/out.o"), how) == {}  # ignored: not the review's

    (root / ".gitignore").write_bytes(b"")
    changes = _run(detector, _sh(root, "echo q > build/out.o"), how)

    assert (changes["build/out.o"].before, changes["build/out.o"].after) == (b"p\n", b"q\n")


def test_a_nested_repository_is_not_entered(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"a.txt": b"a\n"})
    nested = root / "vendor" / "lib"
    nested.mkdir(parents=True)
    git(nested, "init", "-q")
    detector = ChangeDetector(root)

    changes = _run(detector, _sh(root, "echo x > vendor/lib/inner.txt; echo y > a.txt"), how)

    assert list(changes) == ["a.txt"]


def test_a_large_untracked_file_changed_is_named_unrestorable(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"a.txt": b"a\n"})
    (root / "big.bin").write_bytes(b"a" * 100)
    detector = ChangeDetector(root, keep_limit=10)
    watch = detector.watch()
    (root / "big.bin").write_bytes(b"b" * 100)

    before, after = watch.finish()

    assert tree.changes_between(before, after, root) == []
    assert tree.unrestorable(before, after) == ["big.bin"]


def test_an_overflowing_watch_falls_back_on_git_status(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": b"a\n"})
    watch = ChangeDetector(root).watch()
    assert watch.watching
    (root / "a.txt").write_bytes(b"changed\n")
    watch._watch.overflowed = True  # type: ignore[union-attr]  # as the kernel reports a full queue

    before, after = watch.finish()

    (change,) = tree.changes_between(before, after, root)
    assert (change.path, change.before, change.after) == ("a.txt", b"a\n", b"changed\n")


def test_works_in_a_repository_without_commits(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"a.txt": b"1\n"}, commit=False)
    shutil.rmtree(root / "sub", ignore_errors=True)

    changes = _run(ChangeDetector(root), _sh(root, "echo 2 > a.txt; echo b > b.txt"), how)

    assert (changes["a.txt"].before, changes["a.txt"].after) == (b"1\n", b"2\n")
    assert (changes["b.txt"].before, changes["b.txt"].after) == (None, b"b\n")


def test_a_new_ignored_folder_is_not_the_reviews(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({".gitignore": b"node_modules/\n", "a.txt": b"a\n"})

    changes = _run(ChangeDetector(root), _sh(root, "mkdir -p node_modules/x && echo m > node_modules/x/m.js && echo b > a.txt"), how)

    assert list(changes) == ["a.txt"]


def test_one_watch_follows_folders_made_and_moved_between_commands(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"src/a.txt": b"a\n"})
    detector = ChangeDetector(root)
    assert list(_run(detector, _sh(root, "mkdir -p made/inner && echo 1 > made/inner/one.txt"), how)) == ["made/inner/one.txt"]

    (root / "by_person").mkdir()  # between commands
    (root / "src").rename(root / "lib")
    changes = _run(detector, _sh(root, "echo 2 > made/inner/two.txt; echo p > by_person/p.txt; echo b > lib/a.txt"), how)

    assert sorted(changes) == ["by_person/p.txt", "lib/a.txt", "made/inner/two.txt"]
    assert changes["lib/a.txt"].before == b"a\n"  # the person's move is theirs: untracked before
    detector.close()


def test_a_file_the_person_deleted_and_the_command_made_again_is_new(make_repo: Callable[..., Path], how: str) -> None:
    root = make_repo({"a.txt": b"a\n", "b.txt": b"b\n"})
    (root / "a.txt").unlink()
    (root / "b.txt").unlink()

    changes = _run(ChangeDetector(root), _sh(root, "echo again > a.txt"), how)

    assert list(changes) == ["a.txt"]
    assert (changes["a.txt"].before, changes["a.txt"].after) == (None, b"again\n")
