"""Hostile commands under `hunk run --yes`, with the person's full set of work present.

Each command from the issue's table runs, then the agent edits a file of its own. After
the turn, and again after `hunk undo`: the person's files (unstaged, staged, partly staged,
untracked, large, ignored) are byte-identical, their index (`git ls-files -s`, staged diff),
branch, refs, stash, config and hooks are as before, HEAD has only hunk's own commit on top,
and that commit holds exactly the agent's changes (its edit, plus what the command did to files
that were not the person's).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.gitstate_helpers import CODE, MOVED, PERSON, picture, person_repo, tree_blob
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, run_hunk

MODEL = "anthropic:claude-haiku-4-5"
EDITED = CODE.replace("41", "42")

HOSTILE = {
    "add-all-commit": "git add -A && git commit -qm sneak",
    "commit-am": "git commit -qam sneak",
    "amend": "git commit --amend -qm rewritten",
    "reset-soft": "git reset -q --soft HEAD~1",
    "reset-hard": "git reset -q --hard HEAD~1",
    "update-ref": "git update-ref refs/heads/main HEAD~1",
    "branch-delete": "git checkout -q --detach && git branch -qD main",
    "add-all": "git add -A",
    "reset-index": "git reset -q",
    "restore-staged": "git restore --staged .",
    "stash": "git stash -q",
    "stash-all": "git stash -qa",
    "stash-drop": "git stash drop -q",
    "read-tree": "git read-tree --empty",
    "rm-f": "git rm -qf b.txt",
    "checkout-b": "git checkout -qb other",
    "switch-c": "git switch -qc other2",
    "detach": "git checkout -q --detach",
    "symbolic-ref": "git symbolic-ref HEAD refs/heads/elsewhere",
    "tag": "git tag sneaky HEAD~1",
    "fsmonitor": "git config core.fsmonitor 'touch {marker}'",
    "hooks-path": "git config core.hooksPath /nonexistent-hooks && git config core.pager 'touch {marker}'",
    "alias": "git config alias.st '!touch {marker}'",
    "plant-hook": "printf '#!/bin/sh\\ntouch {marker}\\nexit 1\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit",
    "checkout-partly-staged": "git checkout -- part.txt",
    "checkout-huge": "git checkout -- huge.bin",
    "rm-env": "rm .env",
    "clobber-env": "echo x > .env",
    "clean-fdx": "git clean -qfdx",
    "rm-big-untracked": "rm big.bin notes.txt",
    "mv-then-edit": "git mv moved.py renamed.py && echo '# more' >> renamed.py",
}


def _script(command: str) -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("run_command", {"command": command})]),
        Reply(tool_calls=[ToolCall("read_file", {"path": "code.py"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "code.py", "old_string": "41", "new_string": "42"})]),
        Reply(text="Done."),
        Reply(text="Answer 42"),
    ]


def _commit_files(root: Path) -> list[str]:
    return sorted(git(root, "diff-tree", "-r", "--no-renames", "--name-only", "--no-commit-id", "HEAD").split())


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_command_leaves_the_persons_work_and_git_state_as_they_were(name: str, fake: FakeProvider, tmp_path: Path) -> None:
    root = person_repo(tmp_path / "repo")
    marker = tmp_path / "pwned"
    command = HOSTILE[name].replace("{marker}", str(marker))
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    before = picture(root)
    fake.script(*_script(command))

    done = run_hunk(root, env, "run", "--yes", "--json", "-m", MODEL, "make the answer 42")

    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(e["type"] == "commit.created" for e in events)
    after = picture(root)
    assert after.files == before.files  # every byte and permission of the person's files
    assert after.staged_diff == before.staged_diff
    committed = _commit_files(root)
    assert {p: m for p, m in after.ls_files.items() if p not in committed} == {
        p: m for p, m in before.ls_files.items() if p not in committed
    }
    assert git(root, "rev-parse", "HEAD~1").strip() == before.head
    assert after.symbolic == before.symbolic == "refs/heads/main"
    assert [r for r in after.refs.splitlines() if not r.endswith("refs/heads/main")] == [
        r for r in before.refs.splitlines() if not r.endswith("refs/heads/main")
    ]
    assert after.stash == before.stash
    assert after.config == before.config
    assert after.hooks == before.hooks
    assert not marker.exists(), "a planted command ran"
    # hunk's commit: exactly the agent's changes, none of the person's files
    assert "code.py" in committed and not set(committed) & set(PERSON)
    assert tree_blob(root, "HEAD", "code.py") == EDITED.encode()
    for path in committed:
        assert tree_blob(root, "HEAD", path) == ((root / path).read_bytes() if (root / path).exists() else None)
    if name == "mv-then-edit":
        status = git(root, "diff", "-M", "--name-status", "HEAD~1", "HEAD")
        assert "R" in status.split()[0] or any(line.startswith("R") for line in status.splitlines())
        assert tree_blob(root, "HEAD", "renamed.py") == (MOVED + "# more\n").encode()

    undone = run_hunk(root, env, "undo")

    assert undone.returncode == 0, undone.stderr
    final = picture(root)
    assert final.files == before.files
    assert final.ls_files == before.ls_files
    assert final.staged_diff == before.staged_diff
    assert final.head == before.head and final.symbolic == before.symbolic
    assert final.refs == before.refs and final.stash == before.stash and final.config == before.config
    assert (root / "code.py").read_text() == CODE


def test_a_failing_commit_msg_hook_ends_hunk_run_non_zero_with_an_error_event(fake: FakeProvider, tmp_path: Path) -> None:
    root = person_repo(tmp_path / "repo")
    hook = root / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\necho 'subject must name a ticket' >&2\nexit 1\n")
    hook.chmod(0o755)
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    before = picture(root)
    fake.script(*_script("true"))

    done = run_hunk(root, env, "run", "--yes", "--json", "-m", MODEL, "make the answer 42")

    assert done.returncode == 1
    events = [json.loads(line) for line in done.stdout.splitlines()]
    errors = [e for e in events if e["type"] == "error"]
    assert errors and errors[0]["kind"] == "hook" and "ticket" in errors[0]["message"]
    assert not any(e["type"] == "commit.created" for e in events)
    assert git(root, "rev-parse", "HEAD").strip() == before.head
    assert picture(root).files == before.files
    assert (root / "code.py").read_text() == EDITED  # left uncommitted on disk
