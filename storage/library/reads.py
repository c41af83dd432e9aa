"""Reads of assets, folders, projects and tags."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from domain.kernel.pagination import Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library.filters import ProjectFilter
from domain.library.model import Asset, Folder, Project, Tag
from domain.library.ports import AssetGroup
from storage.library import mapping
from storage.library.projection import ASSET_LISTS, asset_relation
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.paging import by_name, name_key, to_page
from storage.sql.projected import page_values, projected_page, projected_select
from storage.sql.reader import SqlReader, counts, grouped

A = t.assets
MAX_FOLDER_DEPTH = 64  # a bound on the ancestor walk, should a cycle ever slip in


@functools.cache
def _grouped_assets(group: AssetGroup) -> tuple[sa.Select[Any], Any]:
    """Live assets of the groups, with the group id as a column to partition and count by; bind
    `org_id` and `ids` (the groups)."""
    live = [A.c.org_id == prepared.org_id(), A.c.trashed_at.is_(None)]
    if group == "folder":
        return sa.select(A).where(*live, A.c.folder_id.in_(prepared.ids())), A.c.folder_id
    link, col = (t.asset_projects, "project_id") if group == "project" else (t.asset_tags, "tag_id")
    grp = link.c[col]
    stmt = (
        sa.select(A)
        .join(link, link.c.asset_id == A.c.id)
        .where(*live, link.c.org_id == prepared.org_id(), grp.in_(prepared.ids()))
    )
    return stmt, grp


@functools.cache
def _linked_to_assets(link: sa.Table, target: sa.Table, column: str) -> sa.Select[Any]:
    """The `target` rows (tags, projects) linked to each asset, by name: bind `org_id` and `ids`."""
    return (
        sa.select(link.c.asset_id, *target.c)
        .join(target, target.c.id == link.c[column])
        .where(link.c.org_id == prepared.org_id(), link.c.asset_id.in_(prepared.ids()))
        .order_by(target.c.name_key, target.c.id)
    )


@functools.cache
def _favourited() -> sa.Select[Any]:
    fav = t.asset_favourites
    return sa.select(fav.c.asset_id).where(
        fav.c.org_id == prepared.org_id(),
        fav.c.member_id == sa.bindparam("member_id"),
        fav.c.asset_id.in_(prepared.ids()),
    )


def _in_group(group: AssetGroup) -> list[sa.ColumnElement[bool]]:
    """The live assets of one group, bound as `group_id`."""
    org, group_id = prepared.org_id(), sa.bindparam("group_id", type_=sa.Integer)
    live = [A.c.org_id == org, A.c.trashed_at.is_(None)]
    if group == "folder":
        return [*live, A.c.folder_id == group_id]
    link, col = (t.asset_projects, "project_id") if group == "project" else (t.asset_tags, "tag_id")
    linked = sa.select(link.c.asset_id).where(link.c.org_id == org, link.c[col] == group_id)
    return [*live, A.c.id.in_(linked)]


@functools.cache
def _group_asset_rows(group: AssetGroup, projection: Projection, after: bool) -> sa.Select[Any]:
    """One group's page of live assets as projected rows: bind `org_id`, `group_id` and the page."""
    return projected_select(A, projection, _in_group(group), after=after, related=asset_relation)


class SqlLibraryReads(SqlReader):
    """LibraryReads over SQL."""

    async def asset_pages(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Asset]]:
        stmt, grp = _grouped_assets(group)
        return await self._group_pages(stmt, A.c.id, grp, org_id, group_ids, page, mapping.asset)

    async def count_asset_groups(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int]
    ) -> Mapping[int, int]:
        stmt, grp = _grouped_assets(group)
        return await self._group_counts(stmt, grp, org_id, group_ids)

    async def group_asset_rows(
        self, org_id: int, group: AssetGroup, group_id: int, page: PageRequest, projection: Projection
    ) -> ProjectedPage:
        stmt = _group_asset_rows(group, projection, page.after is not None)
        rows = await self._rows(stmt, page_values(page, org_id=org_id, group_id=group_id))
        total = None
        if projection.total and not rows:  # a page past the end still tells the list's size
            total = (await self.count_asset_groups(org_id, group, [group_id])).get(group_id, 0)
        return projected_page(rows, page, Asset, projection, total, ASSET_LISTS)

    async def assets_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]:
        return await self._by_ids(A, org_id, ids, mapping.asset)

    async def tags_of_assets(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, Sequence[Tag]]:
        stmt = _linked_to_assets(t.asset_tags, t.tags, "tag_id")
        rows = await self._rows(stmt, prepared.values(org_id, asset_ids))
        return grouped(rows, "asset_id", mapping.tag)

    async def projects_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Project]]:
        stmt = _linked_to_assets(t.asset_projects, t.projects, "project_id")
        rows = await self._rows(stmt, prepared.values(org_id, asset_ids))
        return grouped(rows, "asset_id", mapping.project)

    async def context_assets_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]:
        ca = t.asset_context_assets
        stmt = (
            sa.select(ca.c.asset_id, ca.c.context_asset_id)
            .join(A, A.c.id == ca.c.context_asset_id)
            .where(ca.c.org_id == org_id, ca.c.asset_id.in_(asset_ids), A.c.trashed_at.is_(None))
            .order_by(ca.c.asset_id, ca.c.position)
        )
        return grouped(await self._rows(stmt), "asset_id", lambda r: r.context_asset_id)

    async def favourited(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]:
        rows = await self._rows(_favourited(), prepared.values(org_id, asset_ids, member_id=member_id))
        return {r.asset_id for r in rows}

    async def folders(self, org_id: int, parent_id: int | None, page: PageRequest) -> Page[Folder]:
        f = t.folders
        stmt = by_name(
            sa.select(f).where(f.c.org_id == org_id, f.c.parent_id == parent_id), f.c.name_key, f.c.id, page
        )
        return to_page(await self._rows(stmt), page.first, mapping.folder, name_key)

    async def count_folders(self, org_id: int, parent_id: int | None) -> int:
        f = t.folders
        stmt = (
            sa.select(sa.func.count()).select_from(f).where(f.c.org_id == org_id, f.c.parent_id == parent_id)
        )
        return int(await self._scalar(stmt))

    async def folders_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]:
        return await self._by_ids(t.folders, org_id, ids, mapping.folder)

    async def count_folder_assets_deep(self, org_id: int, folder_ids: Sequence[int]) -> Mapping[int, int]:
        f = t.folders
        down = (
            sa.select(f.c.id.label("start_id"), f.c.id, sa.literal(0).label("depth"))
            .where(f.c.org_id == org_id, f.c.id.in_(folder_ids))
            .cte("down", recursive=True)
        )
        down = down.union_all(
            sa.select(down.c.start_id, f.c.id, (down.c.depth + 1).label("depth"))
            .join(down, f.c.parent_id == down.c.id)
            .where(f.c.org_id == org_id, down.c.depth < MAX_FOLDER_DEPTH)
        )
        stmt = (
            sa.select(down.c.start_id.label("grp"), sa.func.count().label("n"))
            .select_from(down.join(A, A.c.folder_id == down.c.id))
            .where(A.c.org_id == org_id, A.c.trashed_at.is_(None))
            .group_by(down.c.start_id)
        )
        return counts(await self._rows(stmt))

    async def children_of_folders(
        self, org_id: int, parent_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Folder]]:
        f = t.folders
        stmt = (
            sa.select(f)
            .where(f.c.org_id == org_id, f.c.parent_id.in_(parent_ids))
            .order_by(f.c.name_key, f.c.id)
        )
        return grouped(await self._rows(stmt), "parent_id", mapping.folder)

    async def folder_paths(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Sequence[Folder]]:
        f = t.folders
        up = (
            sa.select(f.c.id.label("start_id"), f.c.id, f.c.parent_id, sa.literal(0).label("depth"))
            .where(f.c.org_id == org_id, f.c.id.in_(ids))
            .cte("up", recursive=True)
        )
        up = up.union_all(
            sa.select(up.c.start_id, f.c.id, f.c.parent_id, (up.c.depth + 1).label("depth"))
            .join(up, f.c.id == up.c.parent_id)
            .where(f.c.org_id == org_id, up.c.depth < MAX_FOLDER_DEPTH)
        )
        stmt = (
            sa.select(up.c.start_id, *f.c)
            .join(f, f.c.id == up.c.id)
            .order_by(up.c.start_id, up.c.depth.desc())
        )
        return grouped(await self._rows(stmt), "start_id", mapping.folder)

    async def projects(self, org_id: int, filter: ProjectFilter, page: PageRequest) -> Page[Project]:
        p = t.projects
        stmt = sa.select(p).where(*_project_where(org_id, filter))
        rows = await self._rows(by_name(stmt, p.c.name_key, p.c.id, page))
        return to_page(rows, page.first, mapping.project, name_key)

    async def count_projects(self, org_id: int, filter: ProjectFilter) -> int:
        p = t.projects
        return int(
            await self._scalar(
                sa.select(sa.func.count()).select_from(p).where(*_project_where(org_id, filter))
            )
        )

    async def projects_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]:
        return await self._by_ids(t.projects, org_id, ids, mapping.project)

    async def tags(self, org_id: int, page: PageRequest) -> Page[Tag]:
        tg = t.tags
        rows = await self._rows(
            by_name(sa.select(tg).where(tg.c.org_id == org_id), tg.c.name_key, tg.c.id, page)
        )
        return to_page(rows, page.first, mapping.tag, name_key)

    async def count_tags(self, org_id: int) -> int:
        tg = t.tags
        return int(
            await self._scalar(sa.select(sa.func.count()).select_from(tg).where(tg.c.org_id == org_id))
        )

    async def tags_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]:
        return await self._by_ids(t.tags, org_id, ids, mapping.tag)


def _project_where(org_id: int, f: ProjectFilter) -> list[sa.ColumnElement[bool]]:
    p = t.projects
    where: list[sa.ColumnElement[bool]] = [p.c.org_id == org_id]
    if f.archived is not None:
        where.append(p.c.archived == f.archived)
    return where
