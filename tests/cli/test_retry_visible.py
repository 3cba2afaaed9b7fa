"""`hunk run` says when it waits on a rate limit, in words and as a `--json` event."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fakeserver import FakeProvider, Fault, Reply
from tests.gitrepo import hunk_env, make_repo, run_hunk

MODEL = "anthropic:claude-haiku-4-5"


def test_a_rate_limit_retry_is_printed_and_sent_as_a_json_event(fake: FakeProvider, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    env = hunk_env(tmp_path / "home", ANTHROPIC_BASE_URL=fake.url, ANTHROPIC_API_KEY="test-key")

    fake.script(Fault(429, retry_after="1", message="slow down"), Reply(text="Hello."))
    done = run_hunk(root, env, "run", "--yes", "-m", MODEL, "hi")
    assert done.returncode == 0, done.stderr
    assert "rate limited — retrying in 1 s (1/" in done.stderr
    assert done.stdout.strip() == "Hello."

    fake.script(Fault(429, retry_after="1", message="slow down"), Reply(text="Hello."))
    done = run_hunk(root, env, "run", "--yes", "--json", "-m", MODEL, "hi")
    events = [json.loads(line) for line in done.stdout.splitlines()]
    [retry] = [e for e in events if e["type"] == "provider.retrying"]
    assert (retry["kind"], retry["delay_s"], retry["attempt"], retry["restart"]) == ("rate_limit", 1.0, 1, False)
    assert "slow down" in retry["message"]
