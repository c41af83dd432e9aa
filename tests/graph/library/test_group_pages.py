"""A group's first page (a folder's assets, a session's generations): one folder asked for is a keyset
LIMIT its index answers; a list of folders ranks rows per folder. Both give the same pages."""

from __future__ import annotations

from graph.relay.ids import to_global_id
from tests.builders import gql, make_tenant
from tests.graph.statements import count_statements

ONE = """query($id: ID!, $after: String) { node(id: $id) { ... on Folder {
    assets(first: 3, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } } } }"""
MANY = """{ folders(first: 10) { edges { node { name assets(first: 3) {
    edges { node { name } } pageInfo { hasNextPage } } } } } }"""


async def test_one_folder_pages_by_keyset_and_a_list_of_folders_ranks_per_folder(client, engine):
    tenant = await make_tenant(engine)
    a, b = await tenant.folder("A"), await tenant.folder("B")
    for i in range(5):
        await tenant.asset(f"a{i}", folder_id=a)
    await tenant.asset("b0", folder_id=b)
    with count_statements(engine) as statements:
        _, first = await gql(client, tenant.token, ONE, {"id": to_global_id("Folder", a)})
    assert not any("row_number" in s for s in statements)
    page = first["data"]["node"]["assets"]
    assert [e["node"]["name"] for e in page["edges"]] == ["a4", "a3", "a2"]
    assert page["pageInfo"]["hasNextPage"] is True
    _, second = await gql(
        client, tenant.token, ONE, {"id": to_global_id("Folder", a), "after": page["pageInfo"]["endCursor"]}
    )
    assert [e["node"]["name"] for e in second["data"]["node"]["assets"]["edges"]] == ["a1", "a0"]
    assert second["data"]["node"]["assets"]["pageInfo"]["hasNextPage"] is False

    with count_statements(engine) as statements:
        _, body = await gql(client, tenant.token, MANY)
    assert any("row_number" in s for s in statements)
    pages = {e["node"]["name"]: e["node"]["assets"] for e in body["data"]["folders"]["edges"]}
    assert [e["node"]["name"] for e in pages["A"]["edges"]] == ["a4", "a3", "a2"]
    assert pages["A"]["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["name"] for e in pages["B"]["edges"]] == ["b0"]
    assert pages["B"]["pageInfo"]["hasNextPage"] is False
