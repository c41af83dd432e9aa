"""The `assets` query as the search tests send it."""

from __future__ import annotations

from typing import Any

from tests.builders import gql

ASSETS = """query($filter: AssetFilter, $search: String, $sort: AssetSort, $first: Int, $after: String) {
  assets(filter: $filter, search: $search, sort: $sort, first: $first, after: $after) {
    totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }"""


async def find(client, tenant, **variables: Any) -> dict[str, Any]:
    """The `assets` connection for these arguments; fails the test on any error."""
    variables.setdefault("first", 100)
    status, body = await gql(client, tenant.token, ASSETS, variables)
    assert status == 200 and "errors" not in body, body
    return body["data"]["assets"]


async def names(client, tenant, **variables: Any) -> list[str]:
    """The names of the assets found, in order."""
    return [e["node"]["name"] for e in (await find(client, tenant, **variables))["edges"]]


async def walk(client, tenant, page_size: int, **variables: Any) -> list[str]:
    """Every name found, page by page (`page_size` at a time) through the cursors."""
    seen: list[str] = []
    after = None
    while True:
        conn = await find(client, tenant, first=page_size, after=after, **variables)
        seen += [e["node"]["name"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            return seen
        after = conn["pageInfo"]["endCursor"]
