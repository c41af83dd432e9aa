"""Renditions on `GET /files/.../w256|w1024` and `thumbnailUrl(size:)`: who gets them, and what each answer says."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image

from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests import images
from tests.builders import codes, gql, make_tenant
from tests.graph.files.renditions import render
from tests.graph.files.test_downloads import bearer, path

THUMBNAIL = """query($id: ID!, $size: Int!) { node(id: $id) {
  ... on Asset { thumbnailUrl(size: $size) } ... on Generation { thumbnailUrl(size: $size) } } }"""


def rendition_path(kind: str, type_name: str, id: int, variant: str) -> str:
    return path(kind, type_name, id).removesuffix("/original") + f"/{variant}"


async def thumbnail_url(
    client, tenant, type_name: str, pk: int, size: int = 256, *, fresh: bool = False
) -> str | None:
    status, body = await gql(
        client, tenant.token, THUMBNAIL, {"id": to_global_id(type_name, pk), "size": size}, fresh=fresh
    )
    assert status == 200 and "errors" not in body, body
    return body["data"]["node"]["thumbnailUrl"]


def long_edge(data: bytes) -> tuple[str | None, int]:
    image = Image.open(io.BytesIO(data))
    return image.format, max(image.size)


@pytest.fixture
async def rendered(adapters, engine, tenant, store_asset):
    """A 2000x1000 asset named Hero, rendered at 256 and 1024."""
    asset = await store_asset(tenant, images.png(2000, 1000), name="Hero.png")
    renditions = await render(adapters, engine, tenant.org_id, "asset", asset.id, asset.data)
    return asset.id, renditions


class TestServingRenditions:
    @pytest.mark.parametrize(("variant", "edge"), [("w256", 256), ("w1024", 1024)])
    async def test_a_member_gets_each_rendition_as_stored(self, client, tenant, rendered, variant, edge):
        pk, renditions = rendered
        response = await client.get(
            rendition_path("assets", "Asset", pk, variant), headers=bearer(tenant.token)
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/webp"
        assert response.headers["etag"] == f'"{renditions[edge].blob_key}"'
        assert response.headers["cache-control"] == "private, no-cache"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"] == (
            f"attachment; filename=\"Hero-{variant}.webp\"; filename*=UTF-8''Hero-{variant}.webp"
        )
        assert long_edge(response.content) == ("WEBP", edge)
        assert len(response.content) == renditions[edge].byte_size

    async def test_ranges_head_and_revalidation_work_as_for_originals(self, client, tenant, rendered):
        pk, renditions = rendered
        url, headers = rendition_path("assets", "Asset", pk, "w256"), bearer(tenant.token)
        whole = (await client.get(url, headers=headers)).content
        part = await client.get(url, headers={**headers, "range": "bytes=10-19"})
        assert part.status_code == 206 and part.content == whole[10:20]
        head = await client.head(url, headers=headers)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(whole))
        again = await client.get(url, headers={**headers, "if-none-match": f'"{renditions[256].blob_key}"'})
        assert again.status_code == 304 and again.content == b""

    async def test_every_unserved_rendition_answers_the_same_404_as_an_unserved_original(
        self, client, adapters, engine, tenant, store_asset
    ):
        other = await make_tenant(engine)
        foreign = await store_asset(other)
        await render(adapters, engine, other.org_id, "asset", foreign.id, foreign.data)
        trashed = await store_asset(tenant)
        await render(adapters, engine, tenant.org_id, "asset", trashed.id, trashed.data)
        await tenant.run(
            lambda c: c.execute(
                sa.update(t.assets).where(t.assets.c.id == trashed.id).values(trashed_at=datetime.now(UTC))
            )
        )
        unprocessed = await store_asset(tenant)
        urls = [
            path("assets", "Asset", 2**62),  # the original of nothing, for comparison
            rendition_path("assets", "Asset", foreign.id, "w256"),
            rendition_path("assets", "Asset", trashed.id, "w256"),
            rendition_path("assets", "Asset", unprocessed.id, "w1024"),
            rendition_path("assets", "Asset", 2**62, "w256"),
            rendition_path("assets", "Asset", unprocessed.id, "w512"),  # no such variant
        ]
        answers = []
        for url in urls:
            response = await client.get(url, headers=bearer(tenant.token))
            answers.append((response.status_code, response.content))
        assert set(answers) == {answers[0]} and answers[0][0] == 404, answers


class TestThumbnailUrl:
    @pytest.mark.parametrize(
        ("size", "edge"), [(1, 256), (256, 256), (257, 1024), (1024, 1024), (4096, 1024)]
    )
    async def test_the_smallest_rendition_at_or_above_the_size_else_the_largest(
        self, client, tenant, rendered, size, edge
    ):
        pk, renditions = rendered
        url = await thumbnail_url(client, tenant, "Asset", pk, size)
        assert urlsplit(url).path == rendition_path("assets", "Asset", pk, f"w{edge}")
        response = await client.get(url)  # no token: the link is the credential
        assert response.status_code == 200
        assert long_edge(response.content) == ("WEBP", edge)
        assert response.headers["content-disposition"].startswith("inline;")
        assert response.headers["etag"] == f'"{renditions[edge].blob_key}"'

    async def test_its_answer_is_immutable_for_the_life_of_the_link(self, client, tenant, rendered):
        pk, _ = rendered
        response = await client.get(await thumbnail_url(client, tenant, "Asset", pk))
        max_age, immutable = response.headers["cache-control"].removeprefix("private, max-age=").split(", ")
        assert immutable == "immutable" and 600 - 5 <= int(max_age) <= 900

    async def test_a_link_opens_nothing_once_the_image_was_rendered_again_differently(
        self, client, tenant, rendered
    ):
        pk, _ = rendered
        url = await thumbnail_url(client, tenant, "Asset", pk)
        await tenant.run(
            lambda c: c.execute(
                sa.update(t.renditions).where(t.renditions.c.subject_id == pk).values(blob_key="f" * 64)
            )
        )
        assert (await client.get(url)).status_code == 404
        # the row changed without an event, as the app never changes one: ask past the response cache
        fresh = await thumbnail_url(client, tenant, "Asset", pk, fresh=True)
        assert fresh != url and parse_qs(urlsplit(fresh).query)["r"] == ["f" * 16]

    @pytest.mark.parametrize("part", ["r", "s"])
    async def test_a_link_whose_content_or_signature_was_altered_is_403(self, client, tenant, rendered, part):
        pk, _ = rendered
        url = await thumbnail_url(client, tenant, "Asset", pk)
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        query[part] = query[part][:-1] + ("A" if query[part][-1] != "A" else "B")
        response = await client.get(urlsplit(url).path, params=query)
        assert response.status_code == 403

    async def test_a_download_link_opens_no_rendition(self, client, tenant, rendered):
        pk, _ = rendered
        _, body = await gql(
            client,
            tenant.token,
            "query($id: ID!) { node(id: $id) { ... on Asset { downloadUrl } } }",
            {"id": to_global_id("Asset", pk)},
        )
        original = body["data"]["node"]["downloadUrl"]
        assert (await client.get(original.replace("/original?", "/w256?"))).status_code == 403

    async def test_null_until_processed_and_while_trashed(self, client, tenant, rendered, store_asset):
        pk, _ = rendered
        unprocessed = await store_asset(tenant)
        assert await thumbnail_url(client, tenant, "Asset", unprocessed.id) is None
        await tenant.run(
            lambda c: c.execute(
                sa.update(t.assets).where(t.assets.c.id == pk).values(trashed_at=datetime.now(UTC))
            )
        )
        assert await thumbnail_url(client, tenant, "Asset", pk) is None

    async def test_a_generation_has_its_thumbnail_too(
        self, client, adapters, engine, tenant, store_generation
    ):
        generation = await store_generation(tenant, images.png(300, 600))
        assert await thumbnail_url(client, tenant, "Generation", generation.id) is None
        await render(adapters, engine, tenant.org_id, "generation", generation.id, generation.data)
        response = await client.get(await thumbnail_url(client, tenant, "Generation", generation.id, 100))
        assert response.status_code == 200
        image = Image.open(io.BytesIO(response.content))
        assert (image.format, image.size) == ("WEBP", (128, 256))

    @pytest.mark.parametrize("size", [0, -1, 4097])
    async def test_a_size_out_of_bounds_is_invalid_input(self, client, tenant, store_asset, size):
        asset = await store_asset(tenant)
        status, body = await gql(
            client, tenant.token, THUMBNAIL, {"id": to_global_id("Asset", asset.id), "size": size}
        )
        assert status == 200 and codes(body) == ["INVALID_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == "size"
        assert body["data"]["node"]["thumbnailUrl"] is None
