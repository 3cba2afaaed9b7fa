"""Everything a session plugs in, found once: hooks, custom commands and skills.

Front ends and the agent share one `Extensions`: the agent fires the hooks and offers the skills;
the TUI completes and lists the commands; `hunk run "/name args"` and the TUI turn a typed
command into a prompt with `invoke`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hunk.settings.config import Config
from hunk.extensions.hook_config import HookSetup, load_hooks
from hunk.extensions.hook_runner import Wrap
from hunk.extensions.hooks import Hooks
from hunk.extensions.skills import Skill, discover_skills
from hunk.extensions.slash_commands import CustomCommand, discover_commands, split_invocation


@dataclass(frozen=True)
class Invocation:
    """A typed `/name args` turned into what the turn sends."""

    name: str
    prompt: str
    model: str | None = None  # PROVIDER:MODEL for this turn only
    command: CustomCommand | None = None

    def tools(self) -> set[str] | None:
        """The tools the turn may offer; None: all of them."""
        return self.command.tools() if self.command is not None else None


@dataclass
class Extensions:
    hooks: Hooks
    commands: dict[str, CustomCommand] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # one line each, for the person

    def invoke(self, line: str) -> Invocation | None:
        """The custom command or skill `line` names, expanded; None when it names neither."""
        split = split_invocation(line)
        if split is None:
            return None
        name, arguments = split
        if name in self.commands:
            command = self.commands[name]
            return Invocation(name, command.expand(arguments), command.model, command)
        if name in self.skills:
            return Invocation(name, self.skills[name].activation(arguments))
        return None

    def named(self) -> list[tuple[str, str, str]]:
        """(name, usage, description) of every custom command and skill, for completion and help."""
        rows = [(c.name, c.usage, c.description) for c in self.commands.values()]
        rows += [(s.name, f"/{s.name}", f"skill: {s.description}") for s in self.skills.values() if s.name not in self.commands]
        return sorted(rows)


def load_extensions(
    config: Config,
    root: Path,
    env: Mapping[str, str],
    *,
    reserved: Iterable[str] = (),
    session_id: str = "",
    wrap: Wrap | None = None,
) -> Extensions:
    """Find the session's hooks, commands and skills. Blocking file reads: call it once."""
    setup: HookSetup = load_hooks(config, root, env)
    reserved = set(reserved)
    commands, command_warnings = discover_commands(root, env, reserved)
    skills, skill_warnings = discover_skills(root, env)
    warnings = list(setup.warnings)
    if setup.ignored:
        warnings.append(
            "hooks in " + ", ".join(setup.ignored) + " were not run: this repository is not trusted "
            "(add it to trusted_repos in ~/.config/hunk/config.toml to run them)"
        )
    for name in [n for n in skills if n in reserved]:
        warnings.append(f"{skills[name].where}: /{name} is a built-in command; use the skill through the model")
    hooks = Hooks(setup, root=root, env=env, session_id=session_id, wrap=wrap)
    return Extensions(hooks, commands, skills, warnings + command_warnings + skill_warnings)


def no_extensions(root: Path, env: Mapping[str, str]) -> Extensions:
    """A session with nothing plugged in."""
    return Extensions(Hooks(root=root, env=env))
