"""The `---` header of command and skill files, as Claude Code's files write it."""

from __future__ import annotations

from hunk.extensions.frontmatter import list_field, split, text_field


def test_header_fields_quoted_values_and_lists_are_read_and_the_body_kept() -> None:
    fields, body = split(
        "---\n"
        'description: "Write release notes: short"\n'
        "argument-hint: [version]\n"
        "allowed-tools: Bash(git log:*), Read\n"
        "model: anthropic:claude-haiku-4-5\n"
        "tags:\n  - one\n  - 'two'\n"
        "---\n"
        "Body $ARGUMENTS\n"
    )
    assert text_field(fields, "description") == "Write release notes: short"
    assert list_field(fields, "argument-hint") == ("version",)
    assert list_field(fields, "allowed-tools") == ("Bash(git log:*)", "Read")
    assert text_field(fields, "model") == "anthropic:claude-haiku-4-5"
    assert list_field(fields, "tags") == ("one", "two")
    assert body == "Body $ARGUMENTS\n"


def test_a_file_without_a_closed_header_is_all_body() -> None:
    assert split("no header\n") == ({}, "no header\n")
    assert split("---\ndescription: x\nnever closed\n") == ({}, "---\ndescription: x\nnever closed\n")
    assert text_field({}, "description") == "" and list_field({}, "allowed-tools") == ()
