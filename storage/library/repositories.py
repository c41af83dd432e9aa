"""Repositories of assets, folders, projects, tags and brand kits, and of idempotency keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from domain.library.model import Asset, Folder, Project, Provenance, Tag, name_key
from domain.library.ports import AssetLink
from domain.library.writes import NewAsset
from domain.studio.model import BrandKit
from storage.library import mapping
from storage.sql import tables as t
from storage.sql.repository import Repository
from storage.sql.rows import empty_values, values_of
from storage.studio import mapping as studio_mapping

A = t.assets
MAX_FOLDER_DEPTH = 64  # a bound on the ancestor walk, should a cycle ever slip in


class SqlLibraryRepository(Repository):
    """LibraryRepository over SQL."""

    async def folder(self, org_id: int, folder_id: int) -> Folder | None:
        f = t.folders
        rows = await self._rows(sa.select(f).where(f.c.org_id == org_id, f.c.id == folder_id))
        return mapping.folder(rows[0]) if rows else None

    async def brand_kit(self, org_id: int, brand_kit_id: int) -> BrandKit | None:
        b = t.brand_kits
        rows = await self._rows(sa.select(b).where(b.c.org_id == org_id, b.c.id == brand_kit_id))
        return studio_mapping.brand_kit(rows[0]) if rows else None

    async def projects(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]:
        p = t.projects
        rows = await self._rows(sa.select(p).where(p.c.org_id == org_id, p.c.id.in_(ids)))
        return {r.id: mapping.project(r) for r in rows}

    async def assets(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]:
        rows = await self._rows(sa.select(A).where(A.c.org_id == org_id, A.c.id.in_(ids)))
        return {r.id: mapping.asset(r) for r in rows}

    async def ensure_tags(
        self, org_id: int, names: Sequence[str], at: datetime
    ) -> tuple[Sequence[Tag], set[int]]:
        tg = t.tags
        if not names:
            return [], set()
        keys = [name_key(n) for n in names]
        rows = [
            {"org_id": org_id, "name": n, "name_key": k, "created_at": at}
            for n, k in zip(names, keys, strict=True)
        ]
        # a racing save may add one too: it is then simply found below
        inserted = await self._rows(self._insert_ignoring_duplicates(tg).values(rows).returning(tg.c.id))
        found = {
            r.name_key: mapping.tag(r)
            for r in await self._rows(sa.select(tg).where(tg.c.org_id == org_id, tg.c.name_key.in_(keys)))
        }
        return [found[k] for k in keys], {r.id for r in inserted}

    async def add_folder(self, org_id: int, name: str, parent_id: int | None, at: datetime) -> Folder | None:
        f = t.folders
        values = {
            "org_id": org_id,
            "parent_id": parent_id,
            "name": name,
            "name_key": name_key(name),
            "created_at": at,
        }
        rows = await self._rows(self._insert_ignoring_duplicates(f).values(values).returning(*f.c))
        return mapping.folder(rows[0]) if rows else None

    async def add_project(self, org_id: int, name: str, description: str, at: datetime) -> Project | None:
        p = t.projects
        values = {
            "org_id": org_id,
            "name": name,
            "name_key": name_key(name),
            "description": description,
            "archived": False,
            "created_at": at,
        }
        rows = await self._rows(self._insert_ignoring_duplicates(p).values(values).returning(*p.c))
        return mapping.project(rows[0]) if rows else None

    async def add_assets(self, assets: Sequence[NewAsset]) -> Sequence[Asset]:
        if not assets:
            return []
        # One multi-row INSERT, whose rows must come back in the order given to pair each id with
        # its links. On PostgreSQL SQLAlchemy sorts them; on SQLite it cannot (it would send a
        # statement per row), but SQLite numbers the rows of one INSERT in order, under the write
        # lock, so sorting by id does it.
        sqlite = self._conn.dialect.name == "sqlite"
        stmt = sa.insert(A).returning(*A.c, sort_by_parameter_order=not sqlite)
        rows = list((await self._conn.execute(stmt, [_asset_values(a) for a in assets])).all())
        if sqlite:
            rows.sort(key=lambda r: r.id)
        links: list[tuple[sa.Table, list[dict[str, int]]]] = [
            (t.asset_tags, []),
            (t.asset_projects, []),
            (t.asset_context_assets, []),
        ]
        for a, row in zip(assets, rows, strict=True):
            links[0][1].extend({"org_id": a.org_id, "asset_id": row.id, "tag_id": id} for id in a.tag_ids)
            links[1][1].extend(
                {"org_id": a.org_id, "asset_id": row.id, "project_id": id} for id in a.project_ids
            )
            links[2][1].extend(
                {"org_id": a.org_id, "asset_id": row.id, "context_asset_id": id, "position": i}
                for i, id in enumerate(a.context_asset_ids)
            )
        for table, values in links:
            if values:  # one executemany per link table
                await self._conn.execute(sa.insert(table), values)
        return [mapping.asset(row) for row in rows]

    async def _unless_duplicate(self, stmt: sa.Executable) -> list[Any] | None:
        """The statement's rows, or None when it hit a unique key (a name taken by its key). On
        PostgreSQL the transaction is then unusable: the caller raises and rolls back."""
        try:
            return await self._rows(stmt)
        except IntegrityError:
            return None

    async def lock_folder_tree(self, org_id: int) -> None:
        # SQLite's write transactions are serial already (BEGIN IMMEDIATE); on PostgreSQL the
        # organisation's row is the tree's lock, held to the end of the transaction
        if self._conn.dialect.name == "postgresql":
            o = t.organisations
            await self._rows(sa.select(o.c.id).where(o.c.id == org_id).with_for_update())

    async def folder_ancestry(self, org_id: int, folder_id: int) -> Sequence[int]:
        f = t.folders
        up = (
            sa.select(f.c.id, f.c.parent_id, sa.literal(0).label("depth"))
            .where(f.c.org_id == org_id, f.c.id == folder_id)
            .cte("up", recursive=True)
        )
        up = up.union_all(
            sa.select(f.c.id, f.c.parent_id, (up.c.depth + 1).label("depth"))
            .join(up, f.c.id == up.c.parent_id)
            .where(f.c.org_id == org_id, up.c.depth < MAX_FOLDER_DEPTH)
        )
        return [r.id for r in await self._rows(sa.select(up.c.id).order_by(up.c.depth))]

    async def rename_folder(self, org_id: int, folder_id: int, name: str) -> Folder | None:
        f = t.folders
        stmt = (
            sa.update(f)
            .where(f.c.org_id == org_id, f.c.id == folder_id)
            .values(name=name, name_key=name_key(name))
            .returning(*f.c)
        )
        rows = await self._unless_duplicate(stmt)
        return mapping.folder(rows[0]) if rows else None

    async def move_folder(self, org_id: int, folder_id: int, parent_id: int | None) -> Folder | None:
        f = t.folders
        stmt = (
            sa.update(f)
            .where(f.c.org_id == org_id, f.c.id == folder_id)
            .values(parent_id=parent_id)
            .returning(*f.c)
        )
        rows = await self._unless_duplicate(stmt)
        return mapping.folder(rows[0]) if rows else None

    async def folder_is_empty(self, org_id: int, folder_id: int) -> bool:
        f = t.folders
        child = sa.select(f.c.id).where(f.c.org_id == org_id, f.c.parent_id == folder_id)
        asset = sa.select(A.c.id).where(
            A.c.org_id == org_id, A.c.folder_id == folder_id, A.c.trashed_at.is_(None)
        )
        rows = await self._rows(sa.select(sa.or_(sa.exists(child), sa.exists(asset)).label("full")))
        return not rows[0].full

    async def delete_folder(
        self, org_id: int, folder_id: int, content_to: int | None
    ) -> tuple[int, int] | None:
        f = t.folders
        children = await self._unless_duplicate(
            sa.update(f)
            .where(f.c.org_id == org_id, f.c.parent_id == folder_id)
            .values(parent_id=content_to)
            .returning(f.c.id)
        )
        if children is None:
            return None
        assets = await self._rows(
            sa.update(A)
            .where(A.c.org_id == org_id, A.c.folder_id == folder_id)
            .values(folder_id=content_to)
            .returning(A.c.id)
        )
        await self._conn.execute(sa.delete(f).where(f.c.org_id == org_id, f.c.id == folder_id))
        return len(children), len(assets)

    async def update_project(self, project: Project) -> bool:
        p = t.projects
        stmt = (
            sa.update(p)
            .where(p.c.org_id == project.org_id, p.c.id == project.id)
            .values(
                name=project.name,
                name_key=name_key(project.name),
                description=project.description,
                archived=project.archived,
            )
            .returning(p.c.id)
        )
        return bool(await self._unless_duplicate(stmt))

    async def link_project_assets(self, org_id: int, project_id: int, asset_ids: Sequence[int]) -> set[int]:
        ap = t.asset_projects
        if not asset_ids:
            return set()
        rows = [{"org_id": org_id, "project_id": project_id, "asset_id": id} for id in asset_ids]
        stmt = self._insert_ignoring_duplicates(ap).values(rows).returning(ap.c.asset_id)
        return {r.asset_id for r in await self._rows(stmt)}

    async def unlink_project_assets(self, org_id: int, project_id: int, asset_ids: Sequence[int]) -> set[int]:
        ap = t.asset_projects
        stmt = (
            sa.delete(ap)
            .where(ap.c.org_id == org_id, ap.c.project_id == project_id, ap.c.asset_id.in_(asset_ids))
            .returning(ap.c.asset_id)
        )
        return {r.asset_id for r in await self._rows(stmt)}

    async def update_asset(self, asset: Asset) -> None:
        await self._conn.execute(
            sa.update(A)
            .where(A.c.org_id == asset.org_id, A.c.id == asset.id)
            .values(
                {k: getattr(asset, k) for k in _EDITABLE}
                | {"updated_at": asset.updated_at, "name_key": name_key(asset.name)}
            )
        )

    async def tags(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]:
        tg = t.tags
        rows = await self._rows(sa.select(tg).where(tg.c.org_id == org_id, tg.c.id.in_(ids)))
        return {r.id: mapping.tag(r) for r in rows}

    async def move_assets(self, org_id: int, asset_ids: Sequence[int], folder_id: int | None) -> set[int]:
        elsewhere = (
            A.c.folder_id.is_not(None) if folder_id is None else A.c.folder_id.is_distinct_from(folder_id)
        )
        stmt = (
            sa.update(A)
            .where(A.c.org_id == org_id, A.c.id.in_(asset_ids), elsewhere)
            .values(folder_id=folder_id)
            .returning(A.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def link_assets(
        self, org_id: int, kind: AssetLink, asset_ids: Sequence[int], ids: Sequence[int]
    ) -> set[int]:
        table, column = _LINK_TABLES[kind]
        if not asset_ids or not ids:
            return set()
        rows = [{"org_id": org_id, "asset_id": a, column: i} for a in asset_ids for i in ids]
        stmt = self._insert_ignoring_duplicates(table).values(rows).returning(table.c.asset_id)
        return {r.asset_id for r in await self._rows(stmt)}

    async def unlink_assets(
        self, org_id: int, kind: AssetLink, asset_ids: Sequence[int], ids: Sequence[int]
    ) -> set[int]:
        table, column = _LINK_TABLES[kind]
        if not asset_ids or not ids:
            return set()
        stmt = (
            sa.delete(table)
            .where(table.c.org_id == org_id, table.c.asset_id.in_(asset_ids), table.c[column].in_(ids))
            .returning(table.c.asset_id)
        )
        return {r.asset_id for r in await self._rows(stmt)}

    async def touch_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> None:
        if asset_ids:
            await self._conn.execute(
                sa.update(A).where(A.c.org_id == org_id, A.c.id.in_(asset_ids)).values(updated_at=at)
            )

    async def favourite_assets(
        self, org_id: int, member_id: int, asset_ids: Sequence[int], at: datetime
    ) -> set[int]:
        fav = t.asset_favourites
        rows = [
            {"org_id": org_id, "member_id": member_id, "asset_id": a, "created_at": at} for a in asset_ids
        ]
        stmt = self._insert_ignoring_duplicates(fav).values(rows).returning(fav.c.asset_id)
        return {r.asset_id for r in await self._rows(stmt)}

    async def unfavourite_assets(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]:
        fav = t.asset_favourites
        stmt = (
            sa.delete(fav)
            .where(fav.c.org_id == org_id, fav.c.member_id == member_id, fav.c.asset_id.in_(asset_ids))
            .returning(fav.c.asset_id)
        )
        return {r.asset_id for r in await self._rows(stmt)}

    async def rate_assets(self, org_id: int, asset_ids: Sequence[int], rating: int, at: datetime) -> set[int]:
        stmt = (
            sa.update(A)
            .where(A.c.org_id == org_id, A.c.id.in_(asset_ids), A.c.rating != rating)
            .values(rating=rating, updated_at=at)
            .returning(A.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def tag(self, org_id: int, tag_id: int) -> Tag | None:
        tg = t.tags
        rows = await self._rows(sa.select(tg).where(tg.c.org_id == org_id, tg.c.id == tag_id))
        return mapping.tag(rows[0]) if rows else None

    async def add_tag(self, org_id: int, name: str, at: datetime) -> Tag | None:
        tg = t.tags
        values = {"org_id": org_id, "name": name, "name_key": name_key(name), "created_at": at}
        rows = await self._rows(self._insert_ignoring_duplicates(tg).values(values).returning(*tg.c))
        return mapping.tag(rows[0]) if rows else None

    async def rename_tag(self, org_id: int, tag_id: int, name: str) -> Tag | None:
        tg = t.tags
        stmt = (
            sa.update(tg)
            .where(tg.c.org_id == org_id, tg.c.id == tag_id)
            .values(name=name, name_key=name_key(name))
            .returning(*tg.c)
        )
        rows = await self._unless_duplicate(stmt)
        return mapping.tag(rows[0]) if rows else None

    async def merge_tags(self, org_id: int, source_id: int, target_id: int) -> int:
        at = t.asset_tags
        source_assets = sa.select(at.c.org_id, at.c.asset_id, sa.literal(target_id, at.c.tag_id.type)).where(
            at.c.org_id == org_id, at.c.tag_id == source_id
        )
        stmt = (
            self._insert_ignoring_duplicates(at)
            .from_select(["org_id", "asset_id", "tag_id"], source_assets)
            .returning(at.c.asset_id)
        )
        moved = await self._rows(stmt)
        await self.delete_tag(org_id, source_id)
        return len(moved)

    async def delete_tag(self, org_id: int, tag_id: int) -> int:
        at, tg = t.asset_tags, t.tags
        unlinked = await self._rows(
            sa.delete(at).where(at.c.org_id == org_id, at.c.tag_id == tag_id).returning(at.c.asset_id)
        )
        await self._conn.execute(sa.delete(tg).where(tg.c.org_id == org_id, tg.c.id == tag_id))
        return len(unlinked)


_LINK_TABLES: dict[AssetLink, tuple[sa.Table, str]] = {
    "tag": (t.asset_tags, "tag_id"),
    "project": (t.asset_projects, "project_id"),
}
_EDITABLE = ("name", "description", "alt_text", "folder_id")
"""The asset's columns an edit writes."""
_NO_PROVENANCE = empty_values(Provenance)
"""An upload's provenance columns: every row of a multi-row INSERT names the same columns."""
_LINKS = ("provenance", "tag_ids", "project_ids", "context_asset_ids")  # not columns of `assets`


def _asset_values(a: NewAsset) -> dict[str, Any]:
    columns = {k: v for k, v in values_of(a).items() if k not in _LINKS}
    provenance = values_of(a.provenance) if a.provenance is not None else _NO_PROVENANCE
    return {
        **columns,
        **provenance,
        "ai_generated": a.provenance is not None,
        "updated_at": a.created_at,
        "name_key": name_key(a.name),
    }
