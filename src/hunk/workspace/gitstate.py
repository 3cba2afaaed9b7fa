"""Git state belongs to hunk: what a command may not move, and putting it back when it did.

A command the model runs sees a scratch copy of the person's index (`GIT_INDEX_FILE`), so
`git add`, `git mv` and `git status` work for it and never touch the person's index. Before
the command, `capture` records HEAD, every ref, the stash list and the files that make git run
things (the repository config, the hooks, info/attributes and info/exclude); after it,
`put_back` restores whatever moved and says what it was. The file bytes go back first, before
hunk runs git again, so a planted `core.fsmonitor` or hook never runs. Nothing is lost by
moving a ref back: the reflog keeps what the command made.

Where hunk keeps its own files in a repository — one place, `<git dir>/hunk/` (`hunk_dir`):
  scratch/index      the index commands see; git writes `scratch/index.lock` beside it
  hunk-index-*       the temporary indexes of hunk's own commits (`commits.py`)
  keep/              content-addressed copies of the person's files (`keep.py`)
  scratch/objects    where a sandboxed command's git writes objects (`sandboxed_objects`)
A sandbox that mounts `.git` read-only leaves `scratch_dir` writable for commands and nothing
else of `hunk/` (the keep must stay out of a command's reach), nor of `.git`: the objects of the
person's history stay read-only, and a sandboxed `git add` writes its blobs into
`scratch/objects`, reading the repository's objects as an alternate.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hunk.workspace.git import GitRepo, head_blob_ids, ls_index, run_git

SCRATCH_INDEX = "index"
# Files under the common git dir (or the worktree's own git dir for config.worktree) whose
# change makes git run something or see the tree differently.
_WATCHED = ("config", "config.worktree", "info/attributes", "info/exclude")


def hunk_dir(repo: GitRepo) -> Path:
    """`<git dir>/hunk/`, made private (0700) on first use."""
    folder = repo.git_dir / "hunk"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def scratch_dir(repo: GitRepo) -> Path:
    """The one folder of hunk's that commands write to (the sandbox leaves it writable)."""
    folder = hunk_dir(repo) / "scratch"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def sandboxed_objects(repo: GitRepo, env: dict[str, str]) -> dict[str, str]:
    """The variables that send a sandboxed command's new git objects to an emptied
    `scratch/objects`, with the repository's own objects readable behind it as an alternate.
    Only for a sandboxed command: there no ref can move to point at them. A command outside the
    sandbox writes to the real object store, so what its reflog names stays whole."""
    folder = scratch_dir(repo) / "objects"
    shutil.rmtree(folder, ignore_errors=True)  # the scratch index they served is made anew too
    folder.mkdir(mode=0o700)
    real = env.get("GIT_OBJECT_DIRECTORY") or str(repo.common_dir / "objects")
    alternates = [real, *filter(None, env.get("GIT_ALTERNATE_OBJECT_DIRECTORIES", "").split(os.pathsep))]
    return {"GIT_OBJECT_DIRECTORY": str(folder), "GIT_ALTERNATE_OBJECT_DIRECTORIES": os.pathsep.join(alternates)}


def scratch_index(repo: GitRepo) -> Path:
    """A fresh copy of the person's index for the next command; its path for GIT_INDEX_FILE."""
    target = scratch_dir(repo) / SCRATCH_INDEX
    Path(f"{target}.lock").unlink(missing_ok=True)
    source = repo.git_dir / "index"
    if source.exists():
        temporary = target.with_name(SCRATCH_INDEX + ".tmp")
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    else:
        target.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class GitState:
    head: str  # "ref: refs/heads/main", or a commit id when detached
    refs: dict[str, str]  # refname → object id, every ref but refs/stash
    stash: tuple[tuple[str, str], ...]  # (commit id, message), newest first
    files: dict[str, bytes | None] = field(default_factory=dict)  # watched files by name
    hooks: dict[str, tuple[bytes, int]] = field(default_factory=dict)  # hook name → (bytes, mode)
    index: bytes | None = None  # the person's index file


def _hooks_dir(repo: GitRepo) -> Path:
    return repo.common_dir / "hooks"


def _watched_path(repo: GitRepo, name: str) -> Path:
    return (repo.git_dir if name == "config.worktree" else repo.common_dir) / name


def _read_files(repo: GitRepo) -> tuple[dict[str, bytes | None], dict[str, tuple[bytes, int]]]:
    files: dict[str, bytes | None] = {}
    for name in _WATCHED:
        try:
            files[name] = _watched_path(repo, name).read_bytes()
        except FileNotFoundError:
            files[name] = None
    hooks: dict[str, tuple[bytes, int]] = {}
    folder = _hooks_dir(repo)
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.is_file() and not entry.is_symlink():
                hooks[entry.name] = (entry.read_bytes(), entry.stat().st_mode & 0o7777)
    return files, hooks


def _read_refs(repo: GitRepo) -> tuple[str, dict[str, str], tuple[tuple[str, str], ...]]:
    head_file = repo.git_dir / "HEAD"
    head = head_file.read_text(encoding="utf-8", errors="surrogateescape").strip()
    out = run_git(repo.root, "for-each-ref", "--format=%(objectname) %(refname)")
    refs = {}
    for line in out.decode("utf-8", "surrogateescape").splitlines():
        sha, _, name = line.partition(" ")
        if name != "refs/stash":
            refs[name] = sha
    stash: tuple[tuple[str, str], ...] = ()
    if (repo.common_dir / "logs" / "refs" / "stash").exists() or "refs/stash" in out.decode(errors="replace"):
        log = run_git(repo.root, "log", "-g", "--format=%H%x00%gs", "refs/stash", "--", check=False)
        stash = tuple(
            tuple(line.split("\0", 1))  # type: ignore[misc]
            for line in log.decode("utf-8", "surrogateescape").splitlines()
            if "\0" in line
        )
    return head, refs, stash


def capture(repo: GitRepo) -> GitState:
    """The git state a command must leave as it found it."""
    files, hooks = _read_files(repo)
    head, refs, stash = _read_refs(repo)
    return GitState(head, refs, stash, files, hooks, _read_index(repo))


def _read_index(repo: GitRepo) -> bytes | None:
    try:
        return (repo.git_dir / "index").read_bytes()
    except FileNotFoundError:
        return None


def put_back_index(repo: GitRepo, before: GitState) -> bool:
    """The person's index as it was (a command that bypassed the scratch index); True if it moved."""
    if before.index is None or _read_index(repo) == before.index:
        return False
    _write(repo.git_dir / "index", before.index)
    return True


def _write(path: Path, content: bytes | None, mode: int | None = None) -> None:
    if content is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.hunk-tmp")
    temporary.write_bytes(content)
    if mode is not None:
        os.chmod(temporary, mode)
    os.replace(temporary, path)


def _put_back_files(repo: GitRepo, before: GitState) -> list[str]:
    files, hooks = _read_files(repo)
    moved = []
    for name, content in before.files.items():
        if files.get(name) != content:
            _write(_watched_path(repo, name), content)
            moved.append("git config" if name.startswith("config") else f".git/{name}")
    folder = _hooks_dir(repo)
    for name in sorted(set(hooks) | set(before.hooks)):
        if hooks.get(name) != before.hooks.get(name):
            kept = before.hooks.get(name)
            _write(folder / name, kept[0] if kept else None, kept[1] if kept else None)
            moved.append(f"hook {name}")
    return list(dict.fromkeys(moved))


def _put_back_refs(repo: GitRepo, before: GitState) -> list[str]:
    head, refs, stash = _read_refs(repo)
    moved = []
    note = "hunk: put back what a command moved"
    for name in sorted(set(refs) | set(before.refs)):
        old, new = before.refs.get(name), refs.get(name)
        if old == new:
            continue
        if old is None:
            run_git(repo.root, "update-ref", "-m", note, "-d", name)
        else:
            run_git(repo.root, "update-ref", "-m", note, name, old)
        moved.append(name.removeprefix("refs/heads/").removeprefix("refs/"))
    if head != before.head:
        if before.head.startswith("ref: "):
            run_git(repo.root, "symbolic-ref", "-m", note, "HEAD", before.head[5:])
        else:
            run_git(repo.root, "update-ref", "--no-deref", "-m", note, "HEAD", before.head)
        moved.append("HEAD")
    if stash != before.stash:
        run_git(repo.root, "update-ref", "-d", "refs/stash", check=False)
        for sha, text in reversed(before.stash):
            run_git(repo.root, "stash", "store", "-q", "-m", text, sha)
        moved.append("stash")
    return moved


def put_back(repo: GitRepo, before: GitState) -> list[str]:
    """Restore what moved since `before`: files first (no git runs before they are back), then
    refs, HEAD and the stash. Returns what was put back, in words ("HEAD", "main", "stash",
    "git config", "hook pre-commit"); empty when nothing moved."""
    moved = _put_back_files(repo, before)
    moved += _put_back_refs(repo, before)
    return moved


def state_to_dict(state: GitState) -> dict[str, object]:
    """For the journal: what recovery needs to put the state back (file bytes are kept apart)."""
    return {"head": state.head, "refs": state.refs, "stash": [list(s) for s in state.stash]}


def versions_in_git(root: Path, paths: list[str]) -> dict[str, set[str]]:
    """The blob ids git holds for each path: HEAD's, the person's index's and the scratch
    index's (what a `git checkout`, `reset` or `stash` run by a command writes back)."""
    found: dict[str, set[str]] = {path: set() for path in paths}
    if not paths:
        return found
    for path, sha in head_blob_ids(root, paths).items():
        found[path].add(sha)
    out = run_git(root, "rev-parse", "--path-format=absolute", "--git-path", f"hunk/scratch/{SCRATCH_INDEX}")
    scratch = Path(os.fsdecode(out.rstrip(b"\n")))
    envs: list[dict[str, str] | None] = [None]
    if scratch.exists():
        envs.append({"GIT_INDEX_FILE": str(scratch)})
    for env in envs:
        for path, (_, sha) in ls_index(root, paths, env).items():
            found.setdefault(path, set()).add(sha)
    return found
