"""AGENTS.md and CLAUDE.md from the root down to the current folder, for the system prompt."""

from __future__ import annotations

import os
from pathlib import Path

from hunk.settings.instructions import MAX_CHARS, Instruction, format_instructions, project_instructions


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_files_are_collected_root_first_down_to_cwd(repo: Path) -> None:
    write(repo / "AGENTS.md", "root rules\n")
    write(repo / "CLAUDE.md", "claude rules\n")
    write(repo / "src" / "AGENTS.md", "src rules\n")
    write(repo / "src" / "api" / "v1" / "AGENTS.md", "v1 rules\n")
    write(repo / "docs" / "AGENTS.md", "not on the way\n")
    found = project_instructions(repo, repo / "src" / "api" / "v1")
    assert [(i.path, i.text) for i in found] == [
        ("AGENTS.md", "root rules\n"),
        ("CLAUDE.md", "claude rules\n"),
        ("src/AGENTS.md", "src rules\n"),
        ("src/api/v1/AGENTS.md", "v1 rules\n"),
    ]


def test_cwd_at_the_root_reads_only_the_root(repo: Path) -> None:
    write(repo / "AGENTS.md", "root\n")
    write(repo / "sub" / "AGENTS.md", "sub\n")
    assert [i.path for i in project_instructions(repo, repo)] == ["AGENTS.md"]


def test_cwd_outside_the_repository_reads_only_the_root(repo: Path, tmp_path: Path) -> None:
    write(repo / "AGENTS.md", "root\n")
    write(tmp_path / "AGENTS.md", "not the project's\n")
    assert [i.path for i in project_instructions(repo, tmp_path)] == ["AGENTS.md"]


def test_no_files_give_an_empty_list_and_an_empty_slot(repo: Path) -> None:
    assert project_instructions(repo, repo) == []
    assert format_instructions([]) == ""


def test_claude_md_linked_to_agents_md_is_given_once(repo: Path) -> None:
    write(repo / "AGENTS.md", "shared\n")
    os.symlink("AGENTS.md", repo / "CLAUDE.md")
    assert [i.path for i in project_instructions(repo, repo)] == ["AGENTS.md"]


def test_a_link_leading_out_of_the_repository_is_not_read(repo: Path, tmp_path: Path) -> None:
    write(tmp_path / "secret.md", "private\n")
    os.symlink(tmp_path / "secret.md", repo / "AGENTS.md")
    assert project_instructions(repo, repo) == []


def test_long_file_is_cut_with_a_note(repo: Path) -> None:
    write(repo / "AGENTS.md", "x" * (MAX_CHARS + 500))
    [item] = project_instructions(repo, repo)
    assert item.truncated and len(item.text) == MAX_CHARS and item.total_chars == MAX_CHARS + 500
    rendered = format_instructions([item])
    assert f"the file has {MAX_CHARS + 500} characters" in rendered


def test_blank_and_undecodable_files_do_not_crash(repo: Path) -> None:
    write(repo / "AGENTS.md", "  \n")
    (repo / "CLAUDE.md").write_bytes(b"caf\xe9 rules\n")
    [item] = project_instructions(repo, repo)
    assert item.path == "CLAUDE.md" and item.text == "caf\ufffd rules\n"


def test_rendering_names_each_file_in_order() -> None:
    rendered = format_instructions(
        [Instruction("AGENTS.md", "use tabs\n"), Instruction("pkg/AGENTS.md", "no prints\n")]
    )
    first = rendered.index('<instructions path="AGENTS.md">\nuse tabs\n</instructions>')
    second = rendered.index('<instructions path="pkg/AGENTS.md">\nno prints\n</instructions>')
    assert 0 < first < second
    assert rendered.startswith("\n") and not rendered.endswith("\n")
