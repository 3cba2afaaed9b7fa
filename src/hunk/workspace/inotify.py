"""Linux inotify through ctypes: which names in a set of folders changed while a command ran.

A reader thread drains the kernel's queue as events arrive, so a busy command does not
overflow it; what it keeps is a set of names, as large as the change and no larger. Anything
it cannot vouch for (no inotify here, too many folders, an overflowing queue) is said so
(`start` returns None, `usable` or `Events.overflowed` is False/True) and the caller looks the
slow way.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import struct
import sys
import threading
from dataclasses import dataclass, field
from functools import cache

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x2, 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x40, 0x80, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF, IN_Q_OVERFLOW, IN_IGNORED = 0x400, 0x800, 0x4000, 0x8000
IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK, IN_ISDIR = 0x01000000, 0x02000000, 0x04000000, 0x40000000
_CHANGES = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
_FOLDER_CHANGES = IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
_MASK = _CHANGES | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, name length
_READ_SIZE = 1 << 16


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.inotify_init1, libc.inotify_add_watch  # noqa: B018 - present on this libc?
    except (OSError, AttributeError):
        return None
    return libc


@dataclass
class Events:
    """What a watch saw since it was last asked."""

    files: set[str] = field(default_factory=set)  # names (repository-relative) written, made or removed
    folders: set[str] = field(default_factory=set)  # folders made, moved or removed, whole
    moved: bool = False  # a watched folder moved: the watch's names for folders are stale
    overflowed: bool = False  # the kernel dropped events: what was seen is incomplete

    def merge(self, other: Events) -> Events:
        return Events(self.files | other.files, self.folders | other.folders,
                      self.moved or other.moved, self.overflowed or other.overflowed)


class Watch:
    """Folders (repository-relative, "" for the root) watched until `close()`; a reader thread
    gathers their events, and `take()` hands over what it gathered so far."""

    def __init__(self, root: str, fd: int, libc: ctypes.CDLL) -> None:
        self._root = root
        self._fd = fd
        self._libc = libc
        self._folders: dict[int, str] = {}
        self._events = Events()
        self._lock = threading.Lock()
        self.usable = True  # False once the kernel refused a folder: the watch would miss things
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._read_loop, name="hunk-inotify", daemon=True)
        self._closed = False

    def add(self, folder: str) -> bool:
        """Watch one folder; False when the kernel refuses (e.g. out of watches)."""
        path = os.path.join(self._root, folder) if folder else self._root
        with self._lock:
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(path), _MASK)
            if wd < 0:
                self.usable = False
                return False
            self._folders[wd] = folder
        return True

    def begin(self) -> None:
        self._thread.start()

    def take(self) -> Events:
        """The events gathered since the last `take()`, including any still queued."""
        with self._lock:
            self._drain()
            events, self._events = self._events, Events()
        return events

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        os.write(self._wake_w, b"x")
        if self._thread.is_alive():
            self._thread.join()
        for fd in (self._fd, self._wake_r, self._wake_w):
            os.close(fd)

    def _read_loop(self) -> None:
        while True:
            ready, _, _ = select.select([self._fd, self._wake_r], [], [])
            if self._wake_r in ready:
                return
            with self._lock:
                self._drain()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self._fd, _READ_SIZE)
            except BlockingIOError:
                return
            self._parse(data)

    def _parse(self, data: bytes) -> None:
        events = self._events
        offset = 0
        while offset + _HEADER.size <= len(data):
            wd, mask, _, length = _HEADER.unpack_from(data, offset)
            raw = data[offset + _HEADER.size : offset + _HEADER.size + length].rstrip(b"\0")
            offset += _HEADER.size + length
            if mask & IN_Q_OVERFLOW:
                events.overflowed = True
                continue
            folder = self._folders.get(wd)
            if folder is None:
                continue
            if mask & IN_IGNORED:
                del self._folders[wd]
                continue
            if mask & (IN_DELETE_SELF | IN_MOVE_SELF):
                events.folders.add(folder)
                events.moved = events.moved or bool(mask & IN_MOVE_SELF)
                continue
            if not raw or not mask & _CHANGES:
                continue
            name = os.fsdecode(raw)
            path = f"{folder}/{name}" if folder else name
            if not mask & IN_ISDIR:
                events.files.add(path)
            elif mask & _FOLDER_CHANGES:  # a folder's own mode or times mean nothing to git
                events.folders.add(path)
                events.moved = events.moved or bool(mask & IN_MOVED_FROM)


def start(root: str) -> Watch | None:
    """A new, empty watch under `root`; None where inotify is not available."""
    libc = _libc()
    if libc is None:
        return None
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        return None
    return Watch(root, fd, libc)
