"""Reading a hunk's lines: pairing, changed spans, folds, and the parser of git's diff text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hunk.values.diff_text import (
    LONG_LINE,
    WINDOW,
    HunkText,
    changed_spans,
    common_prefix,
    common_suffix,
    pair_rows,
)

diff_lines = st.lists(st.sampled_from([" a", "-b", "+c", "\\ No newline at end of file", "-", "+"]), max_size=14)


@given(diff_lines)
def test_each_line_finds_the_partner_split_view_puts_beside_it(lines: list[str]) -> None:
    text = HunkText(tuple(lines), "@@ -1,3 +1,3 @@")
    beside: dict[int, int] = {}
    for left, right in pair_rows(tuple(lines)):
        if left is not None and right is not None and left != right:
            beside[left], beside[right] = right, left
    assert [text.partner(i) for i in range(len(lines))] == [beside.get(i) for i in range(len(lines))]


def test_line_numbers_follow_the_header_on_each_side() -> None:
    text = HunkText((" a", "-b", "+B", "+C", " d"), "@@ -7,3 +7,4 @@ def f")
    assert [text.old_number(i) for i in range(5)] == [7, 8, None, None, 9]
    assert [text.new_number(i) for i in range(5)] == [7, None, 8, 9, 10]


def test_changed_words_are_the_spans_that_differ() -> None:
    old, new = changed_spans("print('hi there')", "print('hello there')")
    assert [("print('hi there')"[a:b]) for a, b in old] == ["hi"]
    assert [("print('hello there')"[a:b]) for a, b in new] == ["hello"]
    assert changed_spans("completely different", "nothing alike at all 123") == ((), ())  # the whole line changed


def test_a_change_in_a_six_megabyte_line_is_found_by_prefix_and_suffix() -> None:
    body = "x" * 3_000_000
    old, new = changed_spans(body + "OLD" + body, body + "NEWER" + body)
    assert old == ((3_000_000, 3_000_003),) and new == ((3_000_000, 3_000_005),)
    assert common_prefix("abcdef", "abcxyz") == 3 and common_suffix("abcdef", "xbcdef", 0) == 5


def test_a_long_line_folds_to_a_window_around_its_change() -> None:
    body = "y" * (LONG_LINE * 10)
    text = HunkText(("-" + body + "A" + body, "+" + body + "B" + body), "@@ -1 +1 @@")
    fold = text.fold(1)
    assert fold is not None and fold.start < len(body) < fold.end and fold.end - fold.start == WINDOW
    assert fold.hidden_before + (fold.end - fold.start) + fold.hidden_after == 2 * len(body) + 1
    assert HunkText(("+short",), "@@ -0,0 +1 @@").fold(0) is None
