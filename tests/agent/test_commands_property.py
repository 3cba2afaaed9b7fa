"""Property: random agent commands (git and file operations) over random work of the person's,
in auto mode, against an oracle.

The oracle: the person's files (every byte), their staged diff, HEAD's parent, refs, stash and
config are as before the turn; hunk's commit (if any) holds exactly what the turn left on disk
for paths that were not the person's, and nothing of the person's paths.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from hunk.agent.assemble import RunSpec, build_agent
from hunk.journal.journal import SessionStore
from hunk.settings.config import load_config
from hunk.values.events import Event
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import IDENTITY, git, git_bytes, make_repo

CASES = 40
FILES = [f"f{i}.txt" for i in range(6)]

# What the agent's commands may do: {p} a person's-or-not file, {c} a clean file, {n} a new name.
AGENT_COMMANDS = [
    "git add -A",
    "git add {p}",
    "git commit -qam agent-commit",
    "git add -A && git commit -qm agent-commit",
    "git commit --amend -qm amended",
    "git stash -q",
    "git stash -qu",
    "git stash drop -q",
    "git reset -q",
    "git reset -q --hard",
    "git reset -q --soft HEAD~1",
    "git checkout -- .",
    "git checkout -- {p}",
    "git restore --staged {p}",
    "git rm -q --cached {p}",
    "git rm -qf {p}",
    "git clean -qfd",
    "git clean -qfdx",
    "git checkout -qb branch{n}",
    "git checkout -q --detach",
    "git tag tag{n}",
    "git config user.name Sneaky",
    "git mv {c} moved{n}.txt",
    "rm -f {p}",
    "rm -f .env",
    "echo agent > agent{n}.txt",
    "echo more >> {c}",
    "sed -i 's/line/LINE/' {c}",
]


def _person_work(root: Path, chance: random.Random) -> tuple[str, ...]:
    """Random uncommitted work; returns the person's paths."""
    theirs = []
    for path in FILES:
        what = chance.choice(["clean", "clean", "unstaged", "staged", "partly", "deleted"])
        full = root / path
        if what == "unstaged":
            full.write_text(full.read_text() + "person unstaged\n")
        elif what == "staged":
            full.write_text(full.read_text() + "person staged\n")
            git(root, "add", path)
        elif what == "partly":
            full.write_text("person staged first\n" + full.read_text())
            git(root, "add", path)
            full.write_text(full.read_text() + "person unstaged last\n")
        elif what == "deleted":
            full.unlink()
        if what != "clean":
            theirs.append(path)
    for i in range(chance.randint(0, 2)):
        (root / f"untracked{i}.txt").write_text(f"person untracked {i}\n")
        theirs.append(f"untracked{i}.txt")
    (root / ".env").write_text("TOKEN=person\n")
    theirs.append(".env")
    return tuple(theirs)


def _state(root: Path, paths: tuple[str, ...]) -> dict[str, object]:
    return {
        "files": {p: (root / p).read_bytes() if (root / p).exists() else None for p in paths},
        "staged": git_bytes(root, "diff", "--cached", "--binary"),
        "refs": [r for r in git(root, "for-each-ref", "--format=%(objectname) %(refname)").splitlines() if not r.endswith("refs/heads/main")],
        "stash": git(root, "stash", "list", "--format=%H %gs"),
        "config": (root / ".git" / "config").read_bytes(),
        "branch": git(root, "symbolic-ref", "-q", "HEAD", check=False).strip(),
    }


def _commands(root: Path, chance: random.Random, theirs: tuple[str, ...]) -> list[str]:
    clean = [p for p in FILES if p not in theirs] or ["fresh.txt"]
    out = []
    for n in range(chance.randint(1, 4)):
        template = chance.choice(AGENT_COMMANDS)
        out.append(template.format(p=chance.choice(FILES + list(theirs)), c=chance.choice(clean), n=n))
    return out


@pytest.mark.parametrize("seed", range(CASES))
async def test_random_agent_commands_never_touch_the_persons_work_or_git_state(seed: int, fake: FakeProvider, tmp_path: Path) -> None:
    chance = random.Random(1000 + seed)
    root = make_repo(tmp_path / "repo", {**{p: "".join(f"line {i} of {p}\n" for i in range(8)) for p in FILES}, ".gitignore": ".env\n"})
    (root / "f0.txt").write_text((root / "f0.txt").read_text() + "second commit\n")
    git(root, "commit", "-qam", "second")
    git(root, "stash", "list")
    theirs = _person_work(root, chance)
    before = _state(root, theirs)
    head = git(root, "rev-parse", "HEAD").strip()
    commands = _commands(root, chance, theirs)
    fake.script(
        *[Reply(tool_calls=[ToolCall("run_command", {"command": c})]) for c in commands],
        Reply(tool_calls=[ToolCall("write_file", {"path": "agent_note.md", "content": "the agent was here\n"})]),
        Reply(text="Done."),
        Reply(text="Agent work"),
    )
    env = {**os.environ, **IDENTITY, "ANTHROPIC_BASE_URL": fake.url, "ANTHROPIC_API_KEY": "test-key"}
    config = load_config(root, env, {"model": "anthropic:claude-haiku-4-5", "approval": "auto"})
    journal = SessionStore(tmp_path / "state", root).create()
    events: list[Event] = []
    from tests.agent.conftest import ScriptedApprover

    agent = build_agent(RunSpec(root=root, config=config, mode="auto", env=env, journal=journal), ScriptedApprover(), events.append)

    outcome = await agent.run_turn("do things")

    assert outcome.status == "done", commands
    after = _state(root, theirs)
    changed = {p: (before["files"][p], after["files"][p]) for p in theirs if before["files"][p] != after["files"][p]}  # type: ignore[index]
    assert changed == {}, commands
    assert after == before, commands
    assert git(root, "rev-parse", "HEAD~1").strip() == head, commands
    committed = git(root, "diff-tree", "-r", "--no-renames", "--name-only", "--no-commit-id", "HEAD").split()
    assert "agent_note.md" in committed
    assert not set(committed) & set(theirs), commands
    for path in committed:
        on_disk = (root / path).read_bytes() if (root / path).exists() else None
        listed = git(root, "ls-tree", "HEAD", "--", path).split()
        in_commit = git_bytes(root, "cat-file", "blob", listed[2]) if listed else None
        assert in_commit == on_disk, (path, commands)
