"""Files through the real server: signed links, ranges, HEAD, 304 and the access log, over real HTTP."""

from __future__ import annotations

import io
import time

import httpx
import pytest
from PIL import Image

pytestmark = pytest.mark.e2e

LINKS = """{ assets(first: 10) { edges { node { name mimeType byteSize downloadUrl
    generation { imageUrl } } } } }"""


@pytest.fixture(scope="module")
def demo_links(server) -> list[dict]:
    base, token = server
    response = httpx.post(
        f"{base}/graphql", json={"query": LINKS}, headers={"authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    return [e["node"] for e in response.json()["data"]["assets"]["edges"]]


def test_a_signed_link_downloads_the_original_without_a_token(server, demo_links, server_log):
    base, _ = server
    asset = demo_links[0]
    assert asset["downloadUrl"].startswith(f"{base}/files/assets/")
    response = httpx.get(asset["downloadUrl"], timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == asset["mimeType"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert Image.open(io.BytesIO(response.content)).size > (0, 0)
    assert b"trainedAlgorithmicMedia" in response.content
    time.sleep(0.3)  # the access log line is written after the response
    signature = asset["downloadUrl"].rsplit("s=", 1)[1].split("&")[0]
    assert signature not in server_log.read_text()


def test_ranges_head_and_revalidation_over_http(server, demo_links):
    url = demo_links[0]["downloadUrl"]
    whole = httpx.get(url, timeout=10).content
    part = httpx.get(url, headers={"range": "bytes=100-199"}, timeout=10)
    assert part.status_code == 206 and part.content == whole[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole)}"
    tail = httpx.get(url, headers={"range": "bytes=-50"}, timeout=10)
    assert tail.status_code == 206 and tail.content == whole[-50:]
    assert httpx.get(url, headers={"range": f"bytes={len(whole)}-"}, timeout=10).status_code == 416
    head = httpx.head(url, timeout=10)
    assert (
        head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(whole))
    )
    again = httpx.get(url, headers={"if-none-match": head.headers["etag"]}, timeout=10)
    assert again.status_code == 304 and again.content == b""


def test_a_generation_image_url_shows_inline(server, demo_links):
    url = demo_links[0]["generation"]["imageUrl"]
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("inline;")


def test_a_tampered_link_is_403_and_no_credential_is_401(server, demo_links):
    url = demo_links[0]["downloadUrl"]
    tampered = url.replace("&s=", "&s=A")
    assert httpx.get(tampered, timeout=10).status_code == 403
    assert httpx.get(url.split("?")[0], timeout=10).status_code == 401


REPROCESS = """mutation($ids: [ID!]!) { reprocessAssets(input: {ids: $ids}) { userErrors { code } } }"""
THUMBNAIL = """query($id: ID!) { node(id: $id) { ... on Asset { processingStatus width height
    thumbnailUrl large: thumbnailUrl(size: 600) } } }"""


def test_the_server_worker_renders_thumbnails_that_their_links_serve(server):
    base, token = server

    def gql(query: str, variables: dict) -> dict:
        response = httpx.post(
            f"{base}/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code == 200 and "errors" not in response.json(), response.text
        return response.json()["data"]

    [asset] = gql("{ assets(first: 1) { edges { node { id } } } }", {})["assets"]["edges"]
    asset_id = asset["node"]["id"]
    assert gql(REPROCESS, {"ids": [asset_id]})["reprocessAssets"]["userErrors"] == []
    deadline = time.monotonic() + 60
    while (node := gql(THUMBNAIL, {"id": asset_id})["node"])["processingStatus"] != "READY":
        assert node["processingStatus"] in ("PENDING", "PROCESSING") and time.monotonic() < deadline, node
        time.sleep(0.2)
    for url, edge in ((node["thumbnailUrl"], 256), (node["large"], 1024)):
        response = httpx.get(url, timeout=10)  # no token: the link is the credential
        assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
        assert "immutable" in response.headers["cache-control"]
        image = Image.open(io.BytesIO(response.content))
        assert image.format == "WEBP"
        assert max(image.size) == min(edge, max(node["width"], node["height"]))  # never upscaled
