"""edit_file's matching on literal inputs: what the model sends, what the file becomes."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hunk.tools.matching import EditProblem, apply_edit, closest_lines

# (name, file text, old_string, new_string, replace_all, crlf, expected text, expected way)
CASES = [
    ("exact unique", "a = 1\nb = 2\n", "b = 2", "b = 3", False, False, "a = 1\nb = 3\n", "exact"),
    (
        "crlf file, model sends lf",
        "one\r\ntwo\r\nthree\r\n",
        "one\ntwo\n",
        "one\n2\n",
        False,
        True,
        "one\r\n2\r\nthree\r\n",
        "line_endings",
    ),
    (
        "crlf file, new lines get crlf on an exact single-line match",
        "x = 1\r\ny = 2\r\n",
        "x = 1",
        "x = 1\ny = 1",
        False,
        True,
        "x = 1\r\ny = 1\r\ny = 2\r\n",
        "exact",
    ),
    ("lf file, model sends crlf", "a\nb\nc\n", "a\r\nb\r\n", "a\r\nB\r\n", False, False, "a\nB\nc\n", "line_endings"),
    (
        "tabs are matched exactly",
        "func main() {\n\tx := 1\n\treturn\n}\n",
        "\tx := 1\n\treturn",
        "\tx := 2\n\treturn",
        False,
        False,
        "func main() {\n\tx := 2\n\treturn\n}\n",
        "exact",
    ),
    (
        "no final newline stays without one",
        "first\nlast",
        "last",
        "final",
        False,
        False,
        "first\nfinal",
        "exact",
    ),
    (
        "non-ascii text",
        "grüße = 'Grüß Gott'\nπ = 3.14\n",
        "π = 3.14",
        "π = 3.14159",
        False,
        False,
        "grüße = 'Grüß Gott'\nπ = 3.14159\n",
        "exact",
    ),
    (
        "trailing whitespace in file, kept on unchanged lines",
        "if x:   \n    go()  \n    stop()\n",
        "if x:\n    go()\n    stop()",
        "if x:\n    go()\n    halt()",
        False,
        False,
        "if x:   \n    go()  \n    halt()\n",
        "trailing_whitespace",
    ),
    (
        "curly quotes in file, straight from model; unchanged line keeps curly",
        "title = “Hello”\ncount = 1\n",
        'title = "Hello"\ncount = 1',
        'title = "Hello"\ncount = 2',
        False,
        False,
        "title = “Hello”\ncount = 2\n",
        "quotes",
    ),
    (
        "straight quotes in file, curly from model",
        "say('hi')\n",
        "say(‘hi’)",
        "say('bye')",
        False,
        False,
        "say('bye')\n",
        "quotes",
    ),
    (
        "indentation shift re-indents new_string",
        "class A:\n    def f(self):\n        return 1\n\n    def g(self):\n        return 2\n",
        "def f(self):\n    return 1\n",
        "def f(self):\n    value = 1\n    return value\n",
        False,
        False,
        "class A:\n    def f(self):\n        value = 1\n        return value\n\n    def g(self):\n        return 2\n",
        "indentation",
    ),
    (
        "indentation shift with tabs in the file",
        "if a {\n\tif b {\n\t\tx()\n\t}\n}\n",
        "if b {\n\tx()\n}",
        "if b {\n\ty()\n}",
        False,
        False,
        "if a {\n\tif b {\n\t\ty()\n\t}\n}\n",
        "indentation",
    ),
    (
        "indentation shift in a crlf file",
        "def f():\r\n    if x:\r\n        a()\r\n",
        "if x:\n    a()",
        "if x:\n    b()",
        False,
        True,
        "def f():\r\n    if x:\r\n        b()\r\n",
        "indentation",
    ),
    ("replace_all changes every occurrence", "x x x\n", "x", "y", True, False, "y y y\n", "exact"),
    ("deleting lines", "keep\ndrop\nkeep too\n", "drop\n", "", False, False, "keep\nkeep too\n", "exact"),
]


@pytest.mark.parametrize(("name", "text", "old", "new", "replace_all", "crlf", "expected", "way"), CASES, ids=[c[0] for c in CASES])
def test_edit_matching_table(name: str, text: str, old: str, new: str, replace_all: bool, crlf: bool, expected: str, way: str) -> None:
    edited = apply_edit(text, old, new, replace_all, crlf)
    assert edited.text == expected
    assert edited.way == way


def test_replace_all_reports_the_count() -> None:
    assert apply_edit("a\nb\na\na\n", "a", "c", replace_all=True).count == 3


def test_ambiguous_match_names_count_and_lines() -> None:
    with pytest.raises(EditProblem) as problem:
        apply_edit("x = 1\ny = 2\nx = 1\n", "x = 1", "x = 3")
    assert problem.value.key == "edit_ambiguous"
    assert problem.value.values == {"count": 2, "lines": "1, 3"}


def test_loose_match_in_two_places_is_refused() -> None:
    text = "if a:  \n    go()\nif a:\t\n    go()\n"
    with pytest.raises(EditProblem) as problem:
        apply_edit(text, "if a:\n    go()", "if b:\n    go()")
    assert problem.value.key == "edit_loose_ambiguous"
    assert problem.value.values["count"] == 2


def test_indentation_shift_in_two_places_is_refused() -> None:
    text = "class A:\n    def f(self):\n        pass\nclass B:\n    def f(self):\n        pass\n"
    with pytest.raises(EditProblem) as problem:
        apply_edit(text, "def f(self):\n    pass", "def f(self):\n    return 1")
    assert problem.value.key == "edit_loose_ambiguous"
    assert problem.value.values["lines"] == "2, 5"


def test_not_found_shows_the_closest_lines_numbered() -> None:
    text = "import os\n\ndef load(path):\n    with open(path) as f:\n        return f.read()\n\nx = 1\n"
    with pytest.raises(EditProblem) as problem:
        apply_edit(text, "def load(name):\n    with open(name) as f:", "def load(p):")
    assert problem.value.key == "edit_not_found"
    closest = str(problem.value.values["closest"])
    assert "    3\tdef load(path):" in closest
    assert "    4\t    with open(path) as f:" in closest


def test_same_old_and_new_is_refused() -> None:
    with pytest.raises(EditProblem) as problem:
        apply_edit("a\n", "a", "a")
    assert problem.value.key == "edit_same"


def test_empty_old_string_is_refused() -> None:
    with pytest.raises(EditProblem) as problem:
        apply_edit("a\n", "", "b")
    assert problem.value.key == "edit_empty_old"


def test_closest_lines_on_an_empty_file_does_not_crash() -> None:
    assert closest_lines("", "anything") == "    1\t"


_LINES = st.lists(st.sampled_from(["a = 1", "b = 2", "if a:", "    b()", "", "# note", "return x"]), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(lines=_LINES, data=st.data())
def test_crlf_file_edited_with_lf_strings_equals_the_lf_edit_in_crlf(lines: list[str], data: st.DataObject) -> None:
    text = "\n".join(lines) + "\n"
    start = data.draw(st.integers(0, len(lines) - 1))
    end = data.draw(st.integers(start + 1, len(lines)))
    old = "\n".join(lines[start:end]) + "\n"
    new = "\n".join(data.draw(_LINES)) + "\n"
    assume(old != new and text.count(old) == 1)
    expected = apply_edit(text, old, new)
    assert expected.way == "exact"
    assert expected.text == text.replace(old, new)
    crlf = apply_edit(text.replace("\n", "\r\n"), old, new, crlf=True)
    assert crlf.text == expected.text.replace("\n", "\r\n")


def test_exact_match_never_splits_a_crlf_pair() -> None:
    edited = apply_edit("a\r\nb\r\n", "\nb", "\nc", replace_all=True, crlf=True)
    assert edited.text == "a\r\nc\r\n"
