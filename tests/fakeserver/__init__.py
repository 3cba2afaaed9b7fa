"""A fake model provider on 127.0.0.1 that speaks the real wire protocols (tests only)."""

from tests.fakeserver.script import Cut, Fault, Held, Reply, ToolCall
from tests.fakeserver.server import FakeProvider, RecordedRequest

__all__ = ["Cut", "FakeProvider", "Fault", "Held", "RecordedRequest", "Reply", "ToolCall"]
