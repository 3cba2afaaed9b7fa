"""The line at the bottom: where you are, which model, which mode, the sandbox, what it cost so far."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from hunk.values.usage import Usage


@dataclass(frozen=True)
class Status:
    """What the status bar shows."""

    repo: str
    branch: str
    model: str
    mode: str
    usage: Usage = Usage()
    cost_usd: float | None = None
    context_tokens: int = 0
    context_window: int | None = None
    sandbox: str = ""  # "sandbox: workspace-write", "not sandboxed" (hunk.policy.sandbox label)

    def with_(self, **changes: object) -> Status:
        return replace(self, **changes)  # type: ignore[arg-type]


def tokens(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M"
    if count >= 1000:
        return f"{count / 1000:.1f}k"
    return str(count)


MODE_STYLES = {"auto": "bold yellow", "plan": "bold cyan"}
def _sandbox_style(label: str) -> str:
    if label == "not sandboxed" or "refused" in label:
        return "bold red"
    return "yellow" if label == "sandbox: off" else "green"


def render_status(status: Status, width: int = 1000) -> Text:
    """The parts that fit in `width` columns. The least useful go first (cache, then tokens,
    then the repository); the model's name is shortened before the cost or the mode go."""
    cost = "$" + (f"{status.cost_usd:.4f}" if status.cost_usd is not None else "—")
    ctx: tuple[str, str] | None = None
    if status.context_window:
        percent = 100 * status.context_tokens / status.context_window
        ctx = (f"ctx {percent:.0f}%", "bold red" if percent >= 80 else "")
    repo = (f"{status.repo} ⎇ {status.branch}", "bold")
    model = (status.model, "cyan")
    mode = (status.mode + " ⇧⇥", MODE_STYLES.get(status.mode, "magenta"))
    flow = (f"↑{tokens(status.usage.prompt_tokens)} ↓{tokens(status.usage.output_tokens)}", "")
    cache = (f"cache {tokens(status.usage.cache_read_tokens)}", "dim")
    sandbox = (status.sandbox, _sandbox_style(status.sandbox)) if status.sandbox else None
    keep = [p for p in (sandbox, ctx) if p]  # where commands run is never dropped
    choices = [
        [repo, model, mode, flow, cache, (cost, ""), *keep],
        [repo, model, mode, flow, (cost, ""), *keep],
        [repo, model, mode, (cost, ""), *keep],
        [model, mode, (cost, ""), *keep],
    ]
    for parts in choices:
        if _width(parts) <= width:
            return _joined(parts)
    parts = choices[-1]
    room = max(8, width - _width(parts) + len(status.model))
    parts[0] = (status.model if len(status.model) <= room else status.model[: room - 1] + "…", "cyan")
    return _joined(parts)


def _width(parts: list[tuple[str, str]]) -> int:
    return 1 + sum(len(text) for text, _ in parts) + 3 * (len(parts) - 1)


def _joined(parts: list[tuple[str, str]]) -> Text:
    text = Text(" ", no_wrap=True, overflow="crop")
    for index, (part, style) in enumerate(parts):
        if index:
            text.append(" │ ", style="dim")
        text.append(part, style=style)
    return text


class StatusBar(Static):
    status: reactive[Status | None] = reactive(None)

    def watch_status(self, status: Status | None) -> None:
        if status is not None:
            self.update(render_status(status, self.size.width or 1000))

    def on_resize(self) -> None:
        self.watch_status(self.status)
