"""What the command line says, read the same way by every command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line's grammar loads only when there are arguments to read
    import argparse


def opt(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


def flags(args: argparse.Namespace) -> dict[str, Any]:
    approval = "plan" if opt(args, "plan") else "auto" if opt(args, "yes") else opt(args, "approval")
    return {
        "model": opt(args, "model"),
        "approval": approval,
        "reasoning": opt(args, "reasoning"),
        "max_turns": opt(args, "max_turns"),
        "max_cost": opt(args, "max_cost"),
        "no_commit": True if opt(args, "no_commit") else None,
        "sandbox": opt(args, "sandbox"),
    }
