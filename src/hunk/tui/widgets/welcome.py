"""The first screen: where you are, what answers, how carefully, and three tips. It leaves
once the conversation starts."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from hunk.tui.widgets.status_bar import Status

TIPS = (
    "Ask for a change in your own words: every edit comes to you as a diff, hunk by hunk, and only what you accept is committed.",
    "@path attaches a file · / lists the commands (/model, /undo, /diff) · Ctrl+J adds a line.",
    "Esc cancels a running turn · Ctrl+C twice quits · `hunk -c` continues this session later.",
)

SANDBOX_UNKNOWN = "sandbox: …"  # until the agent has probed it


def welcome_text(status: Status, root: Path, sandbox: str | None) -> Text:
    """`sandbox`: the label known before the agent is built; the status's own label (the
    agent's sandbox, as the status bar shows it) wins once there is one."""
    text = Text()
    text.append("hunk", style="bold")
    text.append(f"  {root}", style="bold")
    text.append(f"  ⎇ {status.branch}\n", style="")
    text.append("model ", style="dim")
    text.append(status.model, style="cyan")
    text.append("   approval ", style="dim")
    text.append(status.mode, style="bold yellow" if status.mode == "auto" else "magenta")
    text.append(f"   {status.sandbox or sandbox or SANDBOX_UNKNOWN}\n\n", style="dim")
    for tip in TIPS:
        text.append("• ", style="dim")
        text.append(tip + "\n")
    return text
