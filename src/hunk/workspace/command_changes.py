"""What a shell command changed in the working tree, in time that grows with the change.

Before the command (`ChangeDetector.watch`), one `git status` names the person's uncommitted
files, whose bytes are kept (`CommandWatch.before`); every other file is vouched for by the
index, whose bytes are copied in case the command moves it. Meanwhile every folder of the tree
(but .git, ignored folders and nested repositories) gets an inotify watch. After the command
(`CommandWatch.finish`), only the names the watch saw, and the contents of folders made, moved
or removed, are looked at. Where inotify is unavailable or its queue overflowed, a second
`git status` names what may have changed instead: still no per-file work for clean files.

`finish` returns two snapshots over the paths that may have changed, for
`tree.changes_between` and `tree.unrestorable`. Everything here blocks: call it off the loop.
"""

from __future__ import annotations

import os
import time
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from hunk.workspace import git as gitcmd
from hunk.workspace import inotify
from hunk.workspace.tree import KEEP_LIMIT, FileState, Snapshot, file_state
from hunk.workspace.tempdirs import temp_dir

GIT_DIR = ".git"


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _under(path: str, folders: set[str]) -> bool:
    return any(not f or path == f or path.startswith(f + "/") for f in folders)


def _walk(root: Path, start: str, prune: set[str], *, files_too: bool = True) -> tuple[list[str], list[str]]:
    """Folders and (with `files_too`) files under `start` (itself included), not entering .git,
    nested repositories or the folders in `prune`."""
    folders: list[str] = []
    files: list[str] = []
    stack = [start]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(root / folder if folder else root) as entries:
                listing = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
        if folder and any(name == GIT_DIR for name, _ in listing):
            continue  # a repository of its own
        folders.append(folder)
        for name, is_dir in listing:
            path = _join(folder, name)
            if not is_dir:
                if files_too:
                    files.append(path)
            elif path != GIT_DIR and path not in prune:
                stack.append(path)
    return folders, files


class CommandWatch:
    """One command's watch, from just before it runs until `finish()`."""

    def __init__(
        self,
        detector: ChangeDetector,
        before: Snapshot,
        missing: set[str],
        index: bytes | None,
        watch: inotify.Watch | None,
    ) -> None:
        self.root = detector.root
        self.before = before  # the person's uncommitted files (tracked and changed, untracked), kept
        self.missing = missing  # tracked files the person had deleted
        self._detector = detector
        self._index = index  # the index file's bytes before the command
        self._watch = watch

    @property
    def watching(self) -> bool:
        """The watch sees each change (inotify); False when `finish` falls back on git status."""
        return self._watch is not None

    def finish(self) -> tuple[Snapshot, Snapshot]:
        """Before and after, over every path the command may have changed."""
        events = self._watch.take() if self._watch is not None else None
        if events is not None:
            self._detector.saw(events)
        if events is None or events.overflowed:
            candidates = set(self.before.files) | self.missing | gitcmd.worktree_status(self.root).changed | self._restaged()
        else:
            candidates = self._seen(events)
        candidates = {p for p in candidates if p != GIT_DIR and not p.startswith(GIT_DIR + "/")}
        before = self._before(candidates)
        unknown = [p for p in candidates if p not in before]
        candidates -= gitcmd.ignored_untracked(self.root, sorted(unknown))
        keep = self._detector.keep_limit
        after = {p: state for p in sorted(candidates) if (state := file_state(self.root, p, keep_limit=keep))}
        return Snapshot(self.root, before, self.before.taken_ns), Snapshot(self.root, after)

    def _seen(self, events: inotify.Events) -> set[str]:
        """The names the watch saw, with everything in or formerly in a folder it saw change."""
        seen = set(events.files)
        if events.folders:
            seen.update(path for path in self.before.files if _under(path, events.folders))
            seen.update(self._tracked(sorted(events.folders)))
            ignored = gitcmd.ignored_untracked(self.root, sorted(events.folders))
            for folder in events.folders - ignored:  # a new node_modules is not walked
                seen.update(_walk(self.root, folder, set())[1])
        return seen

    def _restaged(self) -> set[str]:
        """Paths whose index entry the command changed (rare: `git add` run by the command)."""
        if self._index_unchanged():
            return set()
        now = gitcmd.ls_index(self.root, ["."])
        earlier = self._tracked(["."])
        return {p for p in now.keys() | earlier.keys() if now.get(p) != earlier.get(p)}

    def _index_unchanged(self) -> bool:
        try:
            return self._detector.index_file.read_bytes() == self._index
        except FileNotFoundError:
            return self._index is None

    def _tracked(self, paths: list[str]) -> dict[str, tuple[int, str]]:
        """The index entries of `paths` (and below) as they were before the command."""
        if not paths:
            return {}
        if self._index_unchanged():
            entries = gitcmd.ls_index(self.root, paths)
        elif self._index is None:  # the command made the first index
            entries = {}
        else:  # the command moved the index (`git add`, `git reset`): ask the copy taken before
            with temp_dir("hunk-index-") as folder:
                copy = Path(folder, "index")
                copy.write_bytes(self._index)
                entries = gitcmd.ls_index(self.root, paths, env={"GIT_INDEX_FILE": str(copy)})
        return {path: entry for path, entry in entries.items() if entry[0] != gitcmd.GITLINK}

    def _before(self, candidates: set[str]) -> dict[str, FileState]:
        before = {p: self.before.files[p] for p in candidates if p in self.before.files}
        tracked = self._tracked(sorted(candidates - set(before) - self.missing))
        before.update(
            {p: FileState(0, 0, 0, mode, blob, in_git=True) for p, (mode, blob) in tracked.items() if p in candidates and p not in self.missing}
        )
        return before


class ChangeDetector:
    """Finds what commands change in one working tree. Its inotify watch lives from the first
    command to `close()`, following new folders, so a command step walks no folders at all."""

    def __init__(self, root: Path, *, keep_limit: int = KEEP_LIMIT) -> None:
        self.root = root
        self.keep_limit = keep_limit
        self._ignored: set[str] | None = None  # ignored folders the last look found
        self._index_file: Path | None = None
        self._watch: inotify.Watch | None = None
        self._pending = inotify.Events()  # what the last command did to folders, not yet followed
        self._finalizer: weakref.finalize | None = None

    @property
    def index_file(self) -> Path:
        if self._index_file is None:
            self._index_file = gitcmd.index_file(self.root)
        return self._index_file

    def watch(self) -> CommandWatch:
        """Call just before the command starts."""
        taken_ns = time.time_ns()
        index = self._read_index()
        with ThreadPoolExecutor(1, thread_name_prefix="hunk-status") as pool:
            pending: Future[gitcmd.WorktreeStatus] = pool.submit(gitcmd.worktree_status, self.root)
            watch = self._follow(pending)
            status = pending.result()
        unignored = (self._ignored or set()) - status.ignored_dirs
        self._ignored = status.ignored_dirs
        if watch is not None:
            for folder in sorted(unignored):  # pruned from the watch, no longer ignored
                if os.path.isdir(self.root / folder):
                    self._place(watch, folder)
            watch.take()  # what happened while setting up is before the command
        kept = {p: file_state(self.root, p, keep_limit=self.keep_limit) for p in sorted(status.changed)}
        before = Snapshot(self.root, {p: state for p, state in kept.items() if state is not None}, taken_ns)
        missing = {p for p, state in kept.items() if state is None}  # deleted by the person, not in the index's sense
        return CommandWatch(self, before, missing, index, self._usable(watch))

    def saw(self, events: inotify.Events) -> None:
        """What a command did, for the watch to follow before the next one."""
        self._pending = self._pending.merge(events)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _follow(self, pending: Future[gitcmd.WorktreeStatus]) -> inotify.Watch | None:
        """The watch, following the folders made since the last look; or a new one."""
        watch = self._watch
        if watch is not None:
            events = self._pending.merge(watch.take())
            self._pending = inotify.Events()
            if events.moved or events.overflowed or not watch.usable:
                self.close()
                watch = None
            else:
                made = sorted(f for f in events.folders if os.path.isdir(self.root / f))
                ignored = gitcmd.ignored_untracked(self.root, made)
                for folder in made:
                    if folder not in ignored:
                        self._place(watch, folder)
                return watch
        if self._ignored is None:  # the first look: learn the ignored folders before walking
            self._ignored = pending.result().ignored_dirs
        watch = inotify.start(str(self.root))
        if watch is None:
            return None
        self._watch = watch
        self._finalizer = weakref.finalize(self, watch.close)
        self._place(watch, "")
        watch.begin()
        return watch

    def _place(self, watch: inotify.Watch, start: str) -> None:
        for folder in _walk(self.root, start, self._ignored or set(), files_too=False)[0]:
            if not watch.add(folder):
                break

    def _usable(self, watch: inotify.Watch | None) -> inotify.Watch | None:
        if watch is not None and not watch.usable:
            self.close()
            return None
        return watch

    def _read_index(self) -> bytes | None:
        try:
            return self.index_file.read_bytes()
        except FileNotFoundError:
            return None
