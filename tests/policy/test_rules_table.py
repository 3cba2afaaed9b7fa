"""Literal command lines and what the rules make of them: outcome and danger class."""

from __future__ import annotations

from pathlib import Path

import pytest

from hunk.policy.commands import CommandRules, Danger, classify

RULES = CommandRules(
    allow=["pytest *", "npm run *", "make test", "ruff check *"],
    deny=["rm -rf *", "curl *"],
)
RO, WR, NET, DES = Danger.READ_ONLY, Danger.WRITES, Danger.NETWORK, Danger.DESTRUCTIVE

TABLE = [
    # plain read-only commands run at once
    ("ls -la", "allow", RO),
    ("git status", "allow", RO),
    ("git log --oneline -n 5", "allow", RO),
    ("git diff HEAD~1 -- src/", "allow", RO),
    ("git -C . show HEAD:README.md", "allow", RO),
    ("grep -rn 'def main' src", "allow", RO),
    ("rg TODO", "allow", RO),
    ("find . -name '*.py'", "allow", RO),
    ("sed -n '1,20p' setup.py", "allow", RO),
    ("awk '{print $1}' data.txt", "allow", RO),
    ("git branch -a", "allow", RO),
    # compound commands and pipes: judged by their most dangerous part
    ("git status && git diff", "allow", RO),
    ("cat a.txt | sort | uniq -c | head", "allow", RO),
    ("ls; pwd\nwc -l setup.py", "allow", RO),
    ("git log | head -5 && pytest -q", "allow", WR),
    ("pytest -q || rm -r build", "ask", DES),
    ("make test && make install", "ask", WR),
    # allow patterns with *
    ("pytest", "allow", WR),
    ("pytest tests/test_x.py -k 'slow and not net'", "allow", WR),
    ("npm run build", "allow", WR),
    ("npm run", "allow", WR),
    ("npm install", "ask", NET),
    ("make test", "allow", WR),
    ("make", "ask", WR),
    ("python setup.py build", "ask", WR),
    ("./scripts/gen.sh", "ask", WR),
    # wrappers: env prefixes, timeout and friends keep allow rules; sudo and xargs do not
    ("FOO=1 BAR=2 pytest -x", "allow", WR),
    ("env -u HOME PYTHONPATH=src pytest", "allow", WR),
    ("timeout 60 pytest", "allow", WR),
    ("nice -n 5 timeout -s KILL 10 ruff check .", "allow", WR),
    # reading the environment is not read-only: it may hold credentials
    ("env", "ask", WR),
    ("printenv", "ask", WR),
    ("printenv ANTHROPIC_API_KEY", "ask", WR),
    ("env | grep KEY", "ask", WR),
    ("export -p", "ask", WR),
    ("set", "ask", WR),
    ("sudo pytest", "ask", DES),
    ("sudo ls /root", "ask", DES),
    ("git ls-files | xargs wc -l", "allow", RO),
    ("git ls-files -z | xargs -0 rm", "ask", WR),
    # command substitution, backticks and shells inside shells
    ("echo $(git rev-parse HEAD)", "allow", RO),
    ("echo `date`", "allow", RO),
    ('echo "head is $(git rev-parse --short HEAD)"', "allow", RO),
    ("echo '$(rm -rf /)'", "allow", RO),
    ("echo $(rm -rf /)", "deny", DES),
    ("pytest $(git diff --name-only)", "allow", WR),
    ("bash -c 'git status && git diff'", "allow", RO),
    ("sh -c \"npm install\"", "ask", NET),
    ("bash -lc 'git push origin main'", "deny", NET),
    ("eval 'git push'", "deny", NET),
    ("diff <(git show HEAD:a.py) a.py", "allow", RO),
    ("find . -name '*.pyc' -exec rm {} +", "ask", WR),
    ("find . -name '*.pyc' -delete", "ask", DES),
    ("find . -type f -exec grep -l TODO {} \\;", "allow", RO),
    ("find . -exec cat {} \\; -delete", "ask", DES),
    ("find . -exec git push \\;", "deny", NET),
    ("command -v rg", "allow", RO),
    ("wget -O /usr/bin/tool https://example.com/tool", "deny", DES),
    ("wget -O tool.tgz https://example.com/tool.tgz", "ask", NET),
    # quoting: words, not characters
    ("grep 'a && b' notes.txt", "allow", RO),
    ('echo "x; git push"', "allow", RO),
    ("cat 'unclosed", "ask", DES),
    ('echo "also unclosed', "ask", DES),
    ("echo $(git status", "ask", DES),
    # redirects
    ("echo hi > notes.txt", "ask", WR),
    ("pytest > log.txt 2>&1", "allow", WR),
    ("ls 2>/dev/null", "allow", RO),
    ("echo hi > /etc/motd", "deny", DES),
    ("echo x >> ~/.bashrc", "deny", DES),
    ("cat a > ../elsewhere.txt", "deny", DES),
    ("echo hook > .git/hooks/pre-commit", "deny", DES),
    ("echo hi > $OUT", "ask", DES),
    ("cat <<EOF > notes.md\nhello $(whoami)\nEOF", "ask", WR),
    ("cat <<'EOF'\n$(git push)\nEOF", "allow", RO),
    # network
    ("curl -s https://example.com", "deny", NET),
    ("wget https://example.com/x.tgz", "ask", NET),
    ("pip install requests", "ask", NET),
    ("python -m pip install -e .", "ask", NET),
    ("pip list", "allow", RO),
    ("git fetch origin", "ask", NET),
    ("git clone https://example.com/r.git", "ask", NET),
    ("ssh host uptime", "ask", NET),
    # built-in refusals: pushing, publishing, outside the repository
    ("git push", "deny", NET),
    ("git push --force origin main", "deny", DES),
    ("git add . && git commit -m wip && git push", "deny", NET),
    ("npm publish", "deny", NET),
    ("twine upload dist/*", "deny", NET),
    ("cargo publish", "deny", NET),
    ("gh release create v1.0", "deny", NET),
    ("rm -rf /", "deny", DES),
    ("rm -r ~", "deny", DES),
    ("rm -f /tmp/scratch.txt", "deny", DES),
    ("rm -r ../sibling", "deny", DES),
    ("cd .. && rm -r project", "deny", DES),
    ("cd src && rm -r ../build", "ask", DES),
    ("rm -r .git", "deny", DES),
    ("mv notes.txt /tmp/", "deny", DES),
    ("cp build/app /usr/local/bin/app", "deny", DES),
    ("cp /etc/hosts hosts.copy", "ask", WR),
    ("git config --global user.name x", "deny", DES),
    # destructive inside the repository: asked
    ("rm -r build", "ask", DES),
    ("rm notes.txt", "ask", WR),
    ("rm -r $BUILD_DIR", "ask", DES),
    ("git reset --hard HEAD~1", "ask", DES),
    ("git reset HEAD~1", "ask", WR),
    ("git clean -fdx", "ask", DES),
    ("git clean -n", "ask", WR),
    ("git checkout -- .", "ask", DES),
    ("git restore src/a.py", "ask", DES),
    ("git restore --staged src/a.py", "ask", WR),
    ("git stash drop", "ask", DES),
    ("git branch -D feature", "ask", DES),
    ("chmod -R 777 .", "ask", DES),
    ("dd if=/dev/zero of=disk.img bs=1M count=1", "ask", DES),
    ("dd if=/dev/zero of=/dev/sda", "deny", DES),
    ("kill -9 1234", "ask", DES),
    # deny rules beat allow rules, in any part
    ("rm -rf build", "deny", DES),
    ("pytest && rm -rf build", "deny", DES),
    ("sudo rm -rf build", "deny", DES),
    ("bash -c 'rm -rf build'", "deny", DES),
    ("echo $(curl https://example.com)", "deny", NET),
    # read-only programs made to run another program or write a file: not read-only (they would
    # run unasked, and plan mode without a sandbox runs read-only commands only)
    ("git -c core.fsmonitor='touch /tmp/p' status", "ask", WR),
    ("git --config-env=core.pager=PAGER log", "ask", WR),
    ("git log --output=notes.txt", "ask", WR),
    ("git grep -O'touch /tmp/p' foo", "ask", WR),
    ("uniq notes.txt out.txt", "ask", WR),
    ("uniq -c notes.txt", "allow", RO),
    ("xxd a.bin a.hex", "ask", WR),
    ("rg --pre ./decode.sh TODO", "ask", WR),
    ("fd -e py -x touch", "ask", WR),
    ("tree -o listing.txt", "ask", WR),
    ("less -o log.txt notes.txt", "ask", WR),
    ("man -P 'touch x' ls", "ask", WR),
    ("history -w saved.txt", "ask", WR),
    ("date -s 2020-01-01", "ask", WR),
    ("hostname other", "ask", WR),
    ("date +%s && hostname", "allow", RO),
]


@pytest.mark.parametrize(("command", "outcome", "danger"), TABLE, ids=[row[0] for row in TABLE])
def test_command_verdict(repo: Path, command: str, outcome: str, danger: Danger) -> None:
    verdict = RULES.judge(command, repo)
    assert (verdict.outcome, verdict.danger) == (outcome, danger), verdict.reason
    assert verdict.reason and "\n" not in verdict.reason


def test_table_is_long_enough_to_mean_something() -> None:
    assert len(TABLE) >= 40


@pytest.mark.parametrize(
    ("command", "danger"),
    [("ls", RO), ("pytest", WR), ("git pull", NET), ("rm -rf /", DES), ("echo 'oops", DES)],
)
def test_classify_without_a_repository(command: str, danger: Danger) -> None:
    assert classify(command) == danger


def test_danger_classes_order_and_read_as_their_names() -> None:
    assert RO < WR < NET < DES
    assert max([WR, DES, RO]) == DES
    assert DES == "destructive" and f"{WR}" == "writes"
