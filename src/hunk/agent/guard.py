"""The trust boundary around one command: what hunk does before it starts and after it ends.

Before (`CommandGuard.before`): every byte the person has is kept (`workspace.keep`) and the
keep is journalled (`command.begin`) before the command starts, so `hunk recover` can put it
all back after a `kill -9`; the command gets a fresh scratch copy of the person's index.
After (`CommandGuard.after`): git state the command moved (HEAD, refs, stash, config, hooks,
the person's index) and the person's ignored files it touched are put back, before anything
else runs git; the words for the model say so. `close` journals `command.end` once the
command's file changes are journalled as writes.

Finding which files a command changed is not this module's business (`command_changes`); this
one only keeps and restores. Blocking: run the methods off the event loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hunk.journal.journal import Journal
from hunk.journal.records import COMMAND_BEGIN, COMMAND_END
from hunk.settings import prompts
from hunk.workspace import gitstate, keep
from hunk.workspace.errors import GitStateError
from hunk.workspace.git import GitRepo, open_repo
from hunk.workspace.keep import KeepRefused, Manifest
from hunk.workspace.keep_restore import content, put_back_ignored

__all__ = ["CommandGuard", "Guarded", "KeepRefused"]


@dataclass
class Guarded:
    """One command's keep, and what was put back after it."""

    manifest: Manifest
    moved: list[str] = field(default_factory=list)  # git state put back, in words
    ignored: list[str] = field(default_factory=list)  # the person's ignored files put back

    def words(self) -> str:
        """What the model is told about it (empty when nothing was put back)."""
        lines = []
        if self.moved:
            lines.append(prompts.message("changes.git_state_restored", what=", ".join(self.moved)))
        if self.ignored:
            lines.append(prompts.message("changes.ignored_restored", paths=", ".join(self.ignored)))
        return "\n".join(lines)


class CommandGuard:
    def __init__(
        self,
        root: Path,
        journal: Journal | None,
        *,
        budget_mb: int = 1024,
        regenerable: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.journal = journal
        self.budget = budget_mb * 1_048_576
        self.regenerable = regenerable
        self.base_env = dict(os.environ) if env is None else dict(env)
        self._repo: GitRepo | None = None
        self._previous: Manifest | None = None

    def repo(self) -> GitRepo | None:
        if self._repo is None:
            try:
                self._repo = open_repo(self.root)
            except GitStateError:
                return None
        return self._repo

    def before(self, sandboxed: bool = False) -> tuple[Guarded | None, dict[str, str]]:
        """Keep everything and journal it; the command's environment (for a `sandboxed` one, its
        git writes objects to hunk's scratch, not to the read-only store). Raises KeepRefused."""
        repo = self.repo()
        if repo is None:
            return None, dict(self.base_env)
        manifest = keep.take(repo, self.budget, self.regenerable, self._previous)
        if self.journal is not None:
            self.journal.append(COMMAND_BEGIN, keep=manifest.id)
        keep.Store(repo).keep_only(keep.objects_of(manifest))  # the journal names no older keep
        self._previous = manifest
        env = {**self.base_env, "GIT_INDEX_FILE": str(gitstate.scratch_index(repo))}
        if sandboxed:
            env.update(gitstate.sandboxed_objects(repo, self.base_env))
        return Guarded(manifest), env

    def after(self, guarded: Guarded | None) -> None:
        """Put back git state and the person's ignored files the command touched."""
        repo = self.repo()
        if guarded is None or repo is None or guarded.manifest.git is None:
            return
        guarded.moved = gitstate.put_back(repo, guarded.manifest.git)
        if gitstate.put_back_index(repo, guarded.manifest.git):
            guarded.moved.append("the index")
        guarded.ignored = put_back_ignored(repo, guarded.manifest)

    def kept_content(self, guarded: Guarded | None, path: str) -> bytes | None:
        repo = self.repo()
        if guarded is None or repo is None:
            return None
        return content(repo, guarded.manifest, path)

    def close(self, guarded: Guarded | None) -> None:
        if guarded is not None and self.journal is not None:
            self.journal.append(COMMAND_END, keep=guarded.manifest.id, moved=guarded.moved, ignored=guarded.ignored)
