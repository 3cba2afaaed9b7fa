"""The installed `hunk`, driven in tmux like a person: three turns against the fake model, then
`/rewind`, pick the second turn in the picker, take back code and conversation — then read git
and the conversation the next request sends.

Every wait is on state (the commits in `git log`, the picker's own title), never on words the
model might also print."""

from __future__ import annotations

import json
from collections.abc import Callable
import time
from pathlib import Path

from tests.e2e.test_tmux_demo import Tmux, installed_hunk
from tests.fakeserver import FakeProvider, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo

MODEL = "anthropic:claude-haiku-4-5"
ORIGINAL = "".join(f"line {i}\n" for i in range(1, 21))


def a_turn(line: int) -> list[Reply]:
    return [
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("edit_file", {"path": "notes.txt", "old_string": f"line {line}\n", "new_string": f"line {line} (turn)\n"})]),
        Reply(text="Done."),
        Reply(text=f"Mark line {line}"),  # the commit message
    ]


def wait_until(tmux: Tmux, what: str, check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"never saw {what}; the screen:\n{tmux.screen()}")


def turns_ended(home: Path) -> int:
    """Turns the session's journal says have ended (the TUI takes the next prompt then)."""
    records = [json.loads(line) for path in (home / ".state").rglob("*.jsonl") for line in path.read_text().splitlines()]
    return sum(1 for r in records if r.get("t") == "turn.end")


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def sent_prompts(fake: FakeProvider) -> list[str]:
    """The person's prompts in the conversation of the latest request."""
    texts = []
    for m in fake.bodies("/v1/messages")[-1]["messages"]:
        if m["role"] == "user":
            content = m["content"] if isinstance(m["content"], list) else [{"type": "text", "text": m["content"]}]
            texts += [c["text"] for c in content if c.get("type") == "text" and c["text"].startswith("prompt ")]
    return texts


def test_a_person_rewinds_two_turns_in_the_picker_and_the_next_prompt_goes_on_from_there(
    fake: FakeProvider, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    (root / "mine.txt").write_text("the person's own, never committed\n")
    env = hunk_env(
        tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key", TERM="xterm-256color", LANG="C.UTF-8"
    )
    start = git(root, "rev-parse", "HEAD").strip()
    tmux = Tmux(f"{installed_hunk()} --yes -m {MODEL}", env, extra=("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"), cwd=root)
    try:
        tmux.wait_for("Ask for a change")
        for n, line in enumerate((2, 8, 14), start=1):
            fake.script(*a_turn(line))
            tmux.keys(f"prompt {n}: mark line {line}", "Enter")
            tmux.wait_for("Commit (ctrl+s)")  # the commit screen: the person keeps the message
            tmux.keys("C-s")
            wait_until(tmux, f"turn {n}'s commit", lambda n=n: len(commits(root)) == 1 + n)
            wait_until(tmux, f"turn {n} to end", lambda n=n: turns_ended(tmp_path / "home") == n)
        heads = git(root, "log", "--format=%H").splitlines()[::-1]  # the start, then one commit a turn

        tmux.keys("/rewind", "Enter")
        screen = tmux.wait_for("Rewind to before a turn")
        assert "prompt 1: mark line 2" in screen and "prompt 3: mark line 14" in screen
        tmux.keys("Up")  # from the latest turn (highlighted) to the second
        tmux.keys("Enter")  # code and conversation

        after_turn_1 = ORIGINAL.replace("line 2\n", "line 2 (turn)\n")
        wait_until(  # HEAD moves first, then the working tree follows: wait for both
            tmux, "the rewind in git and the working tree",
            lambda: git(root, "rev-parse", "HEAD").strip() == heads[1] and (root / "notes.txt").read_text() == after_turn_1,
        )
        assert heads[0] == start
        assert (root / "mine.txt").read_text() == "the person's own, never committed\n"
        assert git(root, "status", "--porcelain") == "?? mine.txt\n"

        fake.script(Reply(text="Hello again."))
        tmux.keys("prompt 4: where are we?", "Enter")
        wait_until(tmux, "the fourth turn to end", lambda: turns_ended(tmp_path / "home") == 4)
        assert sent_prompts(fake) == ["prompt 1: mark line 2", "prompt 4: where are we?"]

        tmux.keys("/redo", "Enter")  # the conversation cannot come back after new work
        tmux.wait_for("Nothing to redo")
    finally:
        tmux.close()
