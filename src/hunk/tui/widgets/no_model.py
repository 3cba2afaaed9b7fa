"""What the TUI says when no model can answer: why, which variable to set, and the models
usable right now."""

from __future__ import annotations

from rich.text import Text

from hunk.providers.available import Usable, key_variables


def no_model_text(problem: str, usable: list[Usable]) -> Text:
    text = Text()
    text.append("No model is ready: ", style="bold red")
    text.append(problem + "\n")
    keys = key_variables()
    text.append("Set a key, e.g. ", style="dim")
    text.append(" or ".join(keys[:2]), style="bold")
    text.append(f" (also {', '.join(keys[2:])})" if keys[2:] else "", style="dim")
    text.append(", and restart — or switch now, without a restart:\n", style="dim")
    if usable:
        width = max(len(u.spec) for u in usable)
        for choice in usable:
            text.append(f"  /model {choice.spec:<{width}}", style="bold cyan")
            text.append(f"  {choice.why}\n", style="dim")
        text.append("/model alone opens a picker.", style="dim")
    else:
        text.append("  no key is set and no local server answers (ollama serve, LM Studio, vLLM, llama.cpp)", style="dim")
    return text
