"""The person's full set of work in a real repository, and a picture of everything of theirs.

`person_repo` makes a repository with two commits, a stash entry, a hook-free config, and then
the person's work: an unstaged edit, a staged edit, a partly staged file, an untracked file, a
large untracked file, a large tracked file with an unstaged edit, and a git-ignored `.env`.
`picture` records every byte and every piece of git state a test compares before and after.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.gitrepo import git, git_bytes, make_repo

PART = "".join(f"part {i}\n" for i in range(1, 31))
CODE = "def answer():\n    return 41\n"
MOVED = "def helper():\n    return 'help'\n"
BIG = 3 * 1024 * 1024 + 17  # over the snapshot's old 2 MiB limit
HUGE = 5 * 1024 * 1024 + 3  # a large tracked file, over the old keep limit
PERSON = ("a.txt", "b.txt", "part.txt", "notes.txt", "big.bin", "huge.bin", ".env")


def _pattern(size: int, seed: int) -> bytes:
    block = bytes((i * 31 + seed) % 251 for i in range(4096))
    return (block * (size // len(block) + 1))[:size]


def person_repo(root: Path) -> Path:
    make_repo(
        root,
        {
            "a.txt": "a one\na two\n",
            "b.txt": "b one\nb two\n",
            "part.txt": PART,
            "code.py": CODE,
            "moved.py": MOVED,
            "hist.txt": "first\n",
            ".gitignore": ".env\n*.log\nnode_modules/\n",
            "huge.bin": _pattern(HUGE, 1),
        },
    )
    (root / "hist.txt").write_text("first\nsecond\n")
    git(root, "commit", "-qam", "second")
    (root / "b.txt").write_text("b one\nb stashed\n")
    git(root, "stash", "-q")  # the person's own stash entry
    (root / "a.txt").write_text("a one\na two, unstaged\n")
    (root / "b.txt").write_text("b one\nb two, staged\n")
    git(root, "add", "b.txt")
    (root / "part.txt").write_text(PART.replace("part 2\n", "part 2 staged\n"))
    git(root, "add", "part.txt")
    (root / "part.txt").write_text(PART.replace("part 2\n", "part 2 staged\n").replace("part 29\n", "part 29 unstaged\n"))
    (root / "notes.txt").write_text("my untracked notes\n")
    (root / "big.bin").write_bytes(_pattern(BIG, 2))
    data = bytearray(_pattern(HUGE, 1))
    data[HUGE // 2] ^= 0xFF
    (root / "huge.bin").write_bytes(bytes(data))
    (root / ".env").write_text("SECRET_TOKEN=mine\n")
    os.chmod(root / ".env", 0o600)
    return root


@dataclass(frozen=True)
class Picture:
    files: dict[str, tuple[bytes | None, int | None]]
    ls_files: dict[str, str]
    staged_diff: bytes
    head: str
    symbolic: str
    refs: str
    stash: str
    config: bytes
    hooks: dict[str, bytes]


def _read(root: Path, path: str) -> tuple[bytes | None, int | None]:
    full = root / path
    if not full.exists():
        return None, None
    return full.read_bytes(), full.stat().st_mode & 0o777


def picture(root: Path, paths: tuple[str, ...] = PERSON) -> Picture:
    ls = {}
    for line in git_bytes(root, "ls-files", "-s", "-z").split(b"\0"):
        if line:
            meta, _, path = line.partition(b"\t")
            ls[path.decode()] = meta.decode()
    hooks = {p.name: p.read_bytes() for p in sorted((root / ".git" / "hooks").iterdir())} if (root / ".git" / "hooks").exists() else {}
    return Picture(
        files={p: _read(root, p) for p in paths},
        ls_files=ls,
        staged_diff=git_bytes(root, "diff", "--cached", "--binary"),
        head=git(root, "rev-parse", "HEAD").strip(),
        symbolic=git(root, "symbolic-ref", "-q", "HEAD", check=False).strip(),
        refs=git(root, "for-each-ref", "--format=%(objectname) %(refname)"),
        stash=git(root, "stash", "list", "--format=%H %gs"),
        config=(root / ".git" / "config").read_bytes(),
        hooks=hooks,
    )


def tree_blob(root: Path, rev: str, path: str) -> bytes | None:
    out = git(root, "ls-tree", rev, "--", path).strip()
    if not out:
        return None
    return git_bytes(root, "cat-file", "blob", out.split()[2])
