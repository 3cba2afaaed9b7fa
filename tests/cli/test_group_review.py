"""`hunk run`'s terminal review with hunk groups, answered through a real tty: a refactor of 40
files decided in five answers, committing exactly what was accepted."""

from __future__ import annotations

import json
from pathlib import Path

from tests import refactor
from tests.cli.ptyrun import PtyHunk
from tests.fakeserver import FakeProvider
from tests.gitrepo import git, hunk_env, make_repo

MODEL = "anthropic:claude-haiku-4-5"


def test_a_40_file_refactor_is_decided_in_five_answers_and_commits_exactly_what_was_accepted(
    fake: FakeProvider, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo", refactor.before_files())
    fake.script(*refactor.model_script())
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "-m", MODEL, "rename parse_args to parse_argv everywhere")
    run.expect("Review of this turn's changes: 40 files · 123 hunks · 1 group (120 hunks) · 123 undecided")
    run.expect("(group 1/1) the same change in 120 places in 40 files:")
    run.expect("parse_args → parse_argv")
    run.expect("pkg/mod_39.py  #118 line 17, #119 line 26, #120 line 35")
    run.expect("(group 1/1) Accept this change in all 120 places")
    run.type("y")  # 1
    run.expect("+TIMEOUT = 60")
    run.expect("(1/1) Accept this hunk")
    run.type("y")  # 2
    run.expect("+import logging")
    run.expect("(1/1) Accept this hunk")
    run.type("n")  # 3
    run.expect('+MESSAGE = "did not receive it"')
    run.expect("(1/1) Accept this hunk")
    run.type("y")  # 4
    run.expect("Rename parse_args to parse_argv")  # in the message, or shown when it arrives after the question
    run.expect("Commit?")
    run.type("")  # 5
    code, out, err = run.wait()

    assert code == 3, err  # one change was rejected
    assert "Renamed parse_args" in out
    expected = refactor.expected_after(rejected={17})
    assert git(root, "log", "-1", "--format=%s").strip() == "Rename parse_args to parse_argv"
    committed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == sorted(expected)  # every file: each has the rename
    for name, text in expected.items():
        assert git(root, "show", f"HEAD:{name}") == text, name
        assert (root / name).read_text() == text
    assert git(root, "status", "--porcelain") == ""  # the rejected import was rolled back
    assert "import logging" not in git(root, "show", "HEAD")


def test_a_place_taken_out_of_its_group_is_decided_on_its_own_and_the_model_hears_both(
    fake: FakeProvider, tmp_path: Path
) -> None:
    root = make_repo(tmp_path / "repo", refactor.before_files())
    fake.script(*refactor.model_script(), refactor.Reply(text="Understood."))
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "-m", MODEL, "rename parse_args to parse_argv everywhere")
    run.expect("(group 1/1) Accept this change in all 120 places")
    run.type("x")
    run.expect("Take which places out of the group")
    run.type("1")  # the definition in pkg/mod_00.py
    run.expect("the same change in 119 places in 40 files")
    run.expect("Accept this change in all 119 places")
    run.type("r")
    run.expect("Note for the model:")
    run.type("keep the old name for now")
    run.expect("-def parse_args(argv):")
    run.expect("(1/1) Accept this hunk")
    run.type("y")  # the definition alone is renamed
    for _ in range(3):
        run.expect("Accept this hunk")
        run.type("n")
    run.expect("Commit?")
    run.type("")
    code, _, err = run.wait()

    assert code == 3, err
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["pkg/mod_00.py"]
    assert "def parse_argv(argv):" in git(root, "show", "HEAD:pkg/mod_00.py")
    assert "options = parse_args(sys.argv)" in git(root, "show", "HEAD:pkg/mod_00.py")
    assert git(root, "status", "--porcelain") == ""

    run = PtyHunk(root, env, "run", "-c", "-m", MODEL, "ok?")
    code, _, err = run.wait()
    assert code == 0, err
    told = json.loads(json.dumps(fake.bodies("/v1/messages")[-1]["messages"][-1]))["content"]
    said = " ".join(part.get("text", "") for part in told if isinstance(part, dict))
    assert "rejected (and is not in the file) at: pkg/mod_00.py hunks 2, 3; pkg/mod_01.py hunks 1, 2, 3;" in said
    assert "keep the old name for now" in said
    assert said.count("pkg/mod_") == 43 and "keep the old name for now; keep" not in said  # one group line, 3 files with other hunks


def test_json_events_carry_each_hunks_group_and_review_decided_reports_the_groups(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", refactor.before_files())
    fake.script(*refactor.model_script())
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    run = PtyHunk(root, env, "run", "--json", "-m", MODEL, "rename parse_args to parse_argv everywhere", stdout=tmp_path / "events.jsonl")
    run.expect("Accept this change in all 120 places")
    run.type("y")
    for answer in "yny":
        run.expect("(1/1) Accept this hunk")
        run.type(answer)
    run.expect("Commit?")
    run.type("")
    code, out, err = run.wait()

    assert code == 3, err
    events = [json.loads(line) for line in out.splitlines()]
    proposed = {e["path"]: e["hunk_groups"] for e in events if e["type"] == "change.proposed"}
    rename = proposed["pkg/mod_01.py"][0]
    assert rename.startswith("g") and proposed["pkg/mod_01.py"] == [rename] * 3
    other = proposed["pkg/mod_17.py"]
    assert len(other) == 4 and other[0] != rename and other[1:] == [rename] * 3
    assert len({proposed[refactor.path(n)][0] for n in (5, 17, 30)}) == 3  # the three other changes differ
    decided = {e["path"]: e for e in events if e["type"] == "review.decided"}
    assert decided["pkg/mod_17.py"]["accepted"] == 3 and decided["pkg/mod_17.py"]["rejected"] == 1
    assert decided["pkg/mod_17.py"]["groups"] == [{"group": rename, "places": 120, "accepted": 3, "rejected": 0}]
    assert decided["pkg/mod_01.py"]["groups"] == [{"group": rename, "places": 120, "accepted": 3, "rejected": 0}]
