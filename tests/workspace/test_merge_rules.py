"""The merge rules, one named row each: when the agent's change (base → changed) can be carried
over to another version of the file (target: HEAD's or the index's) without the person's edits
(base → target), and what comes out. `test_merge_oracle.py` holds the same rules against git.

Lines are single letters here; `L("abc")` is b"a\\nb\\nc\\n".
"""

from __future__ import annotations

import pytest

from hunk.workspace.diff import split_lines
from hunk.workspace.merge import Unseparable, _reach, rebase_delta


def L(letters: str, final_newline: bool = True) -> bytes:
    text = "".join(letter + "\n" for letter in letters).encode()
    return text if final_newline or not text else text[:-1]


REFUSE = "refuse"

# (rule, target, base, changed, expected)
RULES = [
    # Edits that share a base line cannot be told apart.
    ("shared line, both replace it", L("aBcd"), L("abcd"), L("aXcd"), REFUSE),
    ("shared line, one deletes it", L("acd"), L("abcd"), L("aXcd"), REFUSE),
    ("shared lines, overlapping ranges", L("aBCd"), L("abcd"), L("abXY"), REFUSE),
    ("shared line, the same edit on both sides", L("aXcd") + b"e\n", L("abcd"), L("aXcd"), REFUSE),
    # Edits that only touch: each base line has one owner, so both go in.
    ("adjacent lines, user's first", L("aBcd"), L("abcd"), L("abCd"), L("aBCd")),
    ("adjacent lines, agent's first", L("abCd"), L("abcd"), L("aBcd"), L("aBCd")),
    ("adjacent lines, user deletes", L("acd"), L("abcd"), L("abCd"), L("aCd")),
    ("adjacent lines, agent deletes", L("aBcd"), L("abcd"), L("abd"), L("aBd")),
    ("adjacent at the first line", L("Abcd"), L("abcd"), L("aBcd"), L("ABcd")),
    ("adjacent at the last line", L("abCd"), L("abcd"), L("abcD"), L("abCD")),
    ("one line apart", L("Abcd"), L("abcd"), L("abCd"), L("AbCd")),
    # An insertion at the edge of the other's edit could go before or after it.
    ("agent inserts at the start of the user's edit", L("aBcd"), L("abcd"), L("aXbcd"), REFUSE),
    ("agent inserts at the end of the user's edit", L("aBcd"), L("abcd"), L("abXcd"), REFUSE),
    ("user inserts at the start of the agent's edit", L("aXbcd"), L("abcd"), L("aBcd"), REFUSE),
    ("user inserts at the end of the agent's edit", L("abXcd"), L("abcd"), L("aBcd"), REFUSE),
    ("agent inserts at the edge of a deletion", L("acd"), L("abcd"), L("abXcd"), REFUSE),
    ("agent inserts inside the user's edit", L("aBCd"), L("abcd"), L("abXcd"), REFUSE),
    ("agent inserts a line away from the user's", L("aBcd"), L("abcd"), L("abcXd"), L("aBcXd")),
    ("user inserts a line away from the agent's", L("Xabcd"), L("abcd"), L("abCd"), L("XabCd")),
    # Both inserting at one place: which goes first is anybody's guess.
    ("both insert at one place", L("abXcd"), L("abcd"), L("abYcd"), REFUSE),
    ("both insert at the top", L("Xab"), L("ab"), L("Yab"), REFUSE),
    ("both insert at the end", L("abX"), L("ab"), L("abY"), REFUSE),
    ("both insert into an empty file", L("X"), b"", L("Y"), REFUSE),
    ("both insert, at different places", L("aXbcd"), L("abcd"), L("abcYd"), L("aXbcYd")),
    # An insertion of lines equal to its neighbours could sit elsewhere: it clashes there too.
    ("user's repeated line could sit at the agent's insertion", L("aa"), L("a"), L("Xa"), REFUSE),
    ("user's repeated line could sit below it", L("baba"), L("ba"), L("bXa"), REFUSE),
    ("user's inserted line differs from its neighbours", L("ba"), L("b"), L("Xb"), L("Xba")),
    ("agent's repeated line could sit at the user's insertion", L("Xa"), L("a"), L("aa"), REFUSE),
    # Already present, nothing to do, or nothing of the person's in the way.
    ("already present", L("aXc"), L("abc"), L("aXc"), L("aXc")),
    ("already present, file deleted by both", None, L("abc"), None, None),
    ("no change from the agent", L("aBc"), L("abc"), L("abc"), L("aBc")),
    ("no change from the agent, target missing", None, L("abc"), L("abc"), None),
    ("no edits of the person's", L("abc"), L("abc"), L("aXc"), L("aXc")),
    ("no edits of the person's, agent deletes the file", L("abc"), L("abc"), None, None),
    ("no edits of the person's, agent adds the file", None, None, L("x"), L("x")),
    # Files deleted (or missing) on one side are decided whole.
    ("deleted in the target", None, L("abc"), L("aXc"), REFUSE),
    ("deleted by the agent, edited by the person", L("aBc"), L("abc"), None, REFUSE),
    ("added by the agent, present in the target", L("x"), None, L("y"), REFUSE),
    # Binary content is never merged by lines.
    ("binary target", b"\0a\nb\n", L("ab"), L("aX"), REFUSE),
    ("binary base", L("ab"), b"\0a\nb\n", b"\0a\nX\n", REFUSE),
    ("binary change", L("Ab"), L("ab"), b"a\n\0\n", REFUSE),
    ("wide (UTF-16) text", "\ufeffA\n".encode("utf-16-le"), "\ufeffa\n".encode("utf-16-le"),
     "\ufeffb\n".encode("utf-16-le"), REFUSE),
    ("binary target, no change from the agent", b"\0", L("ab"), L("ab"), b"\0"),
    ("binary agent change, no edits of the person's", L("ab"), L("ab"), b"\0", b"\0"),
    # A last line without a newline is a line of its own.
    ("agent appends after a last line without newline", L("Ab", False), L("ab", False), L("abc"),
     L("Abc")),
    ("user drops the final newline, agent edits the line above", L("ab", False), L("ab"),
     L("Xb"), L("Xb", False)),
    ("both touch the last line's newline", L("aB", False), L("ab", False), L("ab"), REFUSE),
    ("CRLF lines carried byte for byte", b"A\r\nb\r\nc\r\n", b"a\r\nb\r\nc\r\n",
     b"a\r\nb\r\nC\r\n", b"A\r\nb\r\nC\r\n"),
]


@pytest.mark.parametrize(
    ("target", "base", "changed", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in RULES],
)
def test_merge_rule(
    target: bytes | None, base: bytes | None, changed: bytes | None, expected: object
) -> None:
    if expected == REFUSE:
        with pytest.raises(Unseparable):
            rebase_delta(target, base, changed)
    else:
        assert rebase_delta(target, base, changed) == expected


@pytest.mark.parametrize(
    ("target", "base", "changed"),
    [
        pytest.param(row[3], row[2], row[1], id=row[0])
        for row in RULES
        if row[4] == REFUSE and None not in row[1:4]
    ],
)
def test_a_refusal_holds_with_the_sides_swapped(
    target: bytes, base: bytes, changed: bytes
) -> None:
    with pytest.raises(Unseparable):
        rebase_delta(target, base, changed)


@pytest.mark.parametrize(
    ("base", "insertion", "reach"),
    [
        pytest.param(L("ab"), (1, 1, [b"x\n"]), (1, 1, True), id="nothing alike: stays put"),
        pytest.param(L("aab"), (2, 2, [b"a\n"]), (0, 2, True), id="slides up over equal lines"),
        pytest.param(L("bba"), (2, 2, [b"a\n"]), (2, 3, True), id="slides down over equal lines"),
        pytest.param(L("abab"), (4, 4, [b"a\n", b"b\n"]), (0, 4, True), id="a block rotates up"),
        pytest.param(L("abab"), (0, 0, [b"a\n", b"b\n"]), (0, 4, True), id="a block rotates down"),
        pytest.param(L("aba"), (1, 1, [b"b\n", b"a\n"]), (0, 3, True), id="rotates both ways"),
        pytest.param(L("pqr"), (3, 3, [b"p\n", b"q\n", b"r\n"]), (0, 3, True), id="3 lines up"),
        pytest.param(L("pqr"), (0, 0, [b"p\n", b"q\n", b"r\n"]), (0, 3, True), id="3 lines down"),
        pytest.param(L("pqr"), (3, 3, [b"q\n", b"p\n", b"r\n"]), (2, 3, True), id="up, then not"),
        pytest.param(L("xpqr"), (4, 4, [b"p\n", b"q\n", b"r\n"]), (1, 4, True), id="up from 4"),
        pytest.param(L("xpqr"), (1, 1, [b"p\n", b"q\n", b"r\n"]), (1, 4, True), id="down from 1"),
        pytest.param(L("pqr"), (0, 0, [b"p\n", b"r\n", b"q\n"]), (0, 1, True), id="down, then not"),
        pytest.param(L("abc"), (1, 2, [b"x\n"]), (1, 2, False), id="a replacement stays put"),
        pytest.param(L("aab"), (1, 2, []), (1, 2, False), id="a deletion stays put"),
    ],
)
def test_where_an_insertion_could_sit(
    base: bytes, insertion: tuple[int, int, list[bytes]], reach: tuple[int, int, bool]
) -> None:
    assert _reach(split_lines(base), insertion) == reach
