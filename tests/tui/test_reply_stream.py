"""A long reply streams in pieces of bounded size, so a write costs the same at the end of the
reply as at its start; what is left on screen is the reply's own Markdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Markdown

from hunk.values.usage import Usage
from hunk.values.events import TextDelta, TurnFinished
from tests.tui.fakes import FakeAgent, make_app, send, settle

SENTENCE = "hunk streams markdown while you type; `code` and **bold** too. "
PARAGRAPH = SENTENCE * 80  # ~5,000 characters on one line
PARAGRAPHS = "\n\n".join(f"Paragraph {n}: " + SENTENCE * 6 for n in range(30))
FENCED = "Here it is:\n\n```python\n" + "\n\n".join(f"def f{n}():\n    return {n}" for n in range(200)) + "\n```\n\nDone."


def streaming(text: str, seen: list[int]):  # type: ignore[no-untyped-def]
    async def script(agent: FakeAgent, prompt: str, files: tuple) -> None:  # type: ignore[type-arg]
        for index in range(0, len(text), 7):
            agent.sink(TextDelta(text[index : index + 7]))
            if index % 700 == 0:
                await agent_pause()
                seen.append(max((len(m.source) for m in agent_app[0].chat.transcript.query(Markdown)), default=0))
        agent.sink(TurnFinished(1, "end_turn", Usage(), None))

    return script


agent_app: list = []  # type: ignore[type-arg]  # the app under test, for the script's probe


async def agent_pause() -> None:
    await asyncio.sleep(0.06)  # past the adapter's flush: the screen has the text so far


async def stream(tmp_path: Path, text: str) -> tuple[list[str], list[int]]:
    seen: list[int] = []
    app, _ = make_app(tmp_path, streaming(text, seen))
    agent_app[:] = [app]
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go")
        await settle(pilot, app)
        for _ in range(100):  # the end of the turn joins a split paragraph: let the screen catch up
            sources = [m.source for m in app.chat.transcript.query(Markdown)]
            if "".join(sources) == text and not app.chat.transcript.query(".-continued"):
                break
            await pilot.pause(0.05)
    return sources, seen


async def test_one_long_paragraph_streams_in_pieces_and_ends_as_one(tmp_path: Path) -> None:
    sources, seen = await stream(tmp_path, PARAGRAPH)
    assert max(seen) < 3_000  # no widget re-renders the whole paragraph per write
    assert sources == [PARAGRAPH]  # the finished reply: one paragraph, as the model wrote it


async def test_many_paragraphs_stream_in_pieces_that_hold_the_whole_reply(tmp_path: Path) -> None:
    sources, seen = await stream(tmp_path, PARAGRAPHS)
    assert max(seen) < 3_000
    assert len(sources) > 1 and "".join(sources) == PARAGRAPHS
    assert all(s.endswith("\n\n") for s in sources[:-1])  # cut between blocks only


async def test_a_code_fence_is_never_cut(tmp_path: Path) -> None:
    sources, _ = await stream(tmp_path, FENCED)
    assert "".join(sources) == FENCED
    assert [s for s in sources if "```python" in s][0].count("```") == 2  # the fence whole in one piece
