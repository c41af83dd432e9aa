"""The OpenAI-compatible provider, turned on by settings, against a real HTTP server on loopback, through generate."""

from __future__ import annotations

import asyncio
import base64
import socket

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph.relay.ids import to_global_id
from graph.server.app import create_app
from graph.server.bootstrap import Adapters, build_providers
from graph.server.settings import Settings
from tests import images
from tests.builders import gql
from tests.graph.mutations import GENERATE
from tests.graph.org_state import org_row

KEY = "sk-test-" + "k" * 32


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
async def image_api():
    """A tiny OpenAI-compatible server: checks the key, answers `n` PNGs; `mode` switches failures on."""
    state = {"mode": "ok", "requests": []}

    async def generations(request: Request) -> Response:
        body = await request.json()
        state["requests"].append((request.headers.get("authorization"), body))
        if request.headers.get("authorization") != f"Bearer {KEY}":
            return JSONResponse({"error": "bad key"}, status_code=401)
        if state["mode"] == "error":
            return JSONResponse({"error": {"message": "overloaded"}}, status_code=500)
        if state["mode"] == "slow":
            await asyncio.sleep(2)  # past the provider timeout of 1 s, short enough not to hold the teardown
        if state["mode"] == "garbage":
            return JSONResponse({"data": [{"b64_json": base64.b64encode(b"<html>").decode()}]})
        width, height = (int(x) for x in body["size"].split("x"))
        data = [
            {"b64_json": base64.b64encode(images.png(width // 8, height // 8)).decode()}
            for _ in range(body["n"])
        ]
        return JSONResponse({"created": 1, "data": data})

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/v1/images/generations", generations, methods=["POST"])]),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn offers no started event to wait on
        if server.started:
            break
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}/v1", state
    server.should_exit = True
    await task


@pytest.fixture(scope="module")
async def client(settings, image_api):
    """The app as the composition root builds it from settings that name the service, as the README says."""
    base, _ = image_api
    configured = settings.model_copy(
        update={
            "openai_base_url": base,
            "openai_api_key": KEY,
            "openai_model": "gpt-image-1",
            "openai_credits_per_image": 4,
            "openai_timeout_seconds": 1,
        }
    )
    configured = Settings.model_validate(configured.model_dump())  # the key as pydantic types it
    adapters = Adapters.build(configured)
    app = create_app(configured, adapters=adapters)
    async with (
        LifespanManager(app, startup_timeout=60) as manager,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://ai") as c,
    ):
        yield c


@pytest.fixture
def openai(image_api):
    _, state = image_api
    state["mode"], state["requests"] = "ok", []
    return state


def test_the_provider_is_on_only_when_its_settings_are_there(settings):
    assert set(build_providers(settings)) == {"procedural"}
    assert set(build_providers(settings.model_copy(update={"openai_base_url": "http://x"}))) == {"procedural"}
    with_key = Settings.model_validate(
        {**settings.model_dump(), "openai_base_url": "http://x", "openai_api_key": KEY}
    )
    assert set(build_providers(with_key)) == {"procedural", "openai"}
    assert KEY not in repr(with_key) and KEY not in str(with_key.model_dump())


async def test_images_come_from_the_service_and_cost_its_credits(client, tenant, openai):
    session = to_global_id("Session", await tenant.session("S", aspect_ratio="16:9"))
    _, body = await gql(
        client,
        tenant.token,
        GENERATE,
        {
            "input": {
                "sessionId": session,
                "prompt": "a harbour at dawn",
                "negativePrompt": "people",
                "count": 2,
                "provider": "openai",
            }
        },
    )
    payload = body["data"]["generate"]
    assert payload["userErrors"] == []
    assert [
        (g["provider"], g["model"], g["creditsUsed"], g["width"], g["height"]) for g in payload["generations"]
    ] == [("openai", "gpt-image-1", 4, 128, 72)] * 2
    ((authorization, sent),) = openai["requests"]
    assert authorization == f"Bearer {KEY}"
    assert sent == {
        "model": "gpt-image-1",
        "prompt": "a harbour at dawn\n\nAvoid: people",
        "n": 2,
        "size": "1024x576",
        "response_format": "b64_json",
    }
    assert (await org_row(tenant)).credits_spent == 8


@pytest.mark.parametrize("mode", ["error", "slow", "garbage"])
async def test_a_failing_service_spends_nothing_and_says_so(client, tenant, openai, mode):
    openai["mode"] = mode
    _, body = await gql(
        client,
        tenant.token,
        GENERATE,
        {
            "input": {
                "sessionId": to_global_id("Session", await tenant.session("S")),
                "prompt": "x",
                "provider": "openai",
            }
        },
    )
    errors = body["data"]["generate"]["userErrors"]
    assert [e["code"] for e in errors] == ["PROVIDER_FAILED"] and KEY not in str(body)
    assert (await org_row(tenant)).credits_spent == 0
