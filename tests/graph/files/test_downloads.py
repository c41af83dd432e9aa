"""`GET /files/...`: who gets a file, and what every answer says about it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from domain.files.model import FileKind, FileRef, Variant
from domain.kernel.access import Role
from graph.files.links import FileLinks
from graph.relay.ids import to_global_id
from graph.server.settings import Settings
from tests import images
from tests.builders import gql, make_tenant
from tests.integration.files.exiftool import read_tags

ASSET_URL = (
    "query($id: ID!) { node(id: $id) { ... on Asset { downloadUrl inlineUrl: downloadUrl(inline: true) } } }"
)
GENERATION_URL = "query($id: ID!) { node(id: $id) { ... on Generation { imageUrl } } }"


def path(kind: str, type_name: str, id: int) -> str:
    return f"/files/{kind}/{to_global_id(type_name, id)}/original"


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", **headers}


async def download_url(client, tenant, asset_id: int, *, field: str = "downloadUrl") -> str | None:
    status, body = await gql(client, tenant.token, ASSET_URL, {"id": to_global_id("Asset", asset_id)})
    assert status == 200 and "errors" not in body, body
    return body["data"]["node"][field]


def pixels(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).convert("RGBA").tobytes()


class TestBearerAccess:
    async def test_a_member_downloads_an_asset_with_its_token(self, client, tenant, store_asset):
        asset = await store_asset(tenant, images.png(text={"Author": "Jane Roe"}), name="Hero")
        response = await client.get(path("assets", "Asset", asset.id), headers=bearer(tenant.token))
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "private, no-cache"
        assert response.headers["accept-ranges"] == "bytes"
        assert (
            response.headers["content-disposition"]
            == "attachment; filename=\"Hero.png\"; filename*=UTF-8''Hero.png"
        )
        assert int(response.headers["content-length"]) == len(response.content)
        assert b"Jane Roe" not in response.content
        assert pixels(response.content) == pixels(asset.data)

    async def test_no_token_is_401_as_on_graphql(self, client, tenant, store_asset):
        asset = await store_asset(tenant)
        response = await client.get(path("assets", "Asset", asset.id))
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    async def test_a_revoked_or_unknown_token_is_401(self, client, tenant, store_asset):
        asset = await store_asset(tenant)
        _, revoked = await tenant.member(Role.VIEWER, revoked_at=datetime.now(UTC))
        for token in (revoked, "atl_nope"):
            response = await client.get(path("assets", "Asset", asset.id), headers=bearer(token))
            assert response.status_code == 401

    async def test_a_viewer_may_download(self, client, tenant, store_asset):
        asset = await store_asset(tenant)
        _, viewer = await tenant.member(Role.VIEWER)
        response = await client.get(path("assets", "Asset", asset.id), headers=bearer(viewer))
        assert response.status_code == 200


class TestWhatIsNotServed:
    """Another organisation's file, a trashed asset, an expired generation, a missing blob: one 404."""

    async def answers(self, client, token, url) -> tuple[int, bytes]:
        response = await client.get(url, headers=bearer(token))
        return response.status_code, response.content

    async def test_every_unserved_file_answers_the_same_404(
        self, client, engine, tenant, store_asset, store_generation
    ):
        other = await make_tenant(engine)
        foreign = await store_asset(other)
        trashed = await store_asset(tenant, trashed_at=datetime.now(UTC))
        expired = await store_generation(tenant, expires_at=datetime.now(UTC) - timedelta(minutes=1))
        missing = await tenant.asset()  # a row whose blob was never stored
        urls = [
            path("assets", "Asset", foreign.id),
            path("assets", "Asset", trashed.id),
            path("generations", "Generation", expired.id),
            path("assets", "Asset", missing),
            path("assets", "Asset", 2**62),
            path("assets", "Generation", foreign.id),  # an id of another type
            f"/files/assets/{to_global_id('Asset', foreign.id)}/w256",  # a rendition, not served yet
            "/files/folders/Rm9sZGVyOjE=/original",
            "/files/assets/not-an-id/original",
        ]
        answers = {url: await self.answers(client, tenant.token, url) for url in urls}
        assert {answer for answer in answers.values()} == {(404, answers[urls[0]][1])}, answers
        assert b"NOT_FOUND" in answers[urls[0]][1]

    async def test_an_expired_generation_that_someone_likes_is_still_served(
        self, client, tenant, store_generation
    ):
        liked = await store_generation(tenant, expires_at=datetime.now(UTC) - timedelta(minutes=1))
        await tenant.like(liked.id)
        status, _ = await self.answers(client, tenant.token, path("generations", "Generation", liked.id))
        assert status == 200

    async def test_a_trashed_asset_has_no_download_url(self, client, tenant, store_asset):
        trashed = await store_asset(tenant, trashed_at=datetime.now(UTC))
        assert await download_url(client, tenant, trashed.id) is None


class TestSignedLinks:
    async def test_the_download_url_works_without_a_token(self, client, tenant, store_asset):
        asset = await store_asset(tenant, name="Hero")
        url = await download_url(client, tenant, asset.id)
        assert url.startswith(f"http://atelier.test{path('assets', 'Asset', asset.id)}?")
        response = await client.get(url)
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment;")
        max_age = int(response.headers["cache-control"].removeprefix("private, max-age="))
        assert 600 - 5 <= max_age <= 900  # at least two thirds of the lifetime left, never more than it

    async def test_the_inline_url_shows_the_image_in_the_browser(self, client, tenant, store_asset):
        asset = await store_asset(tenant)
        response = await client.get(await download_url(client, tenant, asset.id, field="inlineUrl"))
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("inline;")

    async def test_a_generation_image_url_works_without_a_token(self, client, tenant, store_generation):
        generation = await store_generation(tenant)
        _, body = await gql(
            client, tenant.token, GENERATION_URL, {"id": to_global_id("Generation", generation.id)}
        )
        response = await client.get(body["data"]["node"]["imageUrl"])
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("inline;")
        assert pixels(response.content) == pixels(generation.data)

    async def test_one_asset_keeps_the_same_url_for_a_while(self, client, tenant, store_asset):
        asset = await store_asset(tenant)
        assert await download_url(client, tenant, asset.id) == await download_url(client, tenant, asset.id)

    @pytest.mark.parametrize("part", ["o", "e", "s"])
    async def test_a_link_altered_anywhere_is_403(self, client, tenant, store_asset, part):
        asset = await store_asset(tenant)
        url = await download_url(client, tenant, asset.id)
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        query[part] = query[part][:-1] + ("A" if query[part][-1] != "A" else "B")
        response = await client.get(path("assets", "Asset", asset.id), params=query)
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    async def test_a_link_for_one_file_opens_no_other(self, client, tenant, store_asset):
        first, second = await store_asset(tenant), await store_asset(tenant)
        url = await download_url(client, tenant, first.id)
        other = url.replace(to_global_id("Asset", first.id), to_global_id("Asset", second.id))
        assert (await client.get(other)).status_code == 403

    async def test_a_link_missing_a_part_is_403(self, client, tenant, store_asset):
        asset = await store_asset(tenant)
        response = await client.get(path("assets", "Asset", asset.id), params={"s": "x" * 43})
        assert response.status_code == 403

    async def test_an_expired_link_is_403_whatever_the_file(
        self, client, tenant, settings: Settings, store_asset
    ):
        asset = await store_asset(tenant)
        links = FileLinks(settings.signing_key(), timedelta(minutes=15))
        ref = FileRef(FileKind.ASSET, asset.id, Variant.ORIGINAL)
        stale = links.signed(
            "http://atelier.test", tenant.org_id, ref, now=datetime.now(UTC) - timedelta(hours=1)
        )
        response = await client.get(stale)
        assert response.status_code == 403
        assert "expired" in response.json()["errors"][0]["message"]

    async def test_a_link_to_an_asset_stops_working_once_it_is_trashed(
        self, client, engine, tenant, store_asset
    ):
        asset = await store_asset(tenant)
        url = await download_url(client, tenant, asset.id)
        await tenant.run(
            lambda c: c.exec_driver_sql(
                f"UPDATE assets SET trashed_at = CURRENT_TIMESTAMP WHERE id = {asset.id}"
            )
        )
        assert (await client.get(url)).status_code == 404

    async def test_a_link_signed_for_another_organisation_serves_nothing_of_this_one(
        self, client, engine, tenant, settings: Settings, store_asset
    ):
        other = await make_tenant(engine)
        asset = await store_asset(tenant)
        links = FileLinks(settings.signing_key(), timedelta(minutes=15))
        ref = FileRef(FileKind.ASSET, asset.id, Variant.ORIGINAL)
        theirs = links.signed("http://atelier.test", other.org_id, ref, now=datetime.now(UTC))
        assert (await client.get(theirs)).status_code == 404


class TestConditionalAndPartial:
    @pytest.fixture
    async def served(self, client, tenant, store_asset):
        asset = await store_asset(tenant, images.png(300, 200))
        url = path("assets", "Asset", asset.id)
        whole = await client.get(url, headers=bearer(tenant.token))
        return url, tenant.token, whole

    async def test_the_etag_is_strong_and_a_match_answers_304(self, client, served):
        url, token, whole = served
        etag = whole.headers["etag"]
        assert etag.startswith('"') and len(etag) == 66
        for header in (etag, f'"nope", {etag}', f"W/{etag}", "*"):
            response = await client.get(url, headers=bearer(token, **{"if-none-match": header}))
            assert response.status_code == 304, header
            assert response.content == b"" and response.headers["etag"] == etag
        other = await client.get(url, headers=bearer(token, **{"if-none-match": '"other"'}))
        assert other.status_code == 200

    @pytest.mark.parametrize(
        ("header", "first", "last"),
        [
            ("bytes=0-9", 0, 9),
            ("bytes=10-", 10, None),
            ("bytes=-7", -7, None),
            ("bytes=5-999999", 5, None),
            ("BYTES = 2 - 3", 2, 3),
        ],
    )
    async def test_a_single_range_answers_206(self, client, served, header, first, last):
        url, token, whole = served
        size = len(whole.content)
        response = await client.get(url, headers=bearer(token, range=header))
        assert response.status_code == 206
        start = first if first >= 0 else size + first
        end = size - 1 if last is None else last
        assert response.content == whole.content[start : end + 1]
        assert response.headers["content-range"] == f"bytes {start}-{end}/{size}"
        assert int(response.headers["content-length"]) == end - start + 1

    async def test_a_suffix_longer_than_the_file_is_the_whole_file(self, client, served):
        url, token, whole = served
        response = await client.get(url, headers=bearer(token, range="bytes=-99999999"))
        assert response.status_code == 206 and response.content == whole.content

    @pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0"])
    async def test_a_range_past_the_end_is_416(self, client, served, header):
        url, token, whole = served
        response = await client.get(url, headers=bearer(token, range=header))
        assert response.status_code == 416
        assert response.headers["content-range"] == f"bytes */{len(whole.content)}"
        assert response.json()["errors"][0]["extensions"]["code"] == "RANGE_NOT_SATISFIABLE"

    @pytest.mark.parametrize(
        "header", ["bytes=0-1,5-6", "bytes=9-2", "items=0-1", "bytes=abc", "bytes=-", "bytes=" + "9" * 40]
    )
    async def test_multiple_or_unreadable_ranges_get_the_whole_file(self, client, served, header):
        url, token, whole = served
        response = await client.get(url, headers=bearer(token, range=header))
        assert response.status_code == 200 and response.content == whole.content

    async def test_if_range_with_another_etag_sends_the_whole_file(self, client, served):
        url, token, whole = served
        stale = await client.get(url, headers=bearer(token, range="bytes=0-9", **{"if-range": '"old"'}))
        assert stale.status_code == 200 and stale.content == whole.content
        fresh = await client.get(
            url, headers=bearer(token, range="bytes=0-9", **{"if-range": whole.headers["etag"]})
        )
        assert fresh.status_code == 206 and fresh.content == whole.content[:10]

    async def test_head_sends_the_headers_without_the_body(self, client, served):
        url, token, whole = served
        response = await client.head(url, headers=bearer(token))
        assert response.status_code == 200 and response.content == b""
        assert response.headers["content-length"] == str(len(whole.content))
        assert response.headers["etag"] == whole.headers["etag"]

    async def test_other_methods_are_405(self, client, served):
        url, token, _ = served
        response = await client.post(url, headers=bearer(token))
        assert response.status_code == 405


class TestContentDisposition:
    @pytest.mark.parametrize(
        "name",
        [
            'a "quoted" name',
            "line\r\nSet-Cookie: x=1",
            "../../etc/passwd",
            "bell\x07and\x1bescape",  # NUL cannot be stored (PostgreSQL refuses it); names.py tests it
            "x" * 300,
            "🦊 fox 🦊",
            "CON",
            "...",
            "naïve café",
            "tab\tand\\backslash;semicolon",
        ],
    )
    async def test_a_hostile_name_makes_a_safe_header(self, client, tenant, store_asset, name):
        asset = await store_asset(tenant, name=name)
        response = await client.get(path("assets", "Asset", asset.id), headers=bearer(tenant.token))
        assert response.status_code == 200
        header = response.headers["content-disposition"]
        assert header.isascii() and "\r" not in header and "\n" not in header and "\x00" not in header
        kind, fallback, extended = header.split("; ")
        assert kind == "attachment"
        assert fallback.startswith('filename="') and fallback.endswith('.png"')
        assert '"' not in fallback[len('filename="') : -1] and "/" not in fallback and "\\" not in fallback
        assert extended.startswith("filename*=UTF-8''") and extended.endswith(".png")
        assert len(extended) < 1200

    async def test_the_utf8_name_is_exact_and_percent_encoded(self, client, tenant, store_asset):
        asset = await store_asset(tenant, name="🦊 fox")
        response = await client.get(path("assets", "Asset", asset.id), headers=bearer(tenant.token))
        assert response.headers["content-disposition"] == (
            "attachment; filename=\"fox.png\"; filename*=UTF-8''%F0%9F%A6%8A%20fox.png"
        )

    async def test_a_jpeg_is_named_and_typed_as_one(self, client, tenant, store_asset):
        asset = await store_asset(tenant, images.jpeg(), name="photo.JPG", mime_type="image/jpeg")
        response = await client.get(path("assets", "Asset", asset.id), headers=bearer(tenant.token))
        assert response.headers["content-type"] == "image/jpeg"
        assert 'filename="photo.JPG"' in response.headers["content-disposition"]


class TestProvenanceInDownloads:
    async def test_an_ai_asset_downloads_with_its_provenance_and_its_prompt_writer(
        self, client, tenant, store_asset
    ):
        asset = await store_asset(
            tenant,
            images.jpeg(exif=images.exif(ifd0={0x013B: "Jane Roe"})),
            mime_type="image/jpeg",
            ai_generated=True,
            prompt="a red fox & <friends>",
            provider="openai",
            model="gpt-image-1",
            created_by_id=tenant.member_id,
        )
        response = await client.get(await download_url(client, tenant, asset.id))
        tags = read_tags(response.content, ".jpg")
        assert tags["XMP-iptcExt:AIPromptInformation"] == "a red fox & <friends>"
        assert tags["XMP-iptcExt:AIPromptWriterName"] == "Owner"
        assert tags["XMP-iptcExt:AISystemUsed"] == "openai"
        assert "Jane Roe" not in repr(tags)
        assert pixels(response.content) == pixels(asset.data)

    async def test_an_uploaded_asset_downloads_without_xmp(self, client, tenant, store_asset):
        asset = await store_asset(tenant, images.png(text={"Author": "Jane Roe"}))
        response = await client.get(path("assets", "Asset", asset.id), headers=bearer(tenant.token))
        assert b"xmp" not in response.content.lower() and b"Jane Roe" not in response.content
