"""Path confinement: every escape attempt is refused, ordinary paths come back normalised."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hunk.workspace.paths import PathRefused, resolve_in_repo

from .conftest import write


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("secret")
    return folder


def _links(repo: Path, outside: Path) -> None:
    os.symlink(outside, repo / "to_outside_dir")
    os.symlink("../outside/secret.txt", repo / "to_outside_file")
    os.symlink("../outside/not_there_yet", repo / "dangling_out")
    os.symlink("/tmp", repo / "to_tmp")
    os.symlink(".git", repo / "to_git")
    (repo / "sub").mkdir()
    os.symlink("../../outside", repo / "sub" / "up_two")


ESCAPES = [
    "/etc/passwd",
    "../outside/secret.txt",
    "foo/../../x",
    "sub/../../outside/secret.txt",
    "to_outside_dir/secret.txt",
    "to_outside_file",
    "dangling_out",
    "to_tmp/anything",
    "sub/up_two/secret.txt",
    ".git/config",
    ".GIT/config",
    ".Git/HEAD",
    "./.git/hooks/pre-commit",
    "sub/../.git/HEAD",
    "a/../.git/x",
    ".git",
    "vendor/lib/.git/config",
    ".git./config",
    "to_git/config",
    "evil\x00.txt",
    "~/.ssh/id_rsa",
    "~root/.bashrc",
    "",
    "   ",
    "..",
    "./../outside",
]


@pytest.mark.parametrize("attempt", ESCAPES)
def test_escape_attempt_is_refused_with_a_message(repo: Path, outside: Path, attempt: str) -> None:
    _links(repo, outside)
    with pytest.raises(PathRefused) as refused:
        resolve_in_repo(repo, attempt)
    assert refused.value.message
    assert "\x00" not in refused.value.message


def test_absolute_path_outside_names_the_repository_rule(repo: Path) -> None:
    with pytest.raises(PathRefused, match="outside the repository"):
        resolve_in_repo(repo, "/etc/passwd")


def test_git_path_message_points_to_run_command(repo: Path) -> None:
    with pytest.raises(PathRefused, match="run_command"):
        resolve_in_repo(repo, "sub/../.git/HEAD")


@pytest.mark.parametrize(
    ("given", "relative"),
    [
        ("src/app.py", "src/app.py"),
        ("./src/app.py", "src/app.py"),
        ("src//app.py", "src/app.py"),
        ("src/../src/app.py", "src/app.py"),
        ("new/dir/file.txt", "new/dir/file.txt"),
        (".", "."),
        (".gitignore", ".gitignore"),
        (".github/workflows/ci.yml", ".github/workflows/ci.yml"),
        ("docs/.gitkeep", "docs/.gitkeep"),
    ],
)
def test_path_inside_is_normalised(repo: Path, given: str, relative: str) -> None:
    got_relative, absolute = resolve_in_repo(repo, given)
    assert got_relative == relative
    assert absolute == (repo if relative == "." else repo / relative)
    assert ".." not in absolute.parts


def test_absolute_path_inside_the_repository_becomes_relative(repo: Path) -> None:
    write(repo, "src/app.py", "x = 1\n")
    assert resolve_in_repo(repo, str(repo / "src" / "app.py")) == ("src/app.py", repo / "src/app.py")


def test_symlink_inside_the_repository_is_allowed(repo: Path) -> None:
    write(repo, "real/file.txt", "hi\n")
    os.symlink("real", repo / "alias")
    assert resolve_in_repo(repo, "alias/file.txt")[0] == "alias/file.txt"


def test_dotdot_is_folded_before_following_links(repo: Path, outside: Path) -> None:
    os.symlink(outside, repo / "link")
    write(repo, "target.txt", "t\n")
    # The OS would read outside/../target.txt; hunk folds `link/..` first and stays inside.
    relative, absolute = resolve_in_repo(repo, "link/../target.txt")
    assert (relative, absolute) == ("target.txt", repo / "target.txt")


def test_root_given_through_a_symlink_still_confines(tmp_path: Path, repo: Path, outside: Path) -> None:
    alias = tmp_path / "alias_of_repo"
    os.symlink(repo, alias)
    assert resolve_in_repo(alias, "a.txt") == ("a.txt", repo / "a.txt")
    with pytest.raises(PathRefused):
        resolve_in_repo(alias, "../outside/secret.txt")


def test_absolute_path_through_the_roots_symlink_is_inside(tmp_path: Path, repo: Path) -> None:
    # The model echoes paths as `pwd` printed them: through the symlink the session started in.
    alias = tmp_path / "alias_of_repo"
    os.symlink(repo, alias)
    for given in (alias / "src" / "a.py", repo / "src" / "a.py"):
        assert resolve_in_repo(alias, str(given)) == ("src/a.py", repo / "src" / "a.py")
    with pytest.raises(PathRefused, match="outside the repository"):
        resolve_in_repo(alias, str(tmp_path / "alias_of_repo_not" / "a.py"))


@pytest.mark.parametrize(
    ("attempt", "shown"),
    [
        ("/etc/passwd", '"/etc/passwd"'),
        ("evil\x00.txt", '"evil\\0.txt"'),
        ("../outside/secret.txt", '"../outside/secret.txt"'),
        ("~/.ssh/id_rsa", '"~/.ssh/id_rsa"'),
        ("vendor/.git/config", '"vendor/.git/config"'),
    ],
)
def test_a_refusal_names_the_path_as_given(repo: Path, attempt: str, shown: str) -> None:
    with pytest.raises(PathRefused) as refused:
        resolve_in_repo(repo, attempt)
    assert shown in refused.value.message


@pytest.mark.parametrize("name", [".github", ".gitignore", ".gitX", "X.git", ".gi", "git"])
def test_names_that_only_resemble_git_are_ordinary(repo: Path, name: str) -> None:
    assert resolve_in_repo(repo, f"{name}/x")[0] == f"{name}/x"
