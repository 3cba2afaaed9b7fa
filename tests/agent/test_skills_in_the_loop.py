"""A skill in the real agent loop: only its name and description in the system prompt; its body
reaches the model when the model activates it."""

from __future__ import annotations

import json
from pathlib import Path

from hunk.extensions.loading import load_extensions
from tests.fakeserver import Reply, ToolCall
from tests.gitrepo import make_repo

DESCRIPTION = "How this project cuts a release: version bump, changelog, tag. Use when asked to release."
BODY = "# Releasing\n1. Bump `__version__` in src/pkg/__init__.py.\n2. Move Unreleased in CHANGELOG.md under the new version.\n3. Follow checklist.md.\n"
SKILL = f"---\nname: release\ndescription: {DESCRIPTION}\n---\n{BODY}"


def system_text(body: dict) -> str:
    system = body["system"]
    return system if isinstance(system, str) else "".join(block["text"] for block in system)


async def test_a_skill_adds_only_its_description_and_its_body_arrives_when_activated(harness, tmp_path: Path) -> None:
    plain = make_repo(tmp_path / "plain", {"a.txt": "a\n"})
    root = make_repo(tmp_path / "repo", {".hunk/skills/release/SKILL.md": SKILL, ".hunk/skills/release/checklist.md": "- tag v$VERSION\n"})
    without = harness(plain, "auto")
    without.fake.script(Reply(text="Hi."))
    await without.agent.run_turn("hello")
    h = harness(root, "auto")
    h.fake.script(
        Reply(tool_calls=[ToolCall("activate_skill", {"name": "release"})]),
        Reply(tool_calls=[ToolCall("activate_skill", {"name": "release", "file": "checklist.md"})]),
        Reply(text="I will bump the version first."),
    )

    await h.agent.run_turn("cut a release")

    first, second, third = h.fake.bodies("/v1/messages")[-3:]
    base = system_text(without.fake.bodies("/v1/messages")[0]).replace("plain", "repo")
    added = system_text(first)[len(base.rstrip("\n")) :]
    assert system_text(first).startswith(base.rstrip("\n")) and f"- release: {DESCRIPTION}" in added
    assert "Bump" not in system_text(first) and "checklist" not in system_text(first)
    print(f"\nskill bytes in the system prompt: {len(added.encode())} (description {len(DESCRIPTION.encode())})")
    assert len(added.encode()) < 600
    assert [t["name"] for t in first["tools"]][-1] == "activate_skill"
    assert "activate_skill" not in [t["name"] for t in without.fake.bodies("/v1/messages")[0]["tools"]]
    activated = json.dumps(second["messages"][-1])
    assert "Bump `__version__` in src/pkg/__init__.py." in activated and "- checklist.md" in activated
    assert "- tag v$VERSION" in json.dumps(third["messages"][-1])


async def test_slash_skill_name_sends_the_body_as_the_prompt(harness, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", {".claude/skills/release/SKILL.md": SKILL})
    h = harness(root, "auto")
    extensions = load_extensions(h.config, root, h.env)
    invocation = extensions.invoke("/release 2.0")
    assert invocation is not None and invocation.command is None
    h.fake.script(Reply(text="Releasing 2.0."))

    await h.agent.run_turn(invocation.prompt)

    sent = json.dumps(h.fake.bodies("/v1/messages")[0]["messages"][0])
    assert "Move Unreleased in CHANGELOG.md" in sent and "ARGUMENTS: 2.0" in sent


async def test_a_command_s_model_and_tools_hold_for_one_turn_and_a_bad_model_is_told(harness, tmp_path: Path) -> None:
    from hunk.values.events import Notice

    root = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    h = harness(root, "auto")
    h.fake.script(Reply(text="one"), Reply(text="two"), Reply(text="three"))

    await h.agent.run_turn("first", model="anthropic:claude-opus-4-6", tools={"read_file"})
    await h.agent.run_turn("second")
    await h.agent.run_turn("third", model="nowhere:model")

    first, second, third = h.fake.bodies("/v1/messages")
    assert first["model"] == "claude-opus-4-6" and [t["name"] for t in first["tools"]] == ["read_file"]
    assert second["model"] == "claude-haiku-4-5" and len(second["tools"]) == 7
    assert third["model"] == "claude-haiku-4-5"
    assert any(e.message.startswith("nowhere:model cannot be used (") for e in h.of(Notice))
