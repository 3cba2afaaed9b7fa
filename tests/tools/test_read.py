"""read_file: numbered lines, paging, binary and encodings, directories; records what was read."""

from __future__ import annotations

from pathlib import Path

from hunk.tools.base import ToolContext
from hunk.tools.files import READ_FILE
from hunk.workspace.changeset import content_hash

from .conftest import write


async def test_lines_are_numbered_and_the_read_is_recorded(repo: Path, ctx: ToolContext) -> None:
    write(repo, "a.py", "import os\n\tx = 1\n")
    out = await READ_FILE.run({"path": "./a.py"}, ctx)
    assert out.content == "    1\timport os\n    2\t\tx = 1"
    assert ctx.read_hashes == {"a.py": content_hash(b"import os\n\tx = 1\n")}


async def test_long_file_is_paged_with_a_note_on_how_to_read_on(repo: Path, ctx: ToolContext) -> None:
    ctx.output_limit = 100_000
    write(repo, "long.txt", "".join(f"line {n}\n" for n in range(1, 2501)))
    first = await READ_FILE.run({"path": "long.txt"}, ctx)
    rows = first.content.split("\n")
    assert rows[0] == "    1\tline 1" and rows[1999] == " 2000\tline 2000"
    assert "offset=2001" in rows[-1] and "2500" in rows[-1]
    rest = await READ_FILE.run({"path": "long.txt", "offset": 2001}, ctx)
    assert rest.content.split("\n")[0] == " 2001\tline 2001"
    assert rest.content.split("\n")[-1] == " 2500\tline 2500"


async def test_offset_and_limit_pick_a_window(repo: Path, ctx: ToolContext) -> None:
    write(repo, "f.txt", "a\nb\nc\nd\n")
    out = await READ_FILE.run({"path": "f.txt", "offset": 2, "limit": 2}, ctx)
    assert out.content.split("\n")[:2] == ["    2\tb", "    3\tc"]
    assert "offset=4" in out.content


async def test_output_budget_pages_early(repo: Path, ctx: ToolContext) -> None:
    ctx.output_limit = 1000
    write(repo, "wide.txt", "".join("x" * 90 + "\n" for _ in range(100)))
    out = await READ_FILE.run({"path": "wide.txt"}, ctx)
    assert len(out.content) < 1300
    assert "offset=" in out.content


async def test_long_lines_are_cut(repo: Path, ctx: ToolContext) -> None:
    write(repo, "min.js", "y" * 5000 + "\n")
    out = await READ_FILE.run({"path": "min.js"}, ctx)
    assert len(out.content) < 2200 and "3000 more characters" in out.content


async def test_offset_past_the_end_says_how_long_the_file_is(repo: Path, ctx: ToolContext) -> None:
    write(repo, "s.txt", "one\ntwo\n")
    out = await READ_FILE.run({"path": "s.txt", "offset": 9}, ctx)
    assert out.is_error and "2 lines" in out.content


async def test_binary_file_is_a_clear_error(repo: Path, ctx: ToolContext) -> None:
    write(repo, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = await READ_FILE.run({"path": "logo.png"}, ctx)
    assert out.is_error and "binary" in out.content


async def test_cp1252_text_is_decoded_and_named(repo: Path, ctx: ToolContext) -> None:
    write(repo, "old.txt", "naïve “quotes” – dash\n".encode("cp1252"))
    out = await READ_FILE.run({"path": "old.txt"}, ctx)
    assert not out.is_error
    assert "naïve “quotes” – dash" in out.content and "cp1252" in out.content


async def test_pep263_coding_line_is_honoured(repo: Path, ctx: ToolContext) -> None:
    source = "# -*- coding: koi8-r -*-\ntext = 'привет'\n"
    write(repo, "ru.py", source.encode("koi8-r"))
    out = await READ_FILE.run({"path": "ru.py"}, ctx)
    assert "привет" in out.content and "koi8" in out.content


async def test_utf16_with_bom_is_text_not_binary(repo: Path, ctx: ToolContext) -> None:
    write(repo, "w.txt", "wide text\n".encode("utf-16"))
    out = await READ_FILE.run({"path": "w.txt"}, ctx)
    assert not out.is_error and "    1\twide text" in out.content


async def test_invalid_utf8_falls_back_without_crashing(repo: Path, ctx: ToolContext) -> None:
    write(repo, "bad.txt", b"ok \x81\x8d\x8f\x90\x9d end\n")
    out = await READ_FILE.run({"path": "bad.txt"}, ctx)
    assert not out.is_error and "ok " in out.content and "end" in out.content


async def test_directory_suggests_list_files(repo: Path, ctx: ToolContext) -> None:
    (repo / "src").mkdir()
    out = await READ_FILE.run({"path": "src"}, ctx)
    assert out.is_error and "list_files" in out.content


async def test_missing_file_and_escape_are_errors(ctx: ToolContext) -> None:
    missing = await READ_FILE.run({"path": "nope.txt"}, ctx)
    assert missing.is_error and "does not exist" in missing.content
    escape = await READ_FILE.run({"path": "../../etc/passwd"}, ctx)
    assert escape.is_error and escape.content.startswith("The path")


async def test_empty_file_says_so(repo: Path, ctx: ToolContext) -> None:
    write(repo, "empty.txt", b"")
    out = await READ_FILE.run({"path": "empty.txt"}, ctx)
    assert not out.is_error and "empty" in out.content
    assert ctx.read_hashes["empty.txt"] == content_hash(b"")


async def test_a_file_too_large_to_read_whole_points_to_search_and_slices(repo: Path, ctx: ToolContext) -> None:
    big = repo / "huge.log"
    with open(big, "wb") as handle:  # sparse: large on paper, cheap on disk
        handle.truncate(17 * 1024 * 1024)
    out = await READ_FILE.run({"path": "huge.log"}, ctx)
    assert out.is_error and "search_files" in out.content and "sed -n" in out.content
    assert "huge.log" not in ctx.read_hashes
