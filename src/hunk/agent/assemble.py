"""Assembling a working agent from configuration: provider, tools, rules, prompt, journal.

The CLI, the demo and the TUI all build their agent here, so each front end gets the same one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hunk.settings import prompts
from hunk.agent.loop import Agent, AgentSettings
from hunk.agent.approval import ApprovalMode, Approver
from hunk.agent.checks import Checker
from hunk.agent.context import Compactor
from hunk.agent.guard import CommandGuard
from hunk.settings.secrets import command_env, secret_values
from hunk.settings.config import Config
from hunk.values.events import EventSink, Notice, SessionStarted
from hunk.policy.sandbox import Sandbox
from hunk.workspace.errors import GitStateError
from hunk.workspace import gitstate
from hunk.workspace.git import open_repo
from hunk.settings.instructions import format_instructions, project_instructions
from hunk.extensions.hook_points import HookPoints
from hunk.extensions.loading import Extensions, load_extensions
from hunk.extensions.skills import SkillTool, skills_prompt
from hunk.providers import Provider, create_provider
from hunk.policy.commands import CommandRules
from hunk.agent.limits import Meter
from hunk.journal.journal import Journal, usage_totals
from hunk.journal.records import Resumed
from hunk.extensions.mcp import McpManager
from hunk.policy.tools import ToolRules
from hunk.tools import all_tools
from hunk.values.conversation import Message


@dataclass
class RunSpec:
    """Everything a front end decided before the agent exists."""

    root: Path
    config: Config
    mode: ApprovalMode
    cwd: Path | None = None
    journal: Journal | None = None
    history: list[Message] = field(default_factory=list)
    on_interrupt: str = "rollback"
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    extensions: Extensions | None = None  # None: found here (hooks, commands, skills)
    mcp: McpManager | None = None  # the session's MCP servers (see `hunk.extensions.mcp.mcp_servers`)
    resumed: Resumed | None = None  # the journal as the CLI opened it (None: its totals are read here)



def _meter(spec: RunSpec) -> Meter | None:
    """The session's running totals, starting from what it had used before."""
    if spec.journal is None:
        return None
    if spec.resumed is not None:
        return Meter(spec.resumed.usage, spec.resumed.cost_usd)
    return Meter(*usage_totals(spec.journal.path))


def make_provider(config: Config, env: Mapping[str, str], model: str | None = None) -> Provider:
    spec = model or config.model
    name = spec.partition(":")[0]
    override = config.providers.get(name)
    base_url = override.base_url if override else None
    api_key = env.get(override.api_key_env) if override and override.api_key_env else None
    return create_provider(spec, env=env, base_url=base_url, api_key=api_key)


def system_prompt(root: Path, cwd: Path | None = None) -> str:
    """The system prompt: byte-stable for a repository (no dates, no volatile state)."""
    found = project_instructions(root, cwd or root)
    return prompts.render("system", repo_name=root.name, instructions=format_instructions(found))


def make_sandbox(config: Config, root: Path) -> Sandbox:
    """The session's sandbox; hunk's scratch folder in .git (the index commands see, and the
    objects a `git add` into it writes) stays writable; the keep and the person's objects do not."""
    try:
        repo = open_repo(root)
        scratch: tuple[Path, ...] = (gitstate.scratch_dir(repo),)
    except GitStateError:
        scratch = ()
    sandbox = config.sandbox
    return Sandbox(sandbox.mode, root, network=sandbox.network, writable=sandbox.writable, scratch=scratch)


def announce(agent: Agent, sink: EventSink, root: Path, mode: str, *, resumed: bool = False) -> None:
    """Start the session's event stream: what runs where, and once, why commands are not sandboxed."""
    sandbox = agent.sandbox
    sink(SessionStarted(agent.model_label, str(root), mode, resumed=resumed, sandbox=sandbox.mode, sandboxed=sandbox.active))
    if sandbox.mode != "off" and not sandbox.active:
        sink(Notice(sandbox.state()))


def build_agent(spec: RunSpec, approver: Approver, sink: EventSink, provider: Provider | None = None) -> Agent:
    config = spec.config
    provider = provider or make_provider(config, spec.env)
    rules = CommandRules(allow=list(config.commands.allow), deny=list(config.commands.deny))
    settings = AgentSettings(
        mode=spec.mode,
        max_steps=config.limits.max_turns,
        max_cost_usd=config.limits.max_cost_usd,
        commit=config.commit.enabled,
        trailer=config.commit,
        command_timeout_s=float(config.limits.command_timeout_s),
        reasoning_effort=None if config.reasoning == "off" else config.reasoning,
        on_interrupt=spec.on_interrupt,  # type: ignore[arg-type]
        small_model=config.models.small,
    )
    secrets = secret_values(config, spec.env)
    if spec.journal is not None:
        spec.journal.secrets = secrets
    guard = CommandGuard(
        spec.root, spec.journal, budget_mb=config.keep.budget_mb, regenerable=config.keep.regenerable,
        env=command_env(config, spec.env),
    )
    extensions = spec.extensions or load_extensions(config, spec.root, spec.env)
    if spec.journal is not None:
        extensions.hooks.session_id = spec.journal.session_id
    tools = all_tools()
    if extensions.skills:  # without skills the tools and the prompt stay exactly as they were
        tools[SkillTool.name] = SkillTool(extensions.skills)
    agent = Agent(
        provider=provider,
        root=spec.root,
        approver=approver,
        sink=sink,
        tools=tools,
        rules=rules,
        system_prompt=system_prompt(spec.root, spec.cwd) + skills_prompt(extensions.skills),
        settings=settings,
        journal=spec.journal,
        history=spec.history,
        provider_factory=lambda model: make_provider(config, spec.env, model),
        meter=_meter(spec),
        sandbox=make_sandbox(config, spec.root),
        guard=guard,
        secrets=secrets,
        hooks=HookPoints(extensions.hooks, warnings=extensions.warnings),
        extra_tools=spec.mcp,
        tool_rules=ToolRules(allow=config.mcp.allow, deny=config.mcp.deny),
    )
    if config.checks.commands:
        agent.runner.checker = Checker(
            config=config.checks, run=agent.runner.run_check, approver=agent.runner.approver, sink=sink, root=spec.root,
            ask_first=config.checks_from_untrusted_repo, env=spec.env,
        )
    agent.runner.plan_sandbox = Sandbox("read-only", spec.root)
    agent.compactor = Compactor(compact_at=config.limits.context_compact_at)
    return agent
