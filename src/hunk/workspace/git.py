"""The repository and the git operations the workspace builds on; the only module that starts
git (`run_git`, `start_git`, `commit_index`). GitPython (imported lazily) finds the repository,
writes blobs and makes the commit; plumbing runs as `git` with bytes in and out. Everything here
blocks: call it through `asyncio.to_thread`. A detached HEAD and an unborn branch are allowed; a
merge, rebase, cherry-pick, revert or bisect in progress, or an index.lock, refuse a commit."""

from __future__ import annotations

import asyncio
import os
import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from hunk.settings.prompts import message
from hunk.workspace.errors import GitCommandFailed, GitStateError
from hunk.workspace.filetypes import REGULAR
from hunk.workspace.tempdirs import temp_dir

Entry = tuple[bytes | None, int | None]  # content and git mode; (None, None) when absent
GITLINK = 0o160000

# Files in the git dir that mean an operation is under way, with the command that ends it.
_OPERATIONS = (
    ("MERGE_HEAD", "merge", "merge"),
    ("rebase-merge", "rebase", "rebase"),
    ("rebase-apply", "rebase", "rebase"),
    ("CHERRY_PICK_HEAD", "cherry-pick", "cherry-pick"),
    ("REVERT_HEAD", "revert", "revert"),
    ("BISECT_LOG", "bisect", "bisect"),
)


@dataclass(frozen=True)
class GitRepo:
    root: Path  # the top of the working tree
    git_dir: Path  # this worktree's git dir (HEAD, index, MERGE_HEAD live here)
    common_dir: Path  # objects and refs (differs from git_dir in a linked worktree)


@dataclass(frozen=True)
class RepoState:
    head: str | None  # None on an unborn branch
    branch: str | None  # None when detached
    operation: str | None  # "merge", "rebase", ... when one is in progress
    index_locked: bool

    @property
    def unborn(self) -> bool:
        return self.head is None

    @property
    def detached(self) -> bool:
        return self.branch is None


def run_git(
    root: Path,
    *args: str,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> bytes:
    """Run git in `root`; stdout as bytes. A failure raises GitStateError with git's own line."""
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, input=input, env=full_env, capture_output=True, check=False
        )
    except FileNotFoundError as error:
        raise GitStateError(message("workspace.git_missing")) from error
    if check and done.returncode != 0:
        raise _failed(args[0], done.returncode, done.stderr.decode("utf-8", "replace"), done.stdout.decode("utf-8", "replace"))
    return done.stdout


def _failed(command: str, status: int, stderr: str, stdout: str) -> GitCommandFailed:
    lines = stderr.strip().splitlines()
    reason = lines[-1] if lines else f"exit status {status}"
    return GitCommandFailed(message("workspace.git_failed", command=command, reason=reason), (stderr + stdout).strip())


async def start_git(root: Path, *args: str) -> asyncio.subprocess.Process:
    """Start git in `root` without waiting: stdout and stderr piped, no stdin (for streaming
    readers such as `git grep`). Raises OSError when git cannot be started."""
    return await asyncio.create_subprocess_exec(
        "git",
        *args,
        cwd=root,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def git_output(root: Path, *args: str) -> bytes:
    """Run git in `root` off the event loop's thread; stdout as bytes. A failure raises
    GitCommandFailed carrying git's own words."""
    process = await start_git(root, *args)
    out, err = await process.communicate()
    if process.returncode != 0:
        said = err.decode("utf-8", "replace").strip()
        raise GitCommandFailed(said, said)
    return out


def listed_files(root: Path) -> list[str]:
    """Blocking: tracked plus untracked-not-ignored paths, as git lists them."""
    return sorted(set(_z(run_git(root, "ls-files", "-co", "--exclude-standard", "-z"))))


def commit_index(repo: GitRepo, text: str, *, index_file: Path, verify: bool) -> None:
    """`git commit` of `index_file` with message `text`, made through GitPython's command layer
    (`Repo.git`), so hooks, signing and core.hooksPath behave as for the person's own commits.
    A failure raises GitCommandFailed with git's (or the hook's) own words."""
    import git

    with temp_dir("hunk-msg-") as folder:
        message_file = Path(folder) / "COMMIT_MSG"
        message_file.write_text(text, encoding="utf-8")
        args = ["git", "commit", "-q", "--cleanup=whitespace", "-F", str(message_file)]
        if not verify:
            args.append("--no-verify")
        status, out, err = git.Repo(repo.root).git.execute(
            args,
            env={"GIT_INDEX_FILE": str(index_file), "GIT_TERMINAL_PROMPT": "0"},
            with_extended_output=True,
            with_exceptions=False,
            stdout_as_string=True,
        )
    if status != 0:
        raise _failed("commit", status, str(err), str(out))


def git_ok(root: Path, *args: str) -> bool:
    """Whether a git command succeeds (for yes/no questions like `merge-base --is-ancestor`)."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    return done.returncode == 0


def open_repo(path: Path | str) -> GitRepo:
    """The repository containing `path` (searching upwards)."""
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
        raise GitStateError(message("workspace.not_a_repo", path=path)) from error
    if repo.bare or repo.working_tree_dir is None:
        raise GitStateError(message("workspace.bare_repo", path=path))
    return GitRepo(Path(repo.working_tree_dir), Path(repo.git_dir), Path(repo.common_dir))


def head_sha(repo: GitRepo) -> str | None:
    out = run_git(repo.root, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
    return out.decode().strip() or None


def branch_name(repo: GitRepo | Path) -> str | None:
    """The current branch (also on an unborn branch), or None when HEAD is detached."""
    out = run_git(repo.root if isinstance(repo, GitRepo) else repo, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return out.decode("utf-8", "replace").strip() or None


def is_dirty(repo: GitRepo, *, untracked: bool = True) -> bool:
    args = ["status", "--porcelain", "-z"] + ([] if untracked else ["--untracked-files=no"])
    return bool(run_git(repo.root, *args, env={"GIT_OPTIONAL_LOCKS": "0"}))


def repo_state(repo: GitRepo) -> RepoState:
    operation = next(
        (name for marker, name, _ in _OPERATIONS if (repo.git_dir / marker).exists()), None
    )
    return RepoState(
        head_sha(repo), branch_name(repo), operation, (repo.git_dir / "index.lock").exists()
    )


def ensure_can_commit(repo: GitRepo) -> RepoState:
    """The state, or GitStateError when committing now would be wrong."""
    state = repo_state(repo)
    if state.operation is not None:
        command = next(cmd for _, name, cmd in _OPERATIONS if name == state.operation)
        raise GitStateError(
            message(
                "workspace.operation_in_progress",
                operation=state.operation,
                path=repo.root,
                command=command,
            )
        )
    if state.index_locked:
        raise GitStateError(message("workspace.index_locked", lock=repo.git_dir / "index.lock"))
    return state



@dataclass(frozen=True)
class WorktreeListing:
    paths: list[str]  # tracked and untracked-not-ignored files
    index: dict[str, tuple[int, str]]  # path → (mode, blob) of the index (stage 0)
    dirty: set[str]  # tracked paths whose stat or content differs from the index


def _z(out: bytes) -> list[str]:
    return [os.fsdecode(item) for item in out.split(b"\0") if item]


def _entries(out: bytes) -> dict[str, tuple[int, str]]:
    """Parse `ls-files -s -z` / `ls-tree -z` lines: "<mode> <sha> <stage|type>\\t<path>"."""
    entries: dict[str, tuple[int, str]] = {}
    for item in out.split(b"\0"):
        if not item:
            continue
        meta, _, raw_path = item.partition(b"\t")
        mode, sha, kind = meta.decode().split()
        if sha in ("blob", "commit", "tree"):
            sha, kind = kind, sha
        if kind in ("0", "blob", "commit"):
            entries[os.fsdecode(raw_path)] = (int(mode, 8), sha)
    return entries


def list_worktree(root: Path) -> WorktreeListing:
    index = _entries(run_git(root, "ls-files", "-s", "-z"))
    index = {path: entry for path, entry in index.items() if entry[0] != GITLINK}
    untracked = _z(run_git(root, "ls-files", "-z", "--others", "--exclude-standard"))
    dirty = set(
        _z(run_git(root, "diff-files", "-z", "--name-only", env={"GIT_OPTIONAL_LOCKS": "0"}))
    )
    return WorktreeListing(sorted([*index, *untracked]), index, dirty)


@dataclass(frozen=True)
class WorktreeStatus:
    changed: set[str]  # files whose working-tree state differs from the index, and untracked files
    ignored_dirs: set[str]  # folders git ignores as a whole (no trailing slash)
    nested: set[str]  # folders holding a repository of their own (untracked, or a submodule)


def worktree_status(root: Path, env: dict[str, str] | None = None) -> WorktreeStatus:
    """One `git status` over the whole tree, without taking git's locks or writing its index."""
    out = run_git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames",
                  "--ignored=matching", env={"GIT_OPTIONAL_LOCKS": "0", **(env or {})})
    changed: set[str] = set()
    ignored: set[str] = set()
    nested: set[str] = set()
    for item in out.split(b"\0"):
        if len(item) < 4:
            continue
        code, path = item[:2], os.fsdecode(item[3:])
        if code == b"!!":
            if path.endswith("/"):
                ignored.add(path.rstrip("/"))
        elif path.endswith("/"):
            nested.add(path.rstrip("/"))
        elif code == b"??" or code[1:] != b" ":
            changed.add(path)
    return WorktreeStatus(changed, ignored, nested)


def index_file(root: Path) -> Path:
    """Where this working tree's index lives."""
    out = run_git(root, "rev-parse", "--path-format=absolute", "--git-path", "index")
    return Path(os.fsdecode(out.rstrip(b"\n")))


def ls_index(root: Path, paths: list[str], env: dict[str, str] | None = None) -> dict[str, tuple[int, str]]:
    """Index entries (mode, blob) of these paths and of everything under those that are folders."""
    if not paths:
        return {}
    literal = [f":(literal){path}" for path in paths]
    return _entries(run_git(root, "ls-files", "-s", "-z", "--", *literal, env=env))


def ignored_untracked(root: Path, paths: list[str]) -> set[str]:
    """Those of `paths` git ignores (a tracked file is never ignored)."""
    if not paths:
        return set()
    out = run_git(root, "check-ignore", "-z", "--stdin",
                  input=b"".join(os.fsencode(p) + b"\0" for p in paths), check=False)
    return set(_z(out))


def uncommitted_paths(root: Path) -> set[str]:
    """Files that differ from HEAD in the index or the working tree, and untracked files git
    does not ignore: the person's own uncommitted work."""
    out = run_git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames",
                  env={"GIT_OPTIONAL_LOCKS": "0"})
    return {os.fsdecode(item[3:]) for item in out.split(b"\0") if len(item) > 3}


def head_blob_ids(root: Path, paths: list[str]) -> dict[str, str]:
    """HEAD's blob id of each path that HEAD has (none on an unborn branch)."""
    if not paths or not git_ok(root, "rev-parse", "-q", "--verify", "HEAD^{commit}"):
        return {}
    out = run_git(root, "ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", *paths)
    return {path: sha for path, (_, sha) in _entries(out).items()}


def read_blobs(root: Path, blob_ids: list[str]) -> dict[str, bytes]:
    """The content of each blob, with one `git cat-file --batch`."""
    wanted = list(dict.fromkeys(blob_ids))
    if not wanted:
        return {}
    out = run_git(root, "cat-file", "--batch", input="".join(f"{b}\n" for b in wanted).encode())
    blobs: dict[str, bytes] = {}
    position = 0
    for blob in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        if len(header) != 3:
            raise GitStateError(
                message("workspace.git_failed", command="cat-file", reason=f"{blob} missing")
            )
        size = int(header[2])
        blobs[blob] = out[end + 1 : end + 1 + size]
        position = end + 1 + size + 1
    return blobs


def tree_entries(repo: GitRepo, rev: str | None, paths: list[str]) -> dict[str, tuple[int, str]]:
    if rev is None or not paths:
        return {}
    return _entries(run_git(repo.root, "ls-tree", "-r", "-z", "--full-tree", rev, "--", *paths))


def index_entries(
    repo: GitRepo, paths: list[str], env: dict[str, str] | None = None
) -> dict[str, tuple[int, str]]:
    return ls_index(repo.root, paths, env)


def load_entries(
    repo: GitRepo, entries: dict[str, tuple[int, str]], paths: list[str]
) -> dict[str, Entry]:
    """Content and mode per path (absent → (None, None)), reading the blobs in one batch."""
    blobs = read_blobs(repo.root, [entries[p][1] for p in paths if p in entries])
    return {
        path: (blobs[entries[path][1]], entries[path][0]) if path in entries else (None, None)
        for path in paths
    }


def ignored_paths(repo: GitRepo, paths: list[str]) -> set[str]:
    if not paths:
        return set()
    out = run_git(
        repo.root,
        "check-ignore",
        "-z",
        "--no-index",
        "--stdin",
        input=b"".join(os.fsencode(p) + b"\0" for p in paths),
        check=False,
    )
    return set(_z(out))



def write_blob(repo: GitRepo, data: bytes) -> str:
    """Store `data` as a loose object (in-process, no subprocess); its blob id."""
    return store_blob(repo.common_dir, data)


def store_blob(common_dir: Path, data: bytes) -> str:
    from gitdb import IStream, LooseObjectDB

    stored = LooseObjectDB(str(common_dir / "objects")).store(
        IStream(b"blob", len(data), BytesIO(data))
    )
    return stored.hexsha.decode()


def set_index(repo: GitRepo, entries: dict[str, Entry], env: dict[str, str] | None = None) -> None:
    """Set these index entries (None content removes the path), in one update-index."""
    ids = {
        path: (None if content is None else write_blob(repo, content), mode)
        for path, (content, mode) in entries.items()
    }
    set_index_ids(repo, ids, env)


def set_index_ids(
    repo: GitRepo, entries: dict[str, tuple[str | None, int | None]], env: dict[str, str] | None = None
) -> None:
    """Set index entries to stored blobs (a None id removes the path), in one update-index."""
    if not entries:
        return
    lines = []
    for path, (sha, mode) in entries.items():
        if sha is None:
            lines.append(b"0 " + b"0" * 40 + b"\t" + os.fsencode(path) + b"\0")
        else:
            lines.append(f"{mode or REGULAR:o} {sha}\t".encode() + os.fsencode(path) + b"\0")
    run_git(repo.root, "update-index", "-z", "--index-info", input=b"".join(lines), env=env)
