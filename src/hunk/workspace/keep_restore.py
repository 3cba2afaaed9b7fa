"""Putting back what `keep.take` kept: after a crash (`restore`), or the person's ignored files
a command touched (`put_back_ignored`). Blocking: run off the loop."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from hunk.workspace import gitstate, tree
from hunk.workspace.git import GitRepo, run_git
from hunk.workspace.keep import Kept, Manifest, Store


def _z(out: bytes) -> list[str]:
    return [os.fsdecode(item) for item in out.split(b"\0") if item]


def _digest_of(full: Path) -> str | None:
    try:
        st = full.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISLNK(st.st_mode):
        return "link:" + hashlib.sha256(os.fsencode(os.readlink(full))).hexdigest()
    if not stat.S_ISREG(st.st_mode):
        return None
    digest = hashlib.sha256()
    with open(full, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def differs(root: Path, path: str, kept: Kept) -> bool:
    """Whether the file on disk is no longer what was kept (bytes, type or permissions)."""
    full = root / path
    try:
        st = full.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return True
    if kept.stat_key != (0, 0, 0) and (st.st_size, st.st_mtime_ns, st.st_ino) == kept.stat_key and st.st_mode == kept.mode:
        return False
    if stat.S_IFMT(st.st_mode) != stat.S_IFMT(kept.mode) or stat.S_IMODE(st.st_mode) != stat.S_IMODE(kept.mode):
        return True
    found = _digest_of(full)
    return found != (("link:" + kept.digest) if stat.S_ISLNK(kept.mode) else kept.digest)


def put_back_file(root: Path, store: Store, path: str, kept: Kept) -> None:
    data = store.read(kept.digest)
    if stat.S_ISLNK(kept.mode):
        tree.write_atomic(root, path, data, tree.SYMLINK)
        return
    mode = tree.EXECUTABLE if kept.mode & stat.S_IXUSR else tree.REGULAR
    tree.write_atomic(root, path, data, mode)
    os.chmod(root / path, stat.S_IMODE(kept.mode))


def content(repo: GitRepo, manifest: Manifest, path: str) -> bytes | None:
    """The kept bytes of one file, or None when it was not kept."""
    kept = manifest.files.get(path)
    return None if kept is None else Store(repo).read(kept.digest)


def put_back_ignored(repo: GitRepo, manifest: Manifest) -> list[str]:
    """The person's ignored files a command changed or removed, put back. Returns their paths."""
    store = Store(repo)
    restored = []
    for path, kept in sorted(manifest.files.items()):
        if kept.kind == "ignored" and differs(repo.root, path, kept):
            put_back_file(repo.root, store, path, kept)
            restored.append(path)
    return restored


def _restore_clean(repo: GitRepo, store: Store, manifest: Manifest) -> list[str]:
    """Tracked files the person had clean: back to their index blob (filters applied)."""
    if manifest.index is None:
        return []
    copy = gitstate.hunk_dir(repo) / "restore-index"
    copy.write_bytes(store.read(manifest.index))
    env = {"GIT_INDEX_FILE": str(copy)}
    try:
        changed = _z(run_git(repo.root, "diff-files", "-z", "--name-only", "--ignore-submodules", env=env))
        wanted = [p for p in changed if p not in manifest.files and p not in manifest.missing]
        if wanted:
            run_git(repo.root, "checkout-index", "-f", "-q", "-z", "--stdin", env=env,
                    input=b"".join(os.fsencode(p) + b"\0" for p in wanted))
    finally:
        copy.unlink(missing_ok=True)
        Path(f"{copy}.lock").unlink(missing_ok=True)
    return wanted


def restore(repo: GitRepo, manifest: Manifest) -> list[str]:
    """Everything back as it was when `manifest` was taken: git state, the person's index, every
    kept file, clean tracked files; files made since that git does not ignore are removed.
    Returns what was put back (paths, and words for git state)."""
    store = Store(repo)
    done: list[str] = []
    if manifest.git is not None:
        done += gitstate.put_back(repo, manifest.git)
    if manifest.git is not None and gitstate.put_back_index(repo, manifest.git):
        done.append("the index")
    done += _restore_clean(repo, store, manifest)
    for path, kept in sorted(manifest.files.items()):
        if differs(repo.root, path, kept):
            put_back_file(repo.root, store, path, kept)
            done.append(path)
    for path in manifest.missing:
        if os.path.lexists(repo.root / path):
            tree.write_atomic(repo.root, path, None, None)
            done.append(path)
    made = _z(run_git(repo.root, "ls-files", "-z", "--others", "--exclude-standard"))
    for path in made:
        if path not in manifest.files:
            tree.write_atomic(repo.root, path, None, None, prune=[p.as_posix() for p in Path(path).parents if p != Path(".")])
            done.append(path)
    return done
