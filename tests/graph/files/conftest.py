"""Files with real bytes behind them: an asset or a generation whose blob is in the store."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from graph.server.bootstrap import Adapters
from tests import images
from tests.builders import Tenant


@dataclass
class Stored:
    """A tenant's asset or generation with its image bytes in the blob store."""

    id: int
    data: bytes


@pytest.fixture
def store_asset(adapters: Adapters):
    async def store(tenant: Tenant, data: bytes | None = None, **values) -> Stored:
        data = data if data is not None else images.png()
        blob = await adapters.blobs.put("library", data)
        values.setdefault("mime_type", "image/png")
        asset = await tenant.asset(blob_key=blob.key, byte_size=blob.size, **values)
        return Stored(asset, data)

    return store


@pytest.fixture
def store_generation(adapters: Adapters):
    async def store(tenant: Tenant, data: bytes | None = None, **values) -> Stored:
        data = data if data is not None else images.png()
        blob = await adapters.blobs.put("scratch", data)
        session = await tenant.session()
        values.setdefault("mime_type", "image/png")
        generation = await tenant.generation(session, blob_key=blob.key, byte_size=blob.size, **values)
        return Stored(generation, data)

    return store
