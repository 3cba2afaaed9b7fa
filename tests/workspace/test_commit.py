"""Commits of the agent's accepted changes only, with real git: the user's work stays put."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hunk.workspace.changeset import FileChange
from hunk.workspace.commits import commit_accepted
from hunk.workspace.errors import HookFailed
from hunk.workspace.git import open_repo
from tests.workspace.conftest import blob_at, git, staged, write

BASE = b"".join(b"line %d\n" % i for i in range(1, 21))


def edit(content: bytes, old: bytes, new: bytes) -> bytes:
    assert old in content
    return content.replace(old, new, 1)


def agent_edit(root: Path, path: str, old: bytes, new: bytes) -> FileChange:
    before = (root / path).read_bytes()
    after = edit(before, old, new)
    (root / path).write_bytes(after)
    return FileChange(path, before, after, 0o100644, 0o100644, "edit_file")


def test_user_unstaged_edit_in_the_same_file_stays_out_of_the_commit(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    write(root, {"a.txt": edit(BASE, b"line 2\n", b"user two\n")})
    change = agent_edit(root, "a.txt", b"line 19\n", b"agent nineteen\n")
    result = commit_accepted(open_repo(root), [change], "Agent edit")
    assert result.files == ("a.txt",) and result.unseparable == ()
    assert blob_at(root, "HEAD", "a.txt") == edit(BASE, b"line 19\n", b"agent nineteen\n")
    assert (root / "a.txt").read_bytes() == change.after  # the working tree is not touched
    assert staged(root, "a.txt") == blob_at(root, "HEAD", "a.txt")
    assert (
        git(root, "diff", "HEAD").count("\n-line 2\n") == 1
    )  # the user's edit is still uncommitted


def test_user_staged_edit_stays_staged_on_top_of_the_new_head(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE})
    write(root, {"a.txt": edit(BASE, b"line 2\n", b"user two\n")})
    git(root, "add", "a.txt")
    change = agent_edit(root, "a.txt", b"line 19\n", b"agent nineteen\n")
    commit_accepted(open_repo(root), [change], "Agent edit")
    assert blob_at(root, "HEAD", "a.txt") == edit(BASE, b"line 19\n", b"agent nineteen\n")
    assert staged(root, "a.txt") == change.after
    assert git(root, "diff", "--cached", "--stat").strip().startswith("a.txt | 2 +-")


def test_overlapping_edit_is_unseparable_and_left_uncommitted(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"a.txt": BASE, "b.txt": b"b\n"})
    head = git(root, "rev-parse", "HEAD").strip()
    write(root, {"a.txt": edit(BASE, b"line 5\n", b"user five\n")})
    tangled = agent_edit(root, "a.txt", b"user five\n", b"agent five\n")
    clean = agent_edit(root, "b.txt", b"b\n", b"B\n")
    result = commit_accepted(open_repo(root), [tangled, clean], "Agent edits")
    assert result.unseparable == ("a.txt",) and result.files == ("b.txt",)
    assert blob_at(root, "HEAD", "a.txt") == BASE
    assert git(root, "rev-parse", "HEAD~1").strip() == head
    assert staged(root, "a.txt") == BASE


def test_nothing_separable_makes_no_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    head = git(root, "rev-parse", "HEAD").strip()
    write(root, {"a.txt": edit(BASE, b"line 5\n", b"user five\n")})
    tangled = agent_edit(root, "a.txt", b"user five\n", b"agent five\n")
    result = commit_accepted(open_repo(root), [tangled], "Agent edit")
    assert (result.sha, result.unseparable) == (None, ("a.txt",))
    assert git(root, "rev-parse", "HEAD").strip() == head


def test_untracked_files_are_untouched_and_ignored_new_files_are_skipped(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({".gitignore": b"build/\n"})
    write(
        root,
        {
            "notes.txt": b"user scratch\n",
            "build/out.txt": b"agent build\n",
            "src/new.py": b"x = 1\n",
        },
    )
    changes = [
        FileChange("build/out.txt", None, b"agent build\n", None, 0o100644),
        FileChange("src/new.py", None, b"x = 1\n", None, 0o100644),
    ]
    result = commit_accepted(open_repo(root), changes, "Add new.py")
    assert result.files == ("src/new.py",) and result.ignored == ("build/out.txt",)
    assert git(root, "status", "--porcelain").splitlines() == ["?? notes.txt"]
    assert (root / "notes.txt").read_bytes() == b"user scratch\n"


def test_delete_mode_change_binary_and_symlink_are_committed(
    make_repo: Callable[..., Path],
) -> None:
    root = make_repo({"old.txt": b"bye\n", "run.sh": b"echo\n", "img.bin": b"\0\1"})
    (root / "old.txt").unlink()
    (root / "run.sh").chmod(0o755)
    (root / "img.bin").write_bytes(b"\0\2")
    (root / "link").symlink_to("run.sh")
    changes = [
        FileChange("old.txt", b"bye\n", None, 0o100644, None),
        FileChange("run.sh", b"echo\n", b"echo\n", 0o100644, 0o100755),
        FileChange("img.bin", b"\0\1", b"\0\2", 0o100644, 0o100644),
        FileChange("link", None, b"run.sh", None, 0o120000),
    ]
    commit_accepted(open_repo(root), changes, "Various")
    listing = git(root, "ls-tree", "HEAD")
    assert "old.txt" not in listing
    assert "100755 blob" in next(line for line in listing.splitlines() if line.endswith("run.sh"))
    assert "120000 blob" in next(line for line in listing.splitlines() if line.endswith("link"))
    assert blob_at(root, "HEAD", "img.bin") == b"\0\2"
    assert git(root, "status", "--porcelain") == ""


def test_message_keeps_lines_starting_with_a_hash(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    change = agent_edit(root, "a.txt", b"line 1\n", b"one\n")
    commit_accepted(open_repo(root), [change], "Fix #12 parsing\n\n# a heading\n- a.txt\n")
    assert (
        git(root, "log", "-1", "--format=%B").strip() == "Fix #12 parsing\n\n# a heading\n- a.txt"
    )


def hook(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)


@pytest.mark.parametrize("name", ["pre-commit", "commit-msg"])
def test_failing_hook_commits_nothing_and_loses_nothing(
    make_repo: Callable[..., Path], name: str
) -> None:
    root = make_repo({"a.txt": BASE})
    hook(
        root / ".githooks",
        name,
        "echo 'lint: 2 problems'\necho 'a.txt: trailing space' >&2\nexit 1\n",
    )
    git(root, "config", "core.hooksPath", ".githooks")
    head = git(root, "rev-parse", "HEAD").strip()
    write(root, {"a.txt": edit(BASE, b"line 2\n", b"user two\n")})
    git(root, "add", "a.txt")
    change = agent_edit(root, "a.txt", b"line 19\n", b"agent nineteen\n")
    with pytest.raises(HookFailed) as caught:
        commit_accepted(open_repo(root), [change], "Agent edit")
    assert "lint: 2 problems" in caught.value.output
    assert "a.txt: trailing space" in caught.value.output
    assert "\n" not in str(caught.value)
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert staged(root, "a.txt") == edit(BASE, b"line 2\n", b"user two\n")
    assert (root / "a.txt").read_bytes() == change.after
    assert not list((root / ".git").glob("hunk-index-*"))


def test_pre_commit_hook_sees_exactly_the_agent_commit(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    hook(
        root / ".git" / "hooks",
        "pre-commit",
        'git diff --cached --name-only > "$(git rev-parse --git-dir)/seen"\n',
    )
    write(root, {"user.txt": b"u\n"})
    git(root, "add", "user.txt")
    change = agent_edit(root, "a.txt", b"line 1\n", b"one\n")
    commit_accepted(open_repo(root), [change], "Agent edit")
    assert (root / ".git" / "seen").read_text() == "a.txt\n"
    assert staged(root, "user.txt") == b"u\n" and blob_at(root, "HEAD", "user.txt") is None


def test_hooks_can_be_skipped(make_repo: Callable[..., Path]) -> None:
    root = make_repo({"a.txt": BASE})
    hook(root / ".git" / "hooks", "pre-commit", "exit 1\n")
    change = agent_edit(root, "a.txt", b"line 1\n", b"one\n")
    assert commit_accepted(open_repo(root), [change], "Agent edit", run_hooks=False).sha


def test_signing_config_is_honoured(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    root = make_repo({"a.txt": BASE})
    fake_gpg = tmp_path / "fake-gpg"
    fake_gpg.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        "echo '[GNUPG:] SIG_CREATED D 1 8 00 1700000000 FAKE' >&2\n"
        "printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n'\n"
    )
    fake_gpg.chmod(0o755)
    git(root, "config", "commit.gpgSign", "true")
    git(root, "config", "gpg.program", str(fake_gpg))
    git(root, "config", "user.signingKey", "FAKE")
    change = agent_edit(root, "a.txt", b"line 1\n", b"one\n")
    result = commit_accepted(open_repo(root), [change], "Signed edit")
    assert "-----BEGIN PGP SIGNATURE-----" in git(root, "cat-file", "commit", result.sha or "")
