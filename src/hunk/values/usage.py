"""Token counts, apart from the conversation: the status bar and the journal need them before
the first paint, the conversation's other values only once a session runs."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Usage:
    """Tokens of one call (or a sum of calls).

    `input_tokens` counts uncached input only; cache reads and writes are counted apart, as
    both Anthropic and our cost table price them apart. Providers whose API reports cached
    tokens inside the input count (OpenAI) subtract them before building a Usage.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )

    def __sub__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens - other.input_tokens,
            self.output_tokens - other.output_tokens,
            self.cache_read_tokens - other.cache_read_tokens,
            self.cache_write_tokens - other.cache_write_tokens,
        )

    @property
    def prompt_tokens(self) -> int:
        """Everything the model read: uncached input plus cache reads and writes."""
        return self.input_tokens + self.cache_read_tokens + self.cache_write_tokens


def usage_to_dict(usage: Usage) -> dict[str, int]:
    return {f.name: getattr(usage, f.name) for f in fields(usage)}
