"""What the model hears about hunk groups (see `hunk.values.groups`): one line per group, so a
change the person decided in 120 places at once is told once, not file by file.

A group line says the change and how it went: accepted everywhere, rejected everywhere (with the
person's reasons), or accepted except at the places it lists, file by file. A file whose hunks
all sit in groups needs no line of its own; a hunk the person edited is never told by a group
line (its file's line carries the edited hunk).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from hunk.settings import prompts
from hunk.values.diffs import FileDiff, FileVerdict
from hunk.values.groups import group_hunks


@dataclass
class GroupWords:
    lines: list[str] = field(default_factory=list)  # every group's words
    rejecting: list[str] = field(default_factory=list)  # the words of groups with a rejected place
    told: set[int] = field(default_factory=set)  # files the group lines cover whole
    by_file: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # each file's share of each group


def group_words(diffs: Sequence[FileDiff], verdicts: Sequence[FileVerdict]) -> GroupWords:
    words = GroupWords()
    told: set[tuple[int, int]] = set()  # places a group line tells exactly
    for group in group_hunks(diffs):
        given = [verdicts[f].hunks[h] for f, h in group.places]
        files = len(group.files)
        change = "; ".join(group.describe())
        accepted = [p for p, v in zip(group.places, given) if v.accepted]
        notes = "; ".join(dict.fromkeys(v.note for v in given if v.note)) or prompts.message("changes.no_reason")
        told.update(p for p, v in zip(group.places, given) if v.edited is None)
        if len(accepted) == len(given):
            said = prompts.message("changes.group_accepted", places=len(given), files=files, change=change)
        elif not accepted:
            said = prompts.message("changes.group_rejected", places=len(given), files=files, change=change, notes=notes)
        else:
            rejected: dict[int, list[str]] = {}
            for (f, h), v in zip(group.places, given):
                if not v.accepted:
                    rejected.setdefault(f, []).append(str(h + 1))
            where = "; ".join(f"{diffs[f].path} hunk{'s' if len(n) > 1 else ''} {', '.join(n)}" for f, n in rejected.items())
            said = prompts.message(
                "changes.group_mixed", places=len(given), change=change, accepted=len(accepted), where=where, notes=notes
            )
        for f in group.files:
            mine = [v.accepted for (g, _), v in zip(group.places, given) if g == f]
            tally = {"group": group.id, "places": len(given), "accepted": sum(mine), "rejected": len(mine) - sum(mine)}
            words.by_file.setdefault(f, []).append(tally)
        words.lines.append(said)
        if len(accepted) < len(given):
            words.rejecting.append(said)
    words.told = {f for f, d in enumerate(diffs) if d.hunks and all((f, h) in told for h in range(len(d.hunks)))}
    return words
