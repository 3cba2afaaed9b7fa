"""Whatever sudo (doas, pkexec) is asked to do, it does as root, beyond what hunk can review or
undo: never read-only, with or without a command. `sudo -v` readies the credentials the next
sudo uses without a password, `sudo -k` drops them, `sudo -s` opens a root shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.policy.commands import CommandRules, Danger, classify

RO, WR, NET, DES = Danger.READ_ONLY, Danger.WRITES, Danger.NETWORK, Danger.DESTRUCTIVE


@pytest.mark.parametrize(
    ("command", "outcome", "danger"),
    [
        # no command: still root's business
        ("sudo -v", "ask", DES),
        ("sudo --validate", "ask", DES),
        ("sudo -k", "ask", DES),
        ("sudo -K", "ask", DES),
        ("sudo --reset-timestamp", "ask", DES),
        ("sudo -l", "ask", DES),
        ("sudo", "ask", DES),
        ("sudo -s", "ask", DES),
        ("sudo -i", "ask", DES),
        ("sudo -u root", "ask", DES),
        ("sudo --", "ask", DES),
        ("/usr/bin/sudo -v", "ask", DES),
        ("doas", "ask", DES),
        ("doas -u root", "ask", DES),
        ("pkexec", "ask", DES),
        # behind other wrappers, and in a longer line
        ("env sudo -v", "ask", DES),
        ("LANG=C sudo -v", "ask", DES),
        ("nice -n 5 sudo -v", "ask", DES),
        ("timeout 5 sudo -k", "ask", DES),
        ("echo x | xargs sudo", "ask", DES),
        ("sudo xargs", "ask", DES),
        ("sudo env", "ask", DES),
        ("sudo -v && ls", "ask", DES),
        ("ls; sudo -v", "ask", DES),
        ("bash -c 'sudo -v'", "ask", DES),
        ("echo $(sudo -v)", "ask", DES),
        # with a command: as before, the command seen through the wrapper
        ("sudo ls", "ask", DES),
        ("sudo -u bob -- ls", "ask", DES),
        ("sudo -- rm -rf /", "deny", DES),  # `--` ends sudo's options: the command after it is seen
        ("sudo -u bob -- git push", "deny", DES),
        ("sudo rm -rf build", "ask", DES),
        ("sudo rm -rf /", "deny", DES),
        ("sudo git push", "deny", DES),
        ("sudoedit /etc/hosts", "ask", DES),
        ("sudo -e /etc/hosts", "ask", DES),
        ("pkexec ls", "ask", DES),
        ("pkexec --user bob rm -rf build", "ask", DES),
        ("pkexec rm -rf /", "deny", DES),
        # the wrappers that do not elevate keep their classes
        ("xargs", "allow", RO),
        ("env", "ask", WR),
        ("nice", "allow", RO),
    ],
)
def test_acting_as_root_is_never_read_only(repo: Path, command: str, outcome: str, danger: Danger) -> None:
    verdict = CommandRules().judge(command, repo)
    assert (verdict.outcome, verdict.danger) == (outcome, danger), verdict.reason
    assert classify(command, repo) == danger


def test_an_allow_rule_for_reading_does_not_let_sudo_through(repo: Path) -> None:
    rules = CommandRules(allow=["ls *", "echo *"])
    assert rules.judge("sudo -v", repo).outcome == "ask"
    assert rules.judge("sudo ls", repo).outcome == "ask"
    assert rules.judge("echo x | xargs sudo", repo).outcome == "ask"
