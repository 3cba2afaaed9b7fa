"""Hunk groups in the TUI: the review state's rules without a terminal, and the keys on the real
change screen (a FakeAgent asks)."""

from __future__ import annotations

from pathlib import Path

from hunk.agent.approval import ChangeDecision, ChangeReview
from hunk.tui.decisions import ReviewState
from hunk.tui.screens.change import ChangeScreen
from hunk.values.conversation import Part
from hunk.values.diffs import FileVerdict, HunkVerdict
from hunk.workspace.changeset import FileChange
from hunk.workspace.diff import file_diff
from tests.tui.fakes import FakeAgent, make_app, send, settle

GAP = "".join(f"same {n}\n" for n in range(8))


def review(phase: str = "side_effects") -> ChangeReview:
    """a.py: old→new twice and x = 1→2; b.py: old→new once. One group of three places."""
    a = FileChange("a.py", (GAP + "old(1)\n" + GAP + "old(2)\n" + GAP + "x = 1\n").encode(), (GAP + "new(1)\n" + GAP + "new(2)\n" + GAP + "x = 2\n").encode())
    b = FileChange("b.py", (GAP + "y = old(3)\n").encode(), (GAP + "y = new(3)\n").encode())
    return ChangeReview((file_diff(a), file_diff(b)), phase, "sed -i s/old/new/ *.py")  # type: ignore[arg-type]


def verdicts(state: ReviewState) -> list[list[bool]]:
    return [[v.accepted for v in f.hunks] for f in state.decision().files]


def test_the_review_starts_on_the_group_and_one_verdict_and_note_cover_every_place() -> None:
    state = ReviewState(review())
    assert state.group is not None and (state.file_index, state.hunk_index) == (0, 0)
    assert state.summary() == "2 files · 4 hunks · 1 group (3 hunks) · 4 undecided"
    assert state.group_text() == ["group 1 of 1: the same change in 3 places in 2 files", "    old → new", "  a.py: lines 9, 18", "  b.py: line 9"]
    state.set_note("later")
    state.decide(False)
    assert state.group is None and (state.file_index, state.hunk_index) == (0, 2)  # the hunk of no group
    assert state.decision().files[1].hunks == (HunkVerdict(False, "later"),)
    assert state.summary() == "2 files · 4 hunks · 1 group (3 hunks) · 1 undecided"


def test_an_opened_group_is_decided_place_by_place() -> None:
    state = ReviewState(review())
    state.open_group()
    assert state.group is None and (state.file_index, state.hunk_index) == (0, 0)
    state.decide(True)
    assert (state.file_index, state.hunk_index) == (0, 1)  # the group is not asked again as one
    state.decide(False)
    state.decide(True)  # x = 2
    state.decide(True)  # b.py
    assert verdicts(state) == [[True, False, True], [True]]


def test_a_hunk_taken_out_of_its_group_keeps_its_own_verdict() -> None:
    state = ReviewState(review())
    state.move(1)  # a.py's second place, in hunk mode
    assert state.take_out() and state.summary().startswith("2 files · 4 hunks · 1 group (2 hunks)")
    state.decide(False)  # this hunk alone; on to the group, still undecided
    assert state.group is not None and state.group.places == ((0, 0), (1, 0))
    state.decide(True)
    assert verdicts(state) == [[True, False, False], [True]]
    assert not ReviewState(review()).take_out() is False  # the group's example can be taken out too


def test_an_edited_place_leaves_the_group() -> None:
    state = ReviewState(review())
    state.set_edited((" same 5", " same 6", " same 7", "-old(1)", "+newer(1)"))
    assert state.groups[0].places == ((0, 1), (1, 0)) and state.group is not None
    state.decide(True)
    assert state.decision().files[0].hunks[0].edited is not None and verdicts(state)[1] == [True]


def asking(agent_review: ChangeReview):  # type: ignore[no-untyped-def]
    async def script(agent: FakeAgent, prompt: str, files: tuple[Part, ...]) -> None:
        await agent.ask(agent_review)

    return script


async def test_change_screen_keys_open_a_group_take_a_hunk_out_and_note_a_group(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking(review()))
    async with app.run_test(size=(110, 36)) as pilot:
        await send(pilot, "rename")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, ChangeScreen)
        assert "the same change in 3 places in 2 files" in str(screen.query_one("#group").render())
        await pilot.press("x")  # a.py's first place, the group's example, leaves the group
        await pilot.press("y")  # accepted alone; on to what is left of the group
        assert screen.state.group is not None and len(screen.state.group.places) == 2
        await pilot.press("c", *"not yet", "enter")
        await pilot.press("n")  # the group, rejected with the note
        await pilot.press("y")  # x = 2
        await pilot.press("q")
        await settle(pilot, app)
    no = HunkVerdict(False, "not yet")
    assert built[0].decisions == [
        ChangeDecision((FileVerdict("a.py", (HunkVerdict(True), no, HunkVerdict(True))), FileVerdict("b.py", (no,))))
    ]


async def test_enter_opens_the_group_and_its_places_are_asked_one_by_one(tmp_path: Path) -> None:
    app, built = make_app(tmp_path, asking(review()))
    async with app.run_test(size=(110, 36)) as pilot:
        await send(pilot, "rename")
        await pilot.pause(0.2)
        screen = app.screen
        await pilot.press("enter")
        assert screen.state.group is None and screen.query_one("#group").has_class("-empty")
        await pilot.press("y", "n", "n", "y", "q")
        await settle(pilot, app)
    assert [[v.accepted for v in f.hunks] for f in built[0].decisions[0].files] == [[True, False, False], [True]]
