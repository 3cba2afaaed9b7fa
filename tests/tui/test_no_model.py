"""No API key: a clear screen that names the variable and the models usable now; prompts are
kept, not swallowed; `/model` (with a name or from the picker) starts the agent without a
restart."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from textual.widgets import Static

from hunk.providers.available import served_models, usable_models
from hunk.tui.app import create_app
from hunk.tui.screens.model_picker import ModelPicker
from tests.tui.fakes import FakeAgent, notices, send, settle

NO_KEY = "set ANTHROPIC_API_KEY to use anthropic:claude-sonnet-4-5"


def factory(built: list[FakeAgent]):  # type: ignore[no-untyped-def]
    def make(approver, sink, model=None):  # type: ignore[no-untyped-def]
        if model is None:
            raise RuntimeError(NO_KEY)
        agent = FakeAgent(approver, sink, model=model)
        built.append(agent)
        return agent

    return make


def panel(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(w.render()) for w in app.chat.transcript.query(".no-model").results(Static))


async def test_without_a_key_the_screen_says_what_to_set_and_model_starts_the_agent(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    for name in ("OLLAMA_BASE_URL", "LMSTUDIO_BASE_URL", "VLLM_BASE_URL", "LLAMACPP_BASE_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/v1")  # nothing listens: no local server
    built: list[FakeAgent] = []
    app = create_app(agent_factory=factory(built), repo_label="r", branch="main", model="anthropic:claude-sonnet-4-5", mode="ask", root=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):  # the panel comes from a worker the agent's build starts
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if panel(app):
                break
        said = panel(app)
        assert NO_KEY in said and "ANTHROPIC_API_KEY" in said
        assert not notices(app)  # the panel says it; a toast covered it at 60 columns
        assert "/model openai:" in said and "OPENAI_API_KEY is set" in said
        await send(pilot, "hello")
        assert app.chat.prompt.text == "hello"  # kept, not swallowed
        app.chat.prompt.clear()
        await send(pilot, "/model")  # the picker of models usable now
        await pilot.pause(0.3)
        assert isinstance(app.screen, ModelPicker)
        await pilot.press("enter")
        await settle(pilot, app)
        assert built and built[0].model.startswith("openai:")
        assert built[0].model in str(app.chat.status_bar.render())
        await send(pilot, "hello")
        await settle(pilot, app)
        assert [p for p, _ in built[0].prompts] == ["hello"]


def test_a_local_server_on_loopback_is_offered_with_its_models() -> None:
    class Models(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = json.dumps({"data": [{"id": "qwen2.5-coder"}, {"id": "llama3"}]}).encode()
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Models)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        assert served_models(url, 2.0) == ["llama3", "qwen2.5-coder"]
        specs = [u.spec for u in usable_models({"OLLAMA_BASE_URL": url, "VLLM_BASE_URL": "http://example.com/v1"}, 2.0)]
        assert "ollama:qwen2.5-coder" in specs and not any(s.startswith("vllm:") for s in specs)
    finally:
        server.shutdown()
