"""`hunk run --quiet`: the diffs go, the diffstat and the model's answer stay."""

from __future__ import annotations

import io

from hunk.headless.printer import Printer
from hunk.values.usage import Usage
from hunk.values.events import ApprovalRequested, ChangeProposed, ChangesApplied, TextDelta, TurnFinished


def test_quiet_hides_the_diffs_but_not_the_final_answer() -> None:
    out, err = io.StringIO(), io.StringIO()
    printer = Printer(out, err, show_diffs=True, quiet=True)
    printer(ChangeProposed("a.txt", "modified", "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-old\n+new\n", 1, 1, "write_file"))
    printer(ChangesApplied(("a.txt",), " a.txt | 2 +-\n 1 file changed\n"))
    printer(TextDelta("Renamed the "))
    printer(TextDelta("greeting."))
    printer(TurnFinished(1, "end_turn", Usage(), None))
    assert out.getvalue() == "Renamed the greeting.\n"
    assert "+new" not in err.getvalue() and "a.txt | 2 +-" in err.getvalue()


def test_a_question_after_the_models_words_starts_a_line_of_its_own() -> None:
    """The model's last words end their line before the review asks on the terminal (it read
    'Done.Review of this turn's changes: …')."""
    out, err = io.StringIO(), io.StringIO()
    printer = Printer(out, err, show_diffs=False)
    printer(TextDelta("Done."))
    printer(ApprovalRequested("change"))
    out.write("Review of this turn's changes")  # the terminal approver, on the same terminal
    assert out.getvalue() == "Done.\nReview of this turn's changes"
