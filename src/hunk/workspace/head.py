"""The work tree's top folder and the branch it is on, read from the files without starting git:
`hunk` needs both before its first paint, and a git process (with git.py's imports) costs more
than a few stat calls. Anything unusual (GIT_DIR and friends set, a bare repository, a gitdir
that is not there, another owner, a mount point, core.worktree, a HEAD that is neither a branch
nor a commit) is a LookupError: ask git then (`hunk.workspace.git`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

_BRANCH = "ref: refs/heads/"
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_COMMON_DIR")
_CONFIG_AWAY = re.compile(r"^\s*(worktree|include|bare\s*=\s*(true|yes|on|1)\b)", re.IGNORECASE | re.MULTILINE)
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def work_tree_top(cwd: Path) -> Path:
    """The top folder of the work tree holding `cwd`, as `git rev-parse --show-toplevel` finds
    it, for the plain layouts: a `.git` folder, or a `.git` file pointing at one."""
    if any(name in os.environ for name in _GIT_ENV):
        raise LookupError("git's discovery is steered by the environment")
    try:
        here = Path(os.path.realpath(cwd))
        if ".git" in here.parts:
            raise LookupError("inside a .git folder")
        device = os.stat(here).st_dev
        for folder in (here, *here.parents):
            if os.stat(folder).st_dev != device:
                raise LookupError("discovery would cross a mount point")
            if os.path.lexists(folder / ".git"):
                _check_plain(folder, _git_dir(folder))
                return folder
            if (folder / "HEAD").is_file() and (folder / "objects").is_dir():
                raise LookupError("a bare repository")
    except (OSError, UnicodeDecodeError) as error:
        raise LookupError(str(error)) from None
    raise LookupError("no .git above")


def head_branch(root: Path) -> str | None:
    """The branch HEAD names (also an unborn one), or None when HEAD is detached."""
    if "GIT_DIR" in os.environ:
        raise LookupError("GIT_DIR is set")
    try:
        head = (_git_dir(root) / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise LookupError(str(error)) from None
    if head.startswith(_BRANCH):
        return head.removeprefix(_BRANCH)
    if _COMMIT.fullmatch(head):
        return None
    raise LookupError(f"HEAD is {head!r}")


def _git_dir(top: Path) -> Path:
    """`top/.git`, or where it points: a linked worktree's or a submodule's `gitdir: PATH`."""
    dot_git = top / ".git"
    if dot_git.is_dir():
        return dot_git
    if not dot_git.is_file():
        raise LookupError(f"{dot_git}: neither a folder nor a file")
    pointer = dot_git.read_text(encoding="utf-8").strip()
    if not pointer.startswith("gitdir:"):
        raise LookupError(f"{dot_git}: not a gitdir pointer")
    return top / pointer.removeprefix("gitdir:").strip()  # an absolute PATH stays absolute


def _check_plain(top: Path, git_dir: Path) -> None:
    """LookupError unless git would take `top` as the work tree of `git_dir` without a question:
    the gitdir is a repository, both are ours, and no config names another work tree."""
    if not (git_dir / "HEAD").is_file():
        raise LookupError(f"{git_dir}: no HEAD")
    if os.stat(top).st_uid != os.geteuid() or os.stat(git_dir).st_uid != os.geteuid():
        raise LookupError("owned by someone else (safe.directory)")
    folders = [git_dir]
    if (git_dir / "commondir").is_file():  # a linked worktree shares its main repository's config
        folders.append(git_dir / (git_dir / "commondir").read_text(encoding="utf-8").strip())
    for folder in folders:
        config = folder / "config"
        if config.is_file() and _CONFIG_AWAY.search(config.read_text(encoding="utf-8", errors="replace")):
            raise LookupError(f"{config}: core.worktree, core.bare or an include")
