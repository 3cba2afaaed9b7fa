"""`hunk run` on a terminal: the `git add -p`-style review, answered through a real tty."""

from __future__ import annotations

import json
import sys
from pathlib import Path


from tests.cli.ptyrun import PtyHunk
from tests.fakeserver import FakeProvider, Held, Reply, ToolCall
from tests.gitrepo import git, hunk_env, make_repo

MODEL = "anthropic:claude-haiku-4-5"
ORIGINAL = "".join(f"line {i}\n" for i in range(1, 21))
EDITED = ORIGINAL.replace("line 2\n", "line two\n").replace("line 18\n", "line eighteen\n")


def test_review_mode_on_a_terminal_accepts_one_hunk_rejects_the_other_with_a_note(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": EDITED})]),
        Reply(text="Renamed both."),
        Reply(text="Rename lines two and eighteen"),  # asked as the review begins, for both hunks
        Reply(text="Rename line two"),  # asked again for what was accepted
        Reply(text="Fine, line 18 stays."),
    )
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "-m", MODEL, "rename lines")
    run.expect("(1/2) Accept this hunk")
    run.type("y")
    run.expect("(2/2) Accept this hunk")
    run.type("r")
    run.expect("Note for the model:")
    run.type("line 18 is referenced elsewhere")
    run.expect("Rename line two")  # in the message, or shown when it arrives after the question
    run.expect("Commit?")
    run.type("")
    code, out, err = run.wait()

    assert code == 3, err  # some changes were rejected
    assert "Renamed both." in out
    expected = ORIGINAL.replace("line 2\n", "line two\n")
    assert (root / "notes.txt").read_text() == expected
    assert git(root, "show", "HEAD:notes.txt") == expected
    assert git(root, "log", "-1", "--format=%s").strip() == "Rename line two"

    # the next run (continuing the session) tells the model what was rejected, and why
    run = PtyHunk(root, env, "run", "-c", "-m", MODEL, "ok?")
    code, out, err = run.wait()
    assert code == 0, err
    last = json.dumps(fake.bodies("/v1/messages")[-1]["messages"][-1])
    assert "line 18 is referenced elsewhere" in last and "ok?" in last


def test_ask_mode_on_a_terminal_asks_before_writing_and_q_ends_the_turn(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(
            tool_calls=[
                ToolCall("write_file", {"path": "notes.txt", "content": EDITED}),
                ToolCall("write_file", {"path": "more.txt", "content": "more\n"}),
            ]
        ),
    )
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "--approval", "ask", "-m", MODEL, "rename")
    run.expect("(1/2) Accept this hunk")
    assert not (root / "notes.txt").read_text() != ORIGINAL  # nothing on disk yet
    run.type("q")
    code, out, err = run.wait()

    assert code == 3, err
    assert (root / "notes.txt").read_text() == ORIGINAL
    assert not (root / "more.txt").exists()
    assert len(fake.requests) == 2  # q ends the turn: the model is not asked again now
    assert git(root, "status", "--porcelain") == ""


def test_a_command_outside_the_allow_rules_asks_first(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "touch made.txt"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": "touch made.txt"})]),
        Reply(text="Made it."),
        Reply(text="Add made.txt"),
    )
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "--approval", "ask", "--sandbox", "off", "-m", MODEL, "make it")
    run.expect("$ touch made.txt")
    run.expect("Run it?")
    run.type("a")  # always, for this session
    run.expect("changed files")
    run.expect("Accept this change")
    run.type("y")
    run.expect("Commit?")  # the second, identical command did not ask again
    run.type("y")
    code, out, err = run.wait()

    assert code == 0, err
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["made.txt"]


def test_with_the_sandbox_a_writing_command_runs_unasked_and_a_network_one_offers_the_sandbox_choices(
    fake: FakeProvider, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    fake.script(
        Reply(tool_calls=[ToolCall("run_command", {"command": "touch made.txt"})]),
        Reply(tool_calls=[ToolCall("run_command", {"command": "curl --version > /dev/null"})]),
        Reply(text="Made it."),
        Reply(text="Add made.txt"),
    )
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "--approval", "ask", "-m", MODEL, "make it")
    run.expect("changed files")  # no question before the sandboxed touch
    run.expect("Accept this change")
    run.type("y")
    run.expect("$ curl --version")
    run.expect("[o]utside the sandbox once, [w] with the network this session")
    run.type("o")
    run.expect("Commit?")
    run.type("y")
    code, out, err = run.wait()

    assert code == 0, err
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["made.txt"]


FIRST_BAD_THEN_GOOD = """import sys, pathlib
path = pathlib.Path(sys.argv[1])
count = pathlib.Path(sys.argv[0]).with_suffix(".count")
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
text = path.read_text()
if n == 0:  # also changes a context line: cannot apply
    text = text.replace(" line 1", " line ONE").replace("+line two", "+line 2 (edited)")
else:  # starts from the first attempt; puts the context line back
    text = text.replace(" line ONE", " line 1")
path.write_text(text)
"""


def test_an_edit_that_cannot_apply_is_caught_and_edited_again(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": EDITED})]),
        Reply(text="Renamed both."),
        Reply(text="Rename line two"),
    )
    editor = tmp_path / "editor.py"
    editor.write_text(FIRST_BAD_THEN_GOOD)
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key", VISUAL="", EDITOR=f"{sys.executable} {editor}")

    run = PtyHunk(root, env, "run", "-m", MODEL, "rename lines")
    run.expect("(1/2) Accept this hunk")
    run.type("e")
    run.expect("cannot be used: it changes the original line")
    run.expect("Edit it again?")
    run.type("y")
    run.expect("(2/2) Accept this hunk")
    run.type("n")
    run.expect("Commit?")
    run.type("")
    code, out, err = run.wait()

    assert code == 3, err
    assert "internal error" not in err
    expected = ORIGINAL.replace("line 2\n", "line 2 (edited)\n")
    assert (root / "notes.txt").read_text() == expected
    assert git(root, "show", "HEAD:notes.txt") == expected
    assert git(root, "status", "--porcelain") == ""


def test_a_3000_line_change_is_paged_on_the_terminal_not_dumped_before_the_question(
    fake: FakeProvider, tmp_path: Path
) -> None:
    import fcntl
    import struct
    import termios

    lock = "".join(f"pkg-{n} 1.0\n" for n in range(3_000))
    root = make_repo(tmp_path / "repo", {"deps.lock": lock})
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "deps.lock", "limit": 1})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "deps.lock", "content": lock.replace(" 1.0", " 1.1")})]),
        Reply(text="Bumped every package."),
        Reply(text="Fine, left as it was."),
    )
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "-m", MODEL, "bump everything")
    fcntl.ioctl(run.master, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    run.expect("@@ -1,3000 +1,3000 @@")
    run.expect("Enter shows more. Accept this hunk")
    first_screen = run.screen_before_question
    assert "-pkg-0 1.0" in first_screen and "-pkg-2999 1.0" not in first_screen
    assert len(first_screen.splitlines()) <= 30
    run.type("")  # the next screenful
    run.expect("Enter shows more. Accept this hunk")
    assert "-pkg-30 1.0" in run.screen_before_question
    run.type("n")
    code, _, err = run.wait()

    assert code == 3, err
    assert (root / "deps.lock").read_text() == lock  # rejected: rolled back


def test_the_commit_question_does_not_wait_for_a_slow_model_and_shows_its_subject_when_it_comes(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"notes.txt": ORIGINAL})
    held = Held(Reply(text="Rename line two"))
    fake.script(
        Reply(tool_calls=[ToolCall("read_file", {"path": "notes.txt"})]),
        Reply(tool_calls=[ToolCall("write_file", {"path": "notes.txt", "content": ORIGINAL.replace("line 2\n", "line two\n")})]),
        Reply(text="Renamed."),
        held,
    )
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")
    run = PtyHunk(root, env, "run", "-m", "anthropic:claude-sonnet-4-6", "rename line 2")
    try:
        run.expect("Accept this hunk")
        run.type("y")
        run.expect("Commit?")
        assert "  Update notes.txt\n" in run.screen_before_question.replace("\r", "")  # asked at once
        assert not held.released.is_set()
        held.release()
        run.expect("The model's subject: Rename line two")
        run.expect("Commit?")  # asked again, with the model's words
        run.type("")
        code, out, err = run.wait()
    finally:
        held.release()
    assert code == 0, err
    assert held.body is not None and held.body["model"] == "claude-haiku-4-5"
    assert git(root, "log", "-1", "--format=%s").strip() == "Rename line two"
