"""Commit exactly the agent's accepted changes, and take such a commit back.

`commit_accepted` builds the commit from HEAD's tree plus only the agent's delta (before →
after) carried over to HEAD's version of each file, in a temporary index, and lets `git commit`
make the commit (so hooks, core.hooksPath and signing config behave as the user expects). The
user's real index then gets the same delta on the entries the user had staged, and the new
HEAD's blob elsewhere; the working tree is never touched. A delta that cannot be separated from
the user's own uncommitted edits leaves that file out (`CommitResult.unseparable`).

`undo_last` moves the branch back when the agent's commit is HEAD and on no remote-tracking
branch, and makes a revert commit otherwise; either way the agent's changes leave the working
tree and index, and the user's other work stays, or nothing changes at all (`UndoConflict`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hunk.settings.prompts import message
from hunk.workspace import tree
from hunk.workspace.changeset import FileChange
from hunk.workspace.errors import GitCommandFailed, GitStateError, HookFailed, UndoConflict
from hunk.workspace.filters import converted_paths, to_blob_form, to_disk_form
from hunk.workspace.git import (
    commit_index,
    GITLINK,
    Entry,
    GitRepo,
    ensure_can_commit,
    git_ok,
    head_sha,
    ignored_paths,
    index_entries,
    load_entries,
    repo_state,
    run_git,
    set_index,
    set_index_ids,
    write_blob,
    tree_entries,
)
from hunk.workspace.gitstate import hunk_dir
from hunk.workspace.merge import Unseparable, rebase_delta

TEMPORARY_INDEX = "hunk-index-"


@dataclass(frozen=True)
class CommitResult:
    sha: str | None  # None when nothing was left to commit
    files: tuple[str, ...]  # paths the commit changed
    unseparable: tuple[str, ...] = ()  # accepted but tangled with the user's edits: not committed
    ignored: tuple[str, ...] = ()  # new files matching .gitignore: not committed


@dataclass(frozen=True)
class UndoResult:
    mode: str  # "reset" (branch moved back) or "revert" (a revert commit was made)
    sha: str | None  # the new HEAD (None when the undone commit was the root commit)
    files: tuple[str, ...]


def rebase_entry(target: Entry, base: Entry, changed: Entry) -> Entry:
    """`target` plus the change base → changed, modes included. Raises Unseparable."""
    if target[1] == GITLINK:
        raise Unseparable
    content = rebase_delta(target[0], base[0], changed[0])
    if content is None:
        return None, None
    if target[0] is None or (
        base[1] != changed[1] and base[0] is not None and changed[0] is not None
    ):
        return content, changed[1] or tree.REGULAR
    return content, target[1]


def _hooks_folder(repo: GitRepo) -> Path:
    """Where git looks for hooks: `--git-path hooks` already follows core.hooksPath (and `~`)."""
    out = run_git(repo.root, "rev-parse", "--git-path", "hooks").decode().strip()
    return repo.root / out  # relative to the top level, unless absolute


def _hooks(repo: GitRepo) -> list[str]:
    """The commit hooks the repository has, by name."""
    folder = _hooks_folder(repo)
    return [name for name in ("pre-commit", "prepare-commit-msg", "commit-msg") if (folder / name).is_file()]


def _hooks_present(repo: GitRepo) -> bool:
    return bool(_hooks(repo))


Intent = dict[str, object]  # what `commit_accepted` is about to do, for the journal (recovery)


def _commit_tree(
    repo: GitRepo,
    head: str | None,
    entries: dict[str, Entry],
    text: str,
    run_hooks: bool,
    on_intent: Callable[[Intent], None] | None = None,
    index_after: dict[str, tuple[str | None, int | None]] | None = None,
) -> str:
    """Commit HEAD's tree with `entries` replaced, through a temporary index and `git commit`
    (GitPython's command layer).

    The tree to commit is written first and, with `on_intent`, journalled before `git commit`
    runs; a hook that changes what is committed (`git add -u` sweeping in the person's edits)
    gets the commit taken back and HookFailed naming it."""
    index_file = hunk_dir(repo) / f"{TEMPORARY_INDEX}{uuid.uuid4().hex[:12]}"
    env = {"GIT_INDEX_FILE": str(index_file)}
    try:
        if head is not None:
            run_git(repo.root, "read-tree", head, env=env)
        set_index(repo, entries, env=env)
        planned = run_git(repo.root, "write-tree", env=env).decode().strip()
        if on_intent is not None:
            on_intent({"head": head, "tree": planned, "index": index_after or {}})
        try:
            commit_index(repo, text, index_file=index_file, verify=run_hooks)
        except GitCommandFailed as error:
            if run_hooks and _hooks_present(repo):
                raise HookFailed(message("workspace.hook_failed"), error.output) from error
            raise
    finally:
        index_file.unlink(missing_ok=True)
        index_file.with_name(index_file.name + ".lock").unlink(missing_ok=True)
    sha = head_sha(repo)
    if sha is None or sha == head:
        raise GitStateError(
            message("workspace.git_failed", command="commit", reason="HEAD did not move")
        )
    made = run_git(repo.root, "rev-parse", f"{sha}^{{tree}}").decode().strip()
    if made != planned:
        swept = _changed_between(repo, planned, made)
        _take_back(repo, sha, head)
        hooks = " / ".join(_hooks(repo)) or "commit"
        raise HookFailed(message("workspace.hook_changed_commit", hooks=hooks, paths=", ".join(swept)), "")
    return sha


def _changed_between(repo: GitRepo, first: str, second: str) -> list[str]:
    out = run_git(repo.root, "diff-tree", "-r", "-z", "--no-renames", "--name-only", first, second)
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def _take_back(repo: GitRepo, sha: str, head: str | None) -> None:
    """Move HEAD (and its branch) from `sha` back to `head`, as if the commit never happened."""
    branch = repo_state(repo).branch
    _move_head(repo, branch, sha, head)


def remove_stray_indexes(repo: GitRepo) -> None:
    """Temporary indexes a killed commit left (older hunks made them in the git dir itself)."""
    for stray in [*repo.git_dir.glob(f"{TEMPORARY_INDEX}*"), *hunk_dir(repo).glob(f"{TEMPORARY_INDEX}*")]:
        stray.unlink(missing_ok=True)


def finish_interrupted_commit(repo: GitRepo, intent: Intent) -> str | None:
    """After a crash during a commit: the commit's sha when it was made as planned (the
    person's index then gets its planned entries), None when it was not (a commit a hook had
    changed is taken back). Stray temporary indexes are removed either way."""
    remove_stray_indexes(repo)
    head = head_sha(repo)
    before = intent.get("head")
    if head is None or head == before:
        return None
    parent = run_git(repo.root, "rev-parse", "-q", "--verify", f"{head}^1", check=False).decode().strip() or None
    if parent != before:
        return None  # HEAD moved some other way: not this commit
    tree_now = run_git(repo.root, "rev-parse", f"{head}^{{tree}}").decode().strip()
    if tree_now != intent.get("tree"):
        _take_back(repo, head, before)  # type: ignore[arg-type]
        return None
    set_index_ids(repo, intent.get("index") or {})  # type: ignore[arg-type]
    return head


@dataclass(frozen=True)
class _Plan:
    """Where each accepted change lands: HEAD's and the index's new entries, or why not."""

    heads: dict[str, Entry]
    commit: dict[str, Entry]
    index: dict[str, Entry]
    unseparable: tuple[str, ...]
    ignored: tuple[str, ...]


def _plan(repo: GitRepo, head: str | None, changes: list[FileChange]) -> _Plan:
    wanted = [c for c in changes if not c.is_noop]
    paths = [c.path for c in wanted]
    heads = load_entries(repo, tree_entries(repo, head, paths), paths)
    staged = load_entries(repo, index_entries(repo, paths), paths)
    unknown = [p for p in paths if heads[p][0] is None and staged[p][0] is None]
    ignored = ignored_paths(repo, unknown)
    converted = converted_paths(repo.root, paths)
    commit: dict[str, Entry] = {}
    index: dict[str, Entry] = {}
    unseparable: list[str] = []
    for change in wanted:
        if change.path in ignored:
            continue
        before, after = change.before, change.after
        if change.path in converted:  # compare in blob form (autocrlf, filters)
            before = to_blob_form(repo.root, change.path, before)
            after = to_blob_form(repo.root, change.path, after)
        base, changed = (before, change.before_mode), (after, change.after_mode)
        try:
            new_head = rebase_entry(heads[change.path], base, changed)
            new_index = rebase_entry(staged[change.path], base, changed)
        except Unseparable:
            unseparable.append(change.path)
            continue
        if new_head != heads[change.path]:
            commit[change.path] = new_head
        if new_index != staged[change.path]:
            index[change.path] = new_index
    return _Plan(heads, commit, index, tuple(unseparable), tuple(sorted(ignored)))


def entangled(repo: GitRepo, changes: list[FileChange]) -> dict[str, Entry]:
    """The changes that cannot be committed apart from the user's own uncommitted edits in the
    same lines, with HEAD's entry of each (content as a checkout writes it, and mode).

    A caller that has the person's yes to commit such a file whole passes a change whose
    `before` is that HEAD content: the commit then holds the file as it is on disk."""
    plan = _plan(repo, head_sha(repo), changes)
    converted = converted_paths(repo.root, list(plan.unseparable))
    out: dict[str, Entry] = {}
    for path in plan.unseparable:
        content, mode = plan.heads[path]
        out[path] = (to_disk_form(repo.root, path, content) if path in converted else content, mode)
    return out


def commit_accepted(
    repo: GitRepo,
    changes: list[FileChange],
    text: str,
    *,
    run_hooks: bool = True,
    on_intent: Callable[[Intent], None] | None = None,
) -> CommitResult:
    """One commit of HEAD plus the agent's accepted changes (already on disk) and nothing else.

    Each change's `before` is the working tree before the agent touched the file, `after` the
    accepted content. Raises GitStateError (merge in progress, index.lock, git failure) or
    HookFailed; in both cases nothing was committed and no file or index entry changed.
    `on_intent` receives, before `git commit` runs, what recovery needs to recognise the commit
    after a crash (`finish_interrupted_commit`).
    """
    state = ensure_can_commit(repo)
    plan = _plan(repo, state.head, changes)
    if not plan.commit:
        return CommitResult(None, (), plan.unseparable, plan.ignored)
    index_after = {
        p: (write_blob(repo, content) if content is not None else None, mode)
        for p in plan.commit
        if p in plan.index
        for content, mode in [plan.index[p]]
    }
    sha = _commit_tree(repo, state.head, plan.commit, text, run_hooks, on_intent, index_after)
    set_index_ids(repo, index_after)
    return CommitResult(sha, tuple(plan.commit), plan.unseparable, plan.ignored)


# --- undo ------------------------------------------------------------------------------------


def _changed_paths(repo: GitRepo, sha: str) -> list[str]:
    out = run_git(
        repo.root,
        "diff-tree",
        "-r",
        "-z",
        "--no-renames",
        "--root",
        "--name-only",
        "--no-commit-id",
        sha,
    )
    return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]


def _parent(repo: GitRepo, sha: str) -> str | None:
    out = run_git(repo.root, "rev-parse", "-q", "--verify", f"{sha}^1", check=False)
    return out.decode().strip() or None


def _pushed(repo: GitRepo, sha: str) -> bool:
    return bool(run_git(repo.root, "branch", "-r", "--contains", sha).strip())


def undo_last(repo: GitRepo, agent_commit: str, *, run_hooks: bool = True) -> UndoResult:
    """Take back the agent's commit; the user's other work (tree, index, untracked) stays."""
    state = ensure_can_commit(repo)
    sha = run_git(repo.root, "rev-parse", "--verify", f"{agent_commit}^{{commit}}").decode().strip()
    if state.head is None or not git_ok(repo.root, "merge-base", "--is-ancestor", sha, state.head):
        raise GitStateError(message("workspace.undo_not_agent", sha=sha[:12]))
    parent = _parent(repo, sha)
    paths = _changed_paths(repo, sha)
    mine = load_entries(repo, tree_entries(repo, sha, paths), paths)
    theirs = load_entries(repo, tree_entries(repo, parent, paths), paths)
    staged = load_entries(repo, index_entries(repo, paths), paths)
    # a detached HEAD cannot go back to no commit at all: the root commit is reverted there
    reset = sha == state.head and not _pushed(repo, sha)
    reset = reset and (parent is not None or state.branch is not None)
    heads = mine if reset else load_entries(repo, tree_entries(repo, state.head, paths), paths)
    worktree: dict[str, Entry] = {}
    index: dict[str, Entry] = {}
    commit: dict[str, Entry] = {}
    tangled = []
    converted = converted_paths(repo.root, paths)
    for path in paths:
        disk = tree.read_state(repo.root, path)
        if path in converted:
            disk = (to_blob_form(repo.root, path, disk[0]), disk[1])
        try:
            worktree[path] = rebase_entry(disk, mine[path], theirs[path])
            index[path] = rebase_entry(staged[path], mine[path], theirs[path])
            commit[path] = rebase_entry(heads[path], mine[path], theirs[path])
        except Unseparable:
            tangled.append(path)
            continue
        if worktree[path] == disk:
            del worktree[path]
    if tangled:
        raise UndoConflict(
            message("workspace.undo_conflict", paths=", ".join(tangled)), tuple(tangled)
        )
    if reset:
        _move_head(repo, state.branch, sha, parent)
        new_head = parent
    else:
        subject = (
            run_git(repo.root, "log", "-1", "--format=%s", sha).decode("utf-8", "replace").strip()
        )
        text = f'Revert "{subject}"\n\nThis reverts commit {sha}.\n'
        new_head = _commit_tree(repo, state.head, commit, text, run_hooks)
    set_index(repo, index)
    for path, (content, mode) in worktree.items():
        if path in converted:
            content = to_disk_form(repo.root, path, content)
        parents = [p.as_posix() for p in Path(path).parents if p != Path(".")]
        tree.write_atomic(repo.root, path, content, mode, prune=parents)
    return UndoResult("reset" if reset else "revert", new_head, tuple(paths))


def _move_head(repo: GitRepo, branch: str | None, old: str, new: str | None) -> None:
    """Move the branch (or a detached HEAD) from `old` to `new`; None leaves the branch unborn.
    Never deletes HEAD itself: a detached HEAD without a commit would be no repository at all."""
    note = "hunk: undo agent commit"
    if new is None:
        run_git(repo.root, "update-ref", "-m", note, "-d", f"refs/heads/{branch}", old)
    elif branch is None:
        run_git(repo.root, "update-ref", "--no-deref", "-m", note, "HEAD", new, old)
    else:
        run_git(repo.root, "update-ref", "-m", note, f"refs/heads/{branch}", new, old)


def show_commits(root: Path, shas: list[str]) -> str:
    """The patches of these commits in the order given (a session's: oldest first), as `git show`
    prints them. (`git show` of named commits walks no history: `--reverse` would do nothing.)"""
    if not shas:
        return ""
    out = run_git(root, "show", "--no-color", "--format=commit %H%n%n    %s%n", *shas)
    return out.decode("utf-8", "replace")
