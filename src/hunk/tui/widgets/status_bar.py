"""The line at the bottom: where you are, which model, which mode, what it cost so far."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from hunk.values.conversation import Usage


@dataclass(frozen=True)
class Status:
    repo: str
    branch: str
    model: str
    mode: str
    usage: Usage = Usage()
    cost_usd: float | None = None
    context_tokens: int = 0
    context_window: int | None = None

    def with_(self, **changes: object) -> Status:
        return replace(self, **changes)  # type: ignore[arg-type]


def tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 1000:
        return f"{count / 1000:.1f}k"
    return str(count)


MODE_STYLES = {"auto": "bold yellow", "plan": "bold cyan"}


def render_status(status: Status) -> Text:
    parts: list[tuple[str, str]] = [
        (f"{status.repo} ⎇ {status.branch}", "bold"),
        (status.model, "cyan"),
        (status.mode + " ⇧⇥", MODE_STYLES.get(status.mode, "magenta")),
        (f"↑{tokens(status.usage.prompt_tokens)} ↓{tokens(status.usage.output_tokens)}", ""),
        (f"cache {tokens(status.usage.cache_read_tokens)}", "dim"),
        ("$" + (f"{status.cost_usd:.4f}" if status.cost_usd is not None else "—"), ""),
    ]
    if status.context_window:
        percent = 100 * status.context_tokens / status.context_window
        parts.append((f"ctx {percent:.0f}%", "bold red" if percent >= 80 else ""))
    text = Text(" ")
    for index, (part, style) in enumerate(parts):
        if index:
            text.append(" │ ", style="dim")
        text.append(part, style=style)
    return text


class StatusBar(Static):
    status: reactive[Status | None] = reactive(None)

    def watch_status(self, status: Status | None) -> None:
        if status is not None:
            self.update(render_status(status))
