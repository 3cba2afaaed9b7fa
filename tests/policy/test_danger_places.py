"""Where a command writes, followed through `cd`: home, the previous directory and a variable are
places the rules cannot see into, and a refusal shows the path as the person would read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.policy.commands import CommandRules, Danger, classify

RO, WR, NET, DES = Danger.READ_ONLY, Danger.WRITES, Danger.NETWORK, Danger.DESTRUCTIVE


@pytest.mark.parametrize(
    ("command", "outcome", "danger"),
    [
        ("cd && touch x", "deny", DES),  # bare cd goes home: outside
        ("cd ~ && touch x", "deny", DES),
        ("cd ~/work && touch x", "deny", DES),
        ("cd - && touch x", "ask", DES),  # the previous directory: not known before it runs
        ("cd $DIR && touch x", "ask", DES),
        ("cd - && cd src && touch x", "ask", DES),  # once unknown, stays unknown
        ("cd src && touch x", "ask", WR),
        ("cd src && cd .. && touch x", "ask", WR),
        ("cd -- src && touch x", "ask", WR),
    ],
)
def test_cd_moves_where_writes_land(repo: Path, command: str, outcome: str, danger: Danger) -> None:
    (repo / "src").mkdir()
    verdict = CommandRules().judge(command, repo)
    assert (verdict.outcome, verdict.danger) == (outcome, danger), verdict.reason


@pytest.mark.parametrize(
    ("command", "outcome", "danger"),
    [
        ("env -C .. rm x", "deny", DES),  # the command runs in the parent folder
        ("env -C.. rm x", "deny", DES),
        ("env --chdir=.. touch x", "deny", DES),
        ("env --chdir .. touch x", "deny", DES),
        ("env -iC.. touch x", "deny", DES),  # a cluster ends at -C
        ("env -i -C /tmp touch x", "deny", DES),
        ("env -C $DIR touch x", "ask", DES),  # not known before it runs
        ("env -C src touch x", "ask", WR),
        ("env -C src touch ../x", "ask", WR),  # back at the root
        ("env -C src true; touch ../x", "deny", DES),  # the shell itself did not move
        ("env -C .. ls", "allow", RO),
        ("env - rm -rf build", "ask", DES),  # `-` alone is -i: rm is the command
        ("env -u HOME rm -rf build", "ask", DES),
        ("env --unset HOME rm -rf build", "ask", DES),  # the value is not the command
        ("env --ignore-environment -C .. rm x", "deny", DES),  # options after a long one still count
        ("env -- rm -rf build", "ask", DES),
        ("env -C", "ask", WR),  # no command: env prints the environment
        ("sudo -- rm -rf build", "ask", DES),
        ("sudo -v", "ask", DES),  # readies root's credentials: see the table below
        ("xargs --max-args=1 rm -rf build", "ask", DES),  # the value is inside the option
    ],
)
def test_env_chdir_moves_where_its_command_writes(repo: Path, command: str, outcome: str, danger: Danger) -> None:
    """`env -C DIR CMD` is `cd DIR && CMD` for that command alone: it was judged from the
    root, so `env -C .. rm x` asked (or ran, under --yes) where `cd .. && rm x` is refused."""
    (repo / "src").mkdir()
    verdict = CommandRules().judge(command, repo)
    assert (verdict.outcome, verdict.danger) == (outcome, danger), verdict.reason


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("rm ../notes.txt", "../notes.txt"),  # from the root: as written
        ("cd src && cp a ~/x", "~/x"),  # home stays home
        ("cd src && rm /etc/hosts", "/etc/hosts"),
        ("cd src && rm ../../notes.txt", "{parent}/notes.txt"),  # from elsewhere: resolved
    ],
)
def test_a_refusal_shows_the_path_as_the_person_reads_it(
    repo: Path, command: str, shown: str
) -> None:
    (repo / "src").mkdir()
    verdict = CommandRules().judge(command, repo)
    assert verdict.outcome == "deny"
    assert f"would change {shown.format(parent=repo.parent)}" in verdict.reason


def test_danger_classes_compare_by_rank_both_ways() -> None:
    assert RO <= RO and RO <= WR and not NET <= WR
    assert DES >= DES and DES >= NET and not RO >= WR
    assert WR <= "writes" and NET >= "writes" and not WR >= "network"
    assert sorted([DES, RO, NET, WR]) == [RO, WR, NET, DES]


def test_an_absolute_path_inside_the_repository_is_inside(repo: Path) -> None:
    """`classify` judges from the repository it is given: an absolute path into it is a write,
    not a write outside."""
    assert classify(f"rm {repo}/notes.txt", repo) is WR
    assert classify(f"rm {repo.parent}/notes.txt", repo) is DES
