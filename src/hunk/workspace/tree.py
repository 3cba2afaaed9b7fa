"""The working tree on disk: read a file's state, write it atomically, and snapshot the tree to
see what a shell command changed.

Paths are repository-relative POSIX paths the caller has already confined (see
`hunk.workspace.paths`); this module only refuses absolute paths and `..` as a last guard.
Everything here blocks: call it through `asyncio.to_thread` from the event loop.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hunk.settings.prompts import message
from hunk.workspace import filters
from hunk.workspace import git as gitcmd
from hunk.workspace.changeset import FileChange, content_hash
from hunk.workspace.errors import WorkspaceError
from hunk.workspace.filetypes import EXECUTABLE, REGULAR, SYMLINK, git_mode

KEEP_LIMIT = 2 * 1024 * 1024  # bytes of a dirty or untracked file a snapshot keeps


def _inside(root: Path, path: str) -> Path:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise WorkspaceError(message("workspace.outside_root", path=path))
    return Path(root, *pure.parts)


def read_state(root: Path, path: str) -> tuple[bytes | None, int | None]:
    """The file's content and git mode; a symlink gives its target. (None, None) if absent."""
    full = _inside(root, path)
    try:
        st = full.lstat()
    except FileNotFoundError:
        return None, None
    if stat.S_ISLNK(st.st_mode):
        return os.fsencode(os.readlink(full)), SYMLINK
    if stat.S_ISDIR(st.st_mode):
        raise WorkspaceError(message("workspace.not_a_file", path=path))
    return full.read_bytes(), git_mode(st.st_mode)


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _permissions(full: Path, mode: int | None) -> int:
    try:
        st = full.lstat()
    except FileNotFoundError:
        st = None
    if (
        st is not None
        and stat.S_ISREG(st.st_mode)
        and (mode is None or git_mode(st.st_mode) == mode)
    ):
        return stat.S_IMODE(st.st_mode)
    base = 0o777 if mode == EXECUTABLE else 0o666
    return base & ~_umask()


def _make_parents(root: Path, full: Path) -> list[str]:
    missing: list[Path] = []
    parent = full.parent
    while parent != root and not parent.exists():
        missing.append(parent)
        parent = parent.parent
    created = []
    for folder in reversed(missing):
        folder.mkdir()
        created.append(folder.relative_to(root).as_posix())
    return created


def _prune(root: Path, folders: list[str] | tuple[str, ...] | set[str]) -> None:
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        try:
            _inside(root, folder).rmdir()
        except OSError:
            pass  # not empty, or already gone


def _fail(path: str, error: OSError) -> WorkspaceError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return WorkspaceError(message("workspace.disk_full", path=path))
    return WorkspaceError(
        message("workspace.write_failed", path=path, reason=error.strerror or error)
    )


def write_atomic(
    root: Path,
    path: str,
    content: bytes | None,
    mode: int | None,
    *,
    prune: list[str] | tuple[str, ...] | set[str] = (),
) -> list[str]:
    """Put `content` at `path` whole or not at all; None deletes the file.

    Writes a temporary file beside the target, fsyncs it and renames it over the target, so a
    crash or a full disk leaves the old file intact. The permission bits of an existing file
    are kept when its git mode does not change. Returns the folders it had to create; pass them
    back as `prune` when deleting the file again and those left empty are removed.
    """
    full = _inside(root, path)
    if content is None:
        try:
            if full.is_dir() and not full.is_symlink():
                raise WorkspaceError(message("workspace.not_a_file", path=path))
            full.unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise _fail(path, error) from error
        _prune(root, prune)
        return []
    try:
        created = _make_parents(root, full)
    except OSError as error:
        raise _fail(path, error) from error
    # short, whatever the target's name: a name near the file system's limit must still fit
    temporary = full.with_name(f".hunk-{uuid.uuid4().hex[:12]}.tmp")
    try:
        if mode == SYMLINK:
            os.symlink(os.fsdecode(content), temporary)
        else:
            _write_file(temporary, content, _permissions(full, mode))
        os.replace(temporary, full)
    except OSError as error:
        with contextlib.suppress(OSError):  # never made, or its folder is not a folder
            temporary.unlink()
        _prune(root, created)
        raise _fail(path, error) from error
    _sync_folder(full.parent)
    return created


def _write_file(temporary: Path, content: bytes, permissions: int) -> None:
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(content)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.fchmod(fd, permissions)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- snapshots -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    inode: int
    mode: int
    blob: str  # git blob id of the content (changeset.content_hash)
    content: bytes | None = None  # kept for dirty and untracked files up to the limit
    in_git: bool = False  # the blob is in git's object store (a clean tracked file)


@dataclass(frozen=True)
class Snapshot:
    """Tracked and untracked-not-ignored files of a working tree at one moment."""

    root: Path
    files: dict[str, FileState] = field(default_factory=dict)
    taken_ns: int = 0  # wall clock when the snapshot started


# File times tick coarsely (a few ms); a file changed this close to a snapshot may change again
# without its stat changing, so its stat is not trusted (git's "racy clean" problem).
_RACY_NS = 2_000_000_000


def _hash_file(full: Path, st: os.stat_result, keep_limit: int) -> tuple[str, bytes | None]:
    if stat.S_ISLNK(st.st_mode):
        data = os.fsencode(os.readlink(full))
        return content_hash(data) or "", data
    data = full.read_bytes()
    return content_hash(data) or "", data if len(data) <= keep_limit else None


def take_snapshot(
    root: Path, previous: Snapshot | None = None, *, keep_limit: int = KEEP_LIMIT
) -> Snapshot:
    """Stat every tracked and untracked-not-ignored file; read only what git cannot vouch for.

    A tracked file git reports clean is described by its index blob (no read). A file whose
    stat (size, mtime, inode, mode) matches `previous`, and was not modified just before that
    snapshot, reuses its state. Everything else is read and hashed, and its
    bytes kept when at most `keep_limit`, so the state before a command can be restored.
    """
    taken_ns = time.time_ns()
    listing = gitcmd.list_worktree(root)
    known = previous.files if previous is not None else {}
    trusted_before = previous.taken_ns - _RACY_NS if previous is not None else 0
    files: dict[str, FileState] = {}
    for path in listing.paths:
        full = Path(root, *path.split("/"))
        try:
            st = full.lstat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISDIR(st.st_mode):
            continue
        mode = git_mode(st.st_mode)
        old = known.get(path)
        key = (st.st_size, st.st_mtime_ns, st.st_ino, mode)
        if old is not None and old.mtime_ns < trusted_before:
            if (old.size, old.mtime_ns, old.inode, old.mode) == key:
                files[path] = old
                continue
        indexed = listing.index.get(path)
        if indexed is not None and path not in listing.dirty and indexed[0] == mode:
            files[path] = FileState(*key, indexed[1], in_git=True)
            continue
        try:
            blob, data = _hash_file(full, st, keep_limit)
        except (FileNotFoundError, NotADirectoryError):
            continue
        files[path] = FileState(*key, blob, data)
    return Snapshot(root, files, taken_ns)


def file_state(root: Path, path: str, *, keep_limit: int = KEEP_LIMIT) -> FileState | None:
    """One file as a snapshot records it, read and hashed; None when absent or a folder."""
    full = _inside(root, path)
    try:
        st = full.lstat()
        if stat.S_ISDIR(st.st_mode):
            return None
        blob, data = _hash_file(full, st, keep_limit)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return FileState(st.st_size, st.st_mtime_ns, st.st_ino, git_mode(st.st_mode), blob, data)


def changes_between(before: Snapshot, after: Snapshot, root: Path) -> list[FileChange]:
    """What changed on disk between two snapshots, as FileChanges with source "run_command".

    A changed file whose earlier bytes are unknown (larger than the keep limit and not in git)
    is left out; `unrestorable` names those.
    """
    changed = _changed_paths(before, after)
    wanted = [
        state.blob
        for path in changed
        if (state := before.files.get(path)) is not None and state.content is None and state.in_git
    ]
    blobs = gitcmd.read_blobs(root, wanted)
    converted = filters.converted_paths(root, [p for p in changed if p in before.files])
    out = []
    for path in changed:
        old = before.files.get(path)
        old_content = None if old is None else _known(old, blobs)
        if old is not None and old.content is None and path in converted:
            old_content = filters.to_disk_form(root, path, old_content)
        if old is not None and old_content is None:
            continue
        new_content, new_mode = read_state(root, path)
        if old_content == new_content and (old.mode if old else None) == new_mode:
            continue
        out.append(
            FileChange(
                path, old_content, new_content, old.mode if old else None, new_mode, "run_command"
            )
        )
    return out


def _known(state: FileState, blobs: dict[str, bytes]) -> bytes | None:
    return state.content if state.content is not None else blobs.get(state.blob)


def unrestorable(before: Snapshot, after: Snapshot) -> list[str]:
    """Changed files whose earlier content the snapshot could not keep (too large, not in git)."""
    return [
        path
        for path in _changed_paths(before, after)
        if (state := before.files.get(path)) is not None
        and state.content is None
        and not state.in_git
    ]


def _changed_paths(before: Snapshot, after: Snapshot) -> list[str]:
    paths = sorted(set(before.files) | set(after.files))
    return [
        path
        for path in paths
        if (old := before.files.get(path)) is None
        or (new := after.files.get(path)) is None
        or (old.blob, old.mode) != (new.blob, new.mode)
    ]
