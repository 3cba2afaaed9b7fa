"""`hunk run`'s terminal review of hunk groups: hunks that make the same change (see
`hunk.values.groups`) are asked about once, before the hunks that belong to no group.

For each group the person sees the change, "the same change in N places in M files", one of its
hunks as an example and the numbered list of every place; then answers for the whole group
(y/n/r), opens it to decide each place on its own (o), or takes places out of it (x) — those are
asked with the other hunks afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from hunk.values.diffs import DiffHunk, FileDiff, HunkVerdict
from hunk.values.groups import HunkGroup, Place, changed_line

GROUP_KEYS = "ynroxAq?"
GROUP_HELP = """y - accept this change in every place of the group
n - reject it in every place
r - reject it in every place, with a note for the model
o - open the group: decide each place on its own
x - take places out of the group (they are asked with the other hunks)
A - accept everything that is left, groups and hunks
q - reject everything that is left and end the turn
? - this help"""
PLACE_KEYS = "ynradAeoq?"


def key_help(unit: str, rest: str) -> str:
    """What `?` prints beside a hunk question: `unit` is what y/n decide ("hunk", "place"),
    `rest` what a/d decide with it ("this file", "the group")."""
    return f"""y - accept this {unit}
n - reject this {unit}
r - reject this {unit} with a note for the model
a - accept this {unit} and the rest of {rest}
d - reject this {unit} and the rest of {rest}
A - accept everything that is left
e - edit this hunk in $EDITOR, then accept it
o - open the whole hunk in $EDITOR to read it (decides nothing)
q - reject everything that is left and end the turn
? - this help
Enter - the next screenful of a long hunk"""


PLACE_HELP = key_help("place", "the group")
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


class Asker(Protocol):
    """What the terminal approver lends the group questions."""

    def _say(self, text: str) -> None: ...
    def _ask(self, prompt: str) -> str: ...
    def _choice(self, prompt: str, allowed: str, more: bool = False) -> str: ...
    def _single(self, answer: str) -> HunkVerdict: ...
    def ask_hunk(self, hunk: DiffHunk, label: str, what: str, keys: str, shown: int = 0, help: str = "") -> HunkVerdict | str: ...


class GroupQuestions:
    def __init__(self, asker: Asker, files: Sequence[FileDiff]) -> None:
        self.asker = asker
        self.files = files

    def hunk(self, place: Place) -> DiffHunk:
        f, h = place
        return self.files[f].hunks[h]

    def ask(self, groups: Sequence[HunkGroup], decided: dict[Place, HunkVerdict]) -> str:
        """Ask about each group, putting verdicts in `decided`. Returns "A" (accept everything
        left), "q" (reject it and stop) or "" (on to the hunks no group decided)."""
        for number, group in enumerate(groups, start=1):
            label = f"(group {number}/{len(groups)})"
            places = list(group.places)
            self._show(group, places, label, example=True)
            while len(places) > 1:
                answer = self.asker._choice(f"{label} Accept this change in all {len(places)} places [{','.join(GROUP_KEYS)}]? ", GROUP_KEYS)
                if answer == "?":
                    self.asker._say(GROUP_HELP)
                elif answer == "x":
                    places = self._take_out(places)
                    if len(places) > 1:
                        self._show(group, places, label, example=False)
                elif answer in "Aq":
                    return answer
                elif answer == "o":
                    outcome = self._open(places, label, decided)
                    if outcome:
                        return outcome
                    break
                else:
                    verdict = self.asker._single(answer)
                    decided.update({p: verdict for p in places})
                    break
        return ""

    def _show(self, group: HunkGroup, places: list[Place], label: str, *, example: bool) -> None:
        files = len(dict.fromkeys(f for f, _ in places))
        say = self.asker._say
        say(f"{label} the same change in {len(places)} places in {files} file{'s' if files != 1 else ''}:")
        say("\n".join(f"    {line}" for line in group.describe()))
        if example:
            first = places[0]
            say(f"for example, {self.files[first[0]].path}:")
            say("\n".join((self.hunk(first).header, *self.hunk(first).lines[:12])))
        say("places:")
        by_file: dict[int, list[str]] = {}
        for number, (f, h) in enumerate(places, start=1):
            by_file.setdefault(f, []).append(f"#{number} line {changed_line(self.files[f].hunks[h])}")
        say("\n".join(f"  {self.files[f].path}  {', '.join(spots)}" for f, spots in by_file.items()))

    def _take_out(self, places: list[Place]) -> list[Place]:
        """Ask which places leave the group; they stay undecided, for the per-hunk questions."""
        answer = self.asker._ask(f"Take which places out of the group (numbers from 1 to {len(places)}, like 3 7-9)? ")
        chosen: set[int] = set()
        for word in answer.replace(",", " ").split():
            match = _RANGE.match(word)
            low, high = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
            if not match or not 1 <= low <= high <= len(places):
                self.asker._say(f"Not a place: {word} (nothing was taken out)")
                return places
            chosen.update(range(low, high + 1))
        return [p for n, p in enumerate(places, start=1) if n not in chosen]

    def _open(self, places: list[Place], label: str, decided: dict[Place, HunkVerdict]) -> str:
        """Decide the group's places one by one."""
        for position, place in enumerate(places):
            self.asker._say(self.files[place[0]].path)
            answer = self.asker.ask_hunk(self.hunk(place), f"{label} ({position + 1}/{len(places)})", "this place", PLACE_KEYS, 1, PLACE_HELP)
            if isinstance(answer, HunkVerdict):
                decided[place] = answer
                continue
            if answer in "Aq":
                return answer
            decided.update({p: HunkVerdict(answer == "a") for p in places[position:]})
            break
        return ""
