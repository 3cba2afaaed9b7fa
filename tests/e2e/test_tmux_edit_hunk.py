"""`e` on a hunk in the installed `hunk`, in tmux: an edit that changes a context line is
explained at once, with the app still on screen (Textual's suspend never resumed when the
editor's error left its block: the terminal stayed blank and no key woke it), then dropped,
and the hunk the model proposed is committed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.e2e.test_tmux_demo import Tmux, installed_hunk
from tests.gitrepo import git, hunk_env, make_repo

APP = 'import sys\n\n\ndef main():\n    print("hi")\n\n\nif __name__ == "__main__":\n    main()\n'

# Changes the context line 'def main():' of whatever hunk it is given.
EDITOR = """import pathlib, sys
path = pathlib.Path(sys.argv[1])
path.write_text(path.read_text().replace(" def main():", " def main(argv):"))
"""


def script(path: Path) -> Path:
    replies = [
        {"text": "Let me read it.", "tool_calls": [{"name": "read_file", "arguments": {"path": "app.py"}}]},
        {"text": "It should say hello.", "tool_calls": [{"name": "write_file", "arguments": {"path": "app.py", "content": APP.replace('"hi"', '"hello"')}}]},
        {"text": "Done."},
    ]
    path.write_text(json.dumps({"replies": replies, "commit_messages": ["Say hello"]}))
    return path


def test_an_edit_that_cannot_apply_is_explained_on_screen_then_dropped(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"app.py": APP})
    editor = tmp_path / "editor.py"
    editor.write_text(EDITOR)
    env = hunk_env(tmp_path / "home", TERM="xterm-256color", LANG="C.UTF-8", EDITOR=f"{sys.executable} {editor}")
    tmux = Tmux(f"{installed_hunk()} -m replay:{script(tmp_path / 'script.json')}", env, ("EDITOR",), cwd=repo, size=(80, 24))
    try:
        tmux.wait_for("Ask for a change")
        tmux.keys("say hello", "Enter")
        tmux.wait_for("1 undecided")
        tmux.keys("e")
        screen = tmux.wait_for("Your edited hunk does not apply")
        assert "main(argv)" in screen  # the problem, in words
        tmux.keys("d")  # drop the edit
        tmux.wait_for("edit dropped")
        tmux.keys("a")
        tmux.wait_for("all decided")
        tmux.keys("q")
        tmux.wait_for("Commit (ctrl+s)")
        tmux.keys("C-s")
        tmux.wait_for("committed ")
        assert git(repo, "log", "--format=%s").splitlines() == ["Say hello", "initial"]
        assert git(repo, "show", "HEAD:app.py") == APP.replace('"hi"', '"hello"')
    finally:
        tmux.close()
