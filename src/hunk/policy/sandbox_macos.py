"""The macOS seam: sandbox-exec with a generated profile. Not tested (hunk's CI runs Linux);
it states the same limits as `sandbox_linux` so a macOS implementation starts from here.
"""

from __future__ import annotations

import os
from pathlib import Path

from hunk.policy.sandbox_limits import Limits

SANDBOX_EXEC = "/usr/bin/sandbox-exec"


def _quote(path: Path) -> str:
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def profile(limits: Limits) -> str:
    """A Seatbelt profile: reads anywhere, writes only where `limits` allow."""
    rules = ["(version 1)", "(allow default)", "(deny file-write*)",
             '(allow file-write* (subpath "/private/tmp") (subpath "/private/var/folders") (literal "/dev/null"))']
    if limits.write_root:
        rules.append(f"(allow file-write* (subpath {_quote(limits.root)}))")
    for path in limits.protected:
        rules.append(f"(deny file-write* (subpath {_quote(path)}))")
    for path in limits.writable:
        rules.append(f"(allow file-write* (subpath {_quote(path)}))")
    if not limits.network:
        rules.append("(deny network*)")
    return "\n".join(rules)


class SandboxExec:
    name = "sandbox-exec"

    def problem(self) -> str | None:
        if not os.access(SANDBOX_EXEC, os.X_OK):
            return "sandbox-exec is not available on this Mac"
        return "hunk's macOS sandbox is not finished yet"

    def wrap(self, argv: list[str], limits: Limits, cwd: Path) -> list[str]:
        return [SANDBOX_EXEC, "-p", profile(limits), *argv]
