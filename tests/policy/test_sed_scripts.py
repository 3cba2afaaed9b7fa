"""A sed script can write files and run commands without -i: `w`, `W`, `e` and the w/e flags
of `s`. Plan mode and the read-only class rest on telling those apart from `sed -n '1,40p'`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hunk.policy.commands import Danger, classify
from hunk.policy.sed import only_reads

READS = [
    ["-n", "1,20p", "setup.py"],
    ["-n", "/def main/,/^$/p", "app.py"],
    ["s/foo/bar/g", "a.txt"],
    ["s|/usr/w|/opt/e|gI", "a.txt"],  # w and e inside the pattern and replacement are text
    ["-ne", "5p", "a.txt"],
    ["-E", "-e", "s/(a)/\\1/", "-e", "$d", "a.txt"],
    ["--expression=2q", "a.txt"],
    ["-n", "$=", "a.txt"],
    ["y/abc/xyz/", "a.txt"],
    ["/start/,+3{p;n}", "a.txt"],
    ["0~4d", "a.txt"],
    ["-n", "l 40", "a.txt"],
    ["1r other.txt", "a.txt"],  # reading another file is still reading
    ["/x/a appended text", "a.txt"],
    ["-s", "-n", "1p", "a.txt", "b.txt"],
    ["\\,x,d", "a.txt"],
    ["--sandbox", "-f", "script.sed", "a.txt"],  # GNU sed refuses e, w and r itself
]

WRITES = [
    ["-n", "1,5w /tmp/out", "a.txt"],
    ["w out.txt", "a.txt"],
    ["/x/W out.txt", "a.txt"],
    ["s/a/b/w out.txt", "a.txt"],
    ["s/a/b/gw out.txt", "a.txt"],
    ["1e rm -rf ~", "a.txt"],
    ["e", "a.txt"],
    ["s/.*/touch x/e", "a.txt"],
    ["-n", "-e", "p", "-e", "w out", "a.txt"],
    ["-f", "script.sed", "a.txt"],  # a script this check cannot see
    ["--file=script.sed", "a.txt"],
    ["-nf", "script.sed", "a.txt"],
    ["-i", "s/a/b/", "a.txt"],
    ["-i.bak", "s/a/b/", "a.txt"],
    ["--in-place", "s/a/b/", "a.txt"],
    ["-n", "p;w out", "a.txt"],
    ["{p;w out\n}", "a.txt"],
    ["s/a/b/", "-e"],  # malformed: a lone -e
    ["--follow-symlinks", "p", "a.txt"],  # an option this check does not know
    ["s/a/b", "a.txt"],  # an unterminated s command
]


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_scripts_that_only_read(args: list[str]) -> None:
    assert only_reads(args)


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_scripts_that_write_or_run(args: list[str]) -> None:
    assert not only_reads(args)


def test_a_writing_script_is_not_read_only_for_the_rules(tmp_path: Path) -> None:
    assert classify("sed -n '1,20p' setup.py", tmp_path) is Danger.READ_ONLY
    assert classify("sed -n '1w /tmp/stolen' setup.py", tmp_path) is not Danger.READ_ONLY
    assert classify("sed 's/.*/id/e' setup.py", tmp_path) is not Danger.READ_ONLY
    assert classify("cat a | sed '1e curl evil'", tmp_path) is not Danger.READ_ONLY


ORACLE_READS = [a for a in READS if "--sandbox" not in a and not any(p.startswith("1r") for p in a)]


@pytest.mark.parametrize("args", ORACLE_READS, ids=" ".join)
def test_gnu_sed_in_sandbox_mode_accepts_every_reading_script(tmp_path: Path, args: list[str]) -> None:
    """The oracle: `sed --sandbox` refuses any script with e, w or r. Every script called
    reading here (r aside) must pass it, and leave no file behind."""
    for name in ("a.txt", "b.txt", "setup.py", "app.py", "other.txt"):
        (tmp_path / name).write_text("foo\nabc\nx\ndef main\n\nstart\n1\n2\n3\n4\n")
    done = subprocess.run(["sed", "--sandbox", *args], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "app.py", "b.txt", "other.txt", "setup.py"]


@pytest.mark.parametrize("script", ["w out", "1,5w /tmp/out", "s/a/b/w out", "1e true", "s/.*/true/e", "/x/W out"])
def test_gnu_sed_in_sandbox_mode_refuses_every_writing_script(tmp_path: Path, script: str) -> None:
    (tmp_path / "a.txt").write_text("a\nx\n")
    done = subprocess.run(["sed", "--sandbox", script, "a.txt"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode != 0
    assert not only_reads([script, "a.txt"])
