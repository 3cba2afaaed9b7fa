"""`/diff` reads git's own output of the session's commits back into FileDiffs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.workspace.commits import show_commits
from hunk.workspace.diff_parse import DiffParseError, parse_git_diff
from tests.gitrepo import git, make_repo


def test_diff_text_of_several_files_parses_back_into_hunks() -> None:
    text = (
        "diff --git a/x.py b/x.py\nindex 1..2 100644\n--- a/x.py\n+++ b/x.py\n"
        "@@ -1,3 +1,3 @@ def f\n a\n--- b\n+++ B\n c\n"
        "@@ -10 +10 @@\n-x\n+y\n\\ No newline at end of file\n"
        "diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n"
        "diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n"
    )
    files = parse_git_diff(text)
    assert [(f.path, f.status, f.binary) for f in files] == [
        ("x.py", "modified", False),
        ("new.txt", "added", False),
        ("logo.png", "modified", True),
    ]
    assert [h.lines for h in files[0].hunks] == [(" a", "--- b", "+++ B", " c"), ("-x", "+y", "\\ No newline at end of file")]
    assert [h.header for h in files[0].hunks] == ["@@ -1,3 +1,3 @@ def f", "@@ -10,1 +10,1 @@"]
    assert (files[0].hunks[1].source_start, files[0].hunks[1].target_length) == (9, 1)
    assert files[1].hunks[0].lines == ("+hi",)


def test_the_commits_of_a_session_read_back_as_git_showed_them(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "one\ntwo\nthree\n", "gone.txt": "bye\n"})
    (root / "a.txt").write_text("one\n2\nthree\n")
    (root / "new.txt").write_bytes(b"no newline")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    first = git(root, "rev-parse", "HEAD").strip()
    (root / "gone.txt").unlink()
    (root / "crlf.txt").write_bytes(b"a\r\nb\r\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "second")
    second = git(root, "rev-parse", "HEAD").strip()

    files = parse_git_diff(show_commits(root, [first, second]))

    assert [(f.path, f.status) for f in files] == [
        ("a.txt", "modified"), ("new.txt", "added"), ("crlf.txt", "added"), ("gone.txt", "deleted"),
    ]
    assert files[0].hunks[0].lines == (" one", "-two", "+2", " three")
    assert files[1].hunks[0].lines == ("+no newline", "\\ No newline at end of file")
    assert files[2].hunks[0].lines == ("+a\r", "+b\r")  # the carriage returns are the file's
    assert files[3].hunks[0].lines == ("-bye",)


def test_text_that_is_not_a_diff_says_so() -> None:
    with pytest.raises(DiffParseError):
        parse_git_diff("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-only one line\n")
