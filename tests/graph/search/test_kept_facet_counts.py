"""The whole library's facets as the triggers keep them (SQLite, migration 0016) equal a count of the
rows after every kind of change the API makes: moves, tags, projects, merges, trash, restore, purge,
folder and tag deletions. On PostgreSQL the same steps check the counted facets against themselves
being read twice, so the walk runs on both."""

from __future__ import annotations

import random

from domain.library.filters import AssetFilter
from domain.search.model import AssetQuery
from graph.relay.ids import to_global_id
from storage.search.reads import SqlAssetSearchReads
from storage.sql.database import is_sqlite
from tests.builders import gql
from tests.graph.statements import count_statements

KINDS = ("tag", "project", "folder", "mime_type", "ai_generated", "provider", "model")
WHOLE_LIBRARY = AssetQuery(AssetFilter())


async def facets(reads: SqlAssetSearchReads, org_id: int) -> dict[str, list[tuple[object, int]]]:
    found = await reads.facets(org_id, WHOLE_LIBRARY, KINDS, 1000)
    return {kind: [(c.value, c.count) for c in found[kind]] for kind in KINDS}


def ids(kind: str, pks) -> list[str]:
    return [to_global_id(kind, pk) for pk in pks]


class World:
    """What the walk may name: assets, folders, tags and projects, by primary key."""

    def __init__(self, tenant, rng: random.Random) -> None:
        self.tenant, self.rng = tenant, rng
        self.assets: list[int] = []
        self.folders: list[int] = []
        self.tags: list[int] = []
        self.projects: list[int] = []

    def some(self, pool: list[int], most: int = 3) -> list[int]:
        return self.rng.sample(pool, self.rng.randint(0, min(most, len(pool))))

    async def ask(self, document: str, variables: dict) -> dict:
        _, body = await gql(self._client, self.tenant.token, document, variables)
        assert "errors" not in body, body
        return body["data"]

    async def step(self) -> str:
        rng, asset_ids = self.rng, self.assets
        move = rng.choice(["update", "update", "trash", "restore", "purge", "folder", "tag", "new"])
        if move == "update" and asset_ids:
            change: dict = {
                "ids": ids("Asset", rng.sample(asset_ids, rng.randint(1, min(3, len(asset_ids)))))
            }
            if rng.random() < 0.5:
                change["folderId"] = rng.choice([None, *ids("Folder", self.folders)])
            change["addTags"] = rng.sample(["red", "green", "blue", "cyan"], rng.randint(0, 2))
            change["removeTagIds"] = ids("Tag", self.some(self.tags, 2))
            change["addProjectIds"] = ids("Project", self.some(self.projects, 1))
            change["removeProjectIds"] = ids("Project", self.some(self.projects, 1))
            await self.ask(
                "mutation($i: UpdateAssetsInput!) { updateAssets(input: $i) { userErrors { code } } }",
                {"i": change},
            )
        elif move in ("trash", "restore", "purge") and asset_ids:
            chosen = ids("Asset", rng.sample(asset_ids, rng.randint(1, min(3, len(asset_ids)))))
            force = ", force: true" if move == "trash" else ""
            await self.ask(
                f"mutation($ids: [ID!]!) {{ {move}Assets(input: {{ids: $ids{force}}}) "
                "{ userErrors { code } } }",
                {"ids": chosen},
            )
        elif move == "folder" and self.folders:
            gone = rng.choice(self.folders)
            rest = [f for f in self.folders if f != gone]
            to = ids("Folder", [rng.choice(rest)])[0] if rest and rng.random() < 0.5 else None
            await self.ask(
                "mutation($id: ID!, $to: ID) { deleteFolder(input: {id: $id, moveContentTo: $to}) "
                "{ userErrors { code } } }",
                {"id": to_global_id("Folder", gone), "to": to},
            )
        elif move == "tag" and len(self.tags) >= 2:
            source, target = rng.sample(self.tags, 2)
            if rng.random() < 0.5:
                await self.ask(
                    "mutation($s: ID!, $t: ID!) { mergeTags(input: {sourceId: $s, targetId: $t}) "
                    "{ userErrors { code } } }",
                    {"s": to_global_id("Tag", source), "t": to_global_id("Tag", target)},
                )
            else:
                await self.ask(
                    "mutation($id: ID!) { deleteTag(input: {id: $id}) { userErrors { code } } }",
                    {"id": to_global_id("Tag", source)},
                )
        else:
            move = "new"
            await self.add()
        await self.refresh()
        return move

    async def add(self) -> None:
        rng, tenant = self.rng, self.tenant
        self.assets.append(
            await tenant.asset(
                f"a{len(self.assets)}",
                folder_id=rng.choice([None, *self.folders]),
                tags=tuple(self.some(self.tags, 2)),
                projects=tuple(self.some(self.projects, 1)),
                mime_type=rng.choice(["image/png", "image/webp"]),
                ai_generated=rng.random() < 0.5,
                provider=rng.choice(["", "openai", "procedural"]),
                model=rng.choice(["", "m1", "m2"]),
            )
        )
        if rng.random() < 0.4:
            self.folders.append(await tenant.folder(f"F{rng.randrange(10**6)}"))

    async def refresh(self) -> None:
        """Purges, deletions and merges remove rows; what is left is read back."""
        import sqlalchemy as sa

        from storage.sql import tables as t

        async def read(conn):
            out = []
            for table in (t.assets, t.folders, t.tags, t.projects):
                rows = await conn.execute(sa.select(table.c.id).where(table.c.org_id == self.tenant.org_id))
                out.append(sorted(r.id for r in rows))
            return out

        self.assets, self.folders, self.tags, self.projects = await self.tenant.run(read)


async def test_the_kept_counts_equal_a_count_of_the_rows_after_every_change(client, engine, tenant):
    kept = SqlAssetSearchReads(engine)
    counted = SqlAssetSearchReads(engine, kept_counts=False)  # checked by hand in test_facets
    world = World(tenant, random.Random(16))
    world._client = client
    world.projects = [await tenant.project(n) for n in ("Spring", "Autumn")]
    world.tags = [await tenant.tag(n) for n in ("red", "green")]
    world.folders = [await tenant.folder(n) for n in ("Posts", "Ads")]
    for _ in range(8):
        await world.add()
    await world.refresh()
    moves = []
    for _ in range(60):
        moves.append(await world.step())
        assert await facets(kept, tenant.org_id) == await facets(counted, tenant.org_id), moves
        assert await kept.count(tenant.org_id, WHOLE_LIBRARY) == await counted.count(
            tenant.org_id, WHOLE_LIBRARY
        ), moves
    assert set(moves) >= {"update", "trash", "restore", "purge", "folder", "tag", "new"}, moves
    final = await facets(kept, tenant.org_id)
    assert all(final[kind] for kind in ("tag", "folder", "mime_type", "ai_generated")), final
    with count_statements(engine) as statements:
        await facets(kept, tenant.org_id)
    from_counts = all("asset_facet_counts" in s and "assets." not in s for s in statements)
    assert len(statements) == 1 and from_counts == is_sqlite(engine), statements
