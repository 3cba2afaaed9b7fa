"""Every byte the person had, kept before a command runs; put back after a crash.

`take` keeps, in a content-addressed store under `<git dir>/hunk/keep/` (see `gitstate`):
- a copy of the person's index (which, with git's object store, vouches for every clean
  tracked file and holds the staged part of a partly staged file);
- the bytes of every tracked file that differs from the index (the unstaged part), every
  untracked file and every ignored file that is the person's own (`.env`, local settings),
  whatever its size, with its permission bits;
- the git state (`gitstate.GitState`): HEAD, refs, stash, config, hooks.
Ignored folders that can be made again (`keep.regenerable`: dependencies, build outputs,
caches) are not copied. Copies are reflinks where the filesystem offers them (copy-on-write:
instant, no space), plain copies otherwise; never hard links, which an in-place write
(`echo x > .env`) would change too. A file whose stat matches the previous keep is not read
again. When the new copies one command needs exceed the budget, `take` raises `KeepRefused`
and the command does not run.

The manifest is itself a kept object; its id goes into the journal before the command starts,
so `keep_restore.restore` can put every byte back after a `kill -9`. Blocking: run off the loop.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from hunk.settings.prompts import message
from hunk.workspace import gitstate
from hunk.workspace.git import GitRepo, run_git
from hunk.workspace.gitstate import GitState

FICLONE = 0x40049409  # linux/fs.h: share the source's extents (btrfs, XFS, bcachefs)
_CHUNK = 1 << 20
_RACY_NS = 2_000_000_000  # a file changed this close to the last keep is read again


class KeepRefused(Exception):
    """The copies a command needs cannot be kept (over the budget, or the disk refused)."""


@dataclass(frozen=True)
class Kept:
    """One kept file: its object id, permission bits (with the file type) and why it is kept."""

    digest: str
    mode: int  # st_mode: S_IFREG/S_IFLNK and permission bits
    kind: str  # "dirty" (tracked, differs from the index), "untracked", "ignored"
    stat_key: tuple[int, int, int] = (0, 0, 0)  # size, mtime_ns, inode at the time


@dataclass
class Manifest:
    """What one keep holds; `id` is its own object id in the store."""

    files: dict[str, Kept] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # tracked files the person had deleted
    index: str | None = None  # object id of the person's index file
    skipped: tuple[str, ...] = ()  # regenerable ignored folders, not copied
    git: GitState | None = None
    id: str = ""
    taken_ns: int = 0


class Store:
    """Content-addressed objects under `<git dir>/hunk/keep/objects/`."""

    def __init__(self, repo: GitRepo) -> None:
        self.repo = repo
        self.dir = gitstate.hunk_dir(repo) / "keep" / "objects"
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        return self.dir / digest

    def has(self, digest: str) -> bool:
        return self.path(digest).exists()

    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if not self.has(digest):
            temporary = self.dir / f".{digest}.tmp"
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path(digest))
        return digest

    def put_file(self, full: Path) -> str:
        """Keep the file's bytes (a symlink: its target); its object id."""
        if full.is_symlink():
            return self.put_bytes(os.fsencode(os.readlink(full)))
        temporary = self.dir / f".incoming-{os.getpid()}-{time.monotonic_ns()}.tmp"
        digest = hashlib.sha256()
        with open(full, "rb") as source:
            fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "r+b") as target:
                cloned = _reflink(source.fileno(), target.fileno())
                reading = target if cloned else source  # a clone is hashed as it was cloned
                while chunk := reading.read(_CHUNK):
                    digest.update(chunk)
                    if not cloned:
                        target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
        name = digest.hexdigest()
        if self.has(name):
            temporary.unlink()
        else:
            os.replace(temporary, self.path(name))
        return name

    def read(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def keep_only(self, wanted: set[str]) -> None:
        """Drop every object but `wanted` (after a newer manifest is in the journal)."""
        for entry in self.dir.iterdir():
            if entry.name not in wanted:
                entry.unlink(missing_ok=True)


def _reflink(source: int, target: int) -> bool:
    try:
        fcntl.ioctl(target, FICLONE, source)
    except OSError:
        return False
    return True


def _z(out: bytes) -> list[str]:
    return [os.fsdecode(item) for item in out.split(b"\0") if item]


def _regenerable(path: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(part, pattern) for part in path.rstrip("/").split("/") for pattern in patterns)


def _walk_ignored(root: Path, folder: str, patterns: tuple[str, ...], skipped: list[str]) -> list[str]:
    """Files under an ignored folder, leaving out regenerable folders and nested repositories."""
    files: list[str] = []
    stack = [folder.rstrip("/")]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(root / current) as entries:
                listing = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        if any(name == ".git" for name, _ in listing):
            continue
        for name, is_dir in listing:
            path = f"{current}/{name}"
            if not is_dir:
                files.append(path)
            elif _regenerable(name, patterns):
                skipped.append(path)
            else:
                stack.append(path)
    return files


def _listing(repo: GitRepo, patterns: tuple[str, ...]) -> tuple[dict[str, str], list[str], list[str]]:
    """Paths to keep (path → kind), tracked files missing from disk, and regenerable folders."""
    root = repo.root
    env = {"GIT_OPTIONAL_LOCKS": "0"}
    tracked = set(_z(run_git(root, "ls-files", "-z", "--cached", env=env)))
    dirty = _z(run_git(root, "diff-files", "-z", "--name-only", "--ignore-submodules", env=env))
    wanted: dict[str, str] = {}
    missing: list[str] = []
    for path in dirty:
        if path in tracked:
            if os.path.lexists(root / path):
                wanted[path] = "dirty"
            else:
                missing.append(path)
    for path in _z(run_git(root, "ls-files", "-z", "--others", "--exclude-standard", env=env)):
        wanted[path] = "untracked"
    skipped: list[str] = []
    ignored = run_git(root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory", env=env)
    for path in _z(ignored):
        if _regenerable(path, patterns):
            skipped.append(path.rstrip("/"))
        elif path.endswith("/"):
            for found in _walk_ignored(root, path, patterns, skipped):
                wanted[found] = "ignored"
        else:
            wanted[path] = "ignored"
    return wanted, missing, skipped


def take(repo: GitRepo, budget_bytes: int, regenerable: tuple[str, ...], previous: Manifest | None = None) -> Manifest:
    """Keep everything the person has now (see the module's docstring). Raises KeepRefused."""
    taken_ns = time.time_ns()
    store = Store(repo)
    git = gitstate.capture(repo)
    wanted, missing, skipped = _listing(repo, regenerable)
    known = previous.files if previous is not None else {}
    trusted_before = previous.taken_ns - _RACY_NS if previous is not None else 0
    plan: list[tuple[str, os.stat_result]] = []
    files: dict[str, Kept] = {}
    for path, kind in wanted.items():
        try:
            st = (repo.root / path).lstat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
            continue
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        old = known.get(path)
        if old is not None and old.stat_key == key and key[1] < trusted_before and store.has(old.digest):
            files[path] = Kept(old.digest, st.st_mode, kind, key)
        else:
            plan.append((path, st))
    needed = sum(st.st_size for _, st in plan)
    if needed > budget_bytes:
        biggest = sorted(plan, key=lambda item: item[1].st_size, reverse=True)[:3]
        raise KeepRefused(
            message(
                "workspace.keep_over_budget",
                needed=_mb(needed),
                budget=_mb(budget_bytes),
                biggest=", ".join(f"{p} ({_mb(st.st_size)})" for p, st in biggest),
            )
        )
    try:
        for path, st in plan:
            try:
                digest = store.put_file(repo.root / path)
            except (FileNotFoundError, NotADirectoryError):
                continue
            files[path] = Kept(digest, st.st_mode, wanted[path], (st.st_size, st.st_mtime_ns, st.st_ino))
        index_id = store.put_bytes(git.index) if git.index is not None else None
        manifest = Manifest(files, tuple(missing), index_id, tuple(sorted(set(skipped))), git, "", taken_ns)
        manifest.id = store.put_bytes(_encode(manifest, store))
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise KeepRefused(message("workspace.keep_disk_full", folder=store.dir)) from error
        raise KeepRefused(message("workspace.keep_failed", reason=error.strerror or error)) from error
    return manifest


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def _encode(manifest: Manifest, store: Store) -> bytes:
    git = manifest.git
    assert git is not None
    document = {
        "v": 1,
        "files": {p: [k.digest, k.mode, k.kind] for p, k in sorted(manifest.files.items())},
        "missing": list(manifest.missing),
        "index": manifest.index,
        "skipped": list(manifest.skipped),
        "git": {
            **gitstate.state_to_dict(git),
            "files": {n: None if c is None else store.put_bytes(c) for n, c in git.files.items()},
            "hooks": {n: [store.put_bytes(c), m] for n, (c, m) in git.hooks.items()},
        },
    }
    return json.dumps(document, sort_keys=True).encode()


def load(repo: GitRepo, manifest_id: str) -> Manifest:
    """A manifest back from the store (for recovery)."""
    store = Store(repo)
    document = json.loads(store.read(manifest_id))
    git = document["git"]
    state = GitState(
        git["head"],
        dict(git["refs"]),
        tuple((sha, text) for sha, text in git["stash"]),
        {n: None if d is None else store.read(d) for n, d in git["files"].items()},
        {n: (store.read(d), m) for n, (d, m) in git["hooks"].items()},
        store.read(document["index"]) if document["index"] else None,
    )
    files = {p: Kept(d, m, k) for p, (d, m, k) in document["files"].items()}
    return Manifest(files, tuple(document["missing"]), document["index"], tuple(document["skipped"]), state, manifest_id)


def objects_of(manifest: Manifest) -> set[str]:
    """The object ids a manifest needs (itself included), for `Store.keep_only`."""
    found = {manifest.id, *(k.digest for k in manifest.files.values())}
    if manifest.index:
        found.add(manifest.index)
    if manifest.git is not None:
        found.update(hashlib.sha256(c).hexdigest() for c in manifest.git.files.values() if c is not None)
        found.update(hashlib.sha256(c).hexdigest() for c, _ in manifest.git.hooks.values())
    return found
