"""`hunk run --quiet`: the diffs go, the diffstat and the model's answer stay."""

from __future__ import annotations

import io

from hunk.headless.printer import Printer
from hunk.values.usage import Usage
from hunk.values.events import ChangeProposed, ChangesApplied, TextDelta, TurnFinished


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
