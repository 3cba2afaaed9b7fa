"""Credentials hunk holds, kept out of commands, journals and events.

A command inherits hunk's environment less every variable named by `config.SECRET_ENV`,
`commands.secret_env` (fnmatch patterns) and the `api_key_env` of each configured provider.
The values of those variables that are set are the known secrets: `redact` replaces them
wherever text leaves hunk (tool output for the model, the journal, `--json`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase

from hunk.settings.config import Config
from hunk.settings.sections import SECRET_ENV

REDACTED = "[redacted]"
_SHORTEST = 8  # shorter values are too common to be worth replacing ("1", "true")


def secret_names(config: Config, env: Mapping[str, str]) -> set[str]:
    """The variables set in `env` that hold credentials."""
    patterns = (*SECRET_ENV, *config.commands.secret_env)
    patterns += tuple(p.api_key_env for p in config.providers.values() if p.api_key_env)
    return {name for name in env if any(fnmatchcase(name, pattern) for pattern in patterns)}


def is_secret(name: str, config: Config) -> bool:
    """Whether a variable holds a credential hunk keeps to itself, set or not."""
    return bool(secret_names(config, {name: ""}))


def command_env(config: Config, env: Mapping[str, str]) -> dict[str, str]:
    """`env` without its credentials: what a command starts with."""
    hidden = secret_names(config, env)
    return {name: value for name, value in env.items() if name not in hidden}


def secret_values(config: Config, env: Mapping[str, str]) -> tuple[str, ...]:
    """The values of the credentials set in `env`, longest first."""
    values = {env[name] for name in secret_names(config, env) if len(env[name]) >= _SHORTEST}
    return tuple(sorted(values, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, REDACTED)
    return text
