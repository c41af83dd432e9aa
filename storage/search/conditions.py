"""The typed asset filter as SQL conditions, one small rule per condition, every one scoped by org_id.

A new condition is one more `if` here and one field on `domain.library.filters.AssetFilter`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from domain.library.filters import AssetFilter
from domain.processing.model import JobState, ProcessingStatus
from storage.processing.jobs import KIND
from storage.sql import tables as t

A = t.assets
MAX_FOLDER_DEPTH = 64  # a bound on the subfolder walk, should a cycle ever slip in


def asset_conditions(org_id: int, f: AssetFilter) -> list[sa.ColumnElement[bool]]:
    """What an asset of the organisation must satisfy to pass the filter."""
    where: list[sa.ColumnElement[bool]] = [
        A.c.org_id == org_id,
        A.c.trashed_at.is_not(None) if f.trashed else A.c.trashed_at.is_(None),
    ]
    if f.folder_id is not None:
        where.append(
            A.c.folder_id.in_(_subfolders(org_id, f.folder_id))
            if f.include_subfolders
            else A.c.folder_id == f.folder_id
        )
    projects = _ids(f.project_ids, f.project_id)
    if projects:
        where.append(_linked(t.asset_projects, "project_id", org_id, projects))
    any_tags = _ids(f.any_tag_ids, f.tag_id)
    if any_tags:
        where.append(_linked(t.asset_tags, "tag_id", org_id, any_tags))
    # one semi-join per required tag: each is an index range of (org_id, tag_id, asset_id)
    where.extend(_linked(t.asset_tags, "tag_id", org_id, [tag]) for tag in dict.fromkeys(f.all_tag_ids))
    if f.favourite_of is not None:
        fav = t.asset_favourites
        where.append(
            A.c.id.in_(
                sa.select(fav.c.asset_id).where(fav.c.org_id == org_id, fav.c.member_id == f.favourite_of)
            )
        )
    if f.ai_generated is not None:
        where.append(A.c.ai_generated == f.ai_generated)
    if f.rating_at_least is not None:
        where.append(A.c.rating >= f.rating_at_least)
    where.extend(_ranges(f))
    if f.sha256 is not None:
        where.append(A.c.blob_key == f.sha256)
    for column, values in (
        (A.c.mime_type, f.mime_types),
        (A.c.provider, f.providers),
        (A.c.model, f.models),
        (A.c.platform, tuple(p.value for p in f.platforms)),
    ):
        if values:
            where.append(column.in_(values))
    for column, value in (
        (A.c.seed, f.seed),
        (A.c.brand_kit_id, f.brand_kit_id),
        (A.c.session_id, f.session_id),
    ):
        if value is not None:
            where.append(column == value)
    if f.processing_statuses:
        where.append(_processing(org_id, f.processing_statuses))
    return where


def _processing(org_id: int, statuses: tuple[ProcessingStatus, ...]) -> sa.ColumnElement[bool]:
    """The asset's image job is in a state showing as one of `statuses`, by the domain's mapping
    (`ProcessingStatus.of`). PENDING also stands for no job, so a set holding it is written as its
    complement: no job in any other state. Either way one correlated EXISTS, a probe of the jobs'
    unique key (org_id, subject_type, subject_id, kind) per asset visited: a page stops early,
    where an IN list would first read every job of the organisation (4-8x slower pages at 100k)."""
    J = t.jobs
    wanted = {state for status in statuses for state in status.job_states}
    pending = ProcessingStatus.of(None) in statuses
    states = [s.value for s in JobState if (s in wanted) != pending]
    job = sa.exists().where(
        J.c.org_id == org_id,
        J.c.subject_type == "asset",
        J.c.subject_id == A.c.id,
        J.c.kind == KIND,
        J.c.state.in_(states),
    )
    return ~job if pending else job


def _ids(many: tuple[int, ...], one: int | None) -> list[int]:
    return list(dict.fromkeys([*many, *([one] if one is not None else [])]))


def _linked(link: sa.Table, column: str, org_id: int, ids: list[int]) -> sa.ColumnElement[bool]:
    return A.c.id.in_(sa.select(link.c.asset_id).where(link.c.org_id == org_id, link.c[column].in_(ids)))


def _ranges(f: AssetFilter) -> list[sa.ColumnElement[bool]]:
    bounds: list[tuple[Any, Any, Any]] = [
        (A.c.created_at, f.created_since, f.created_until),
        (A.c.updated_at, f.updated_since, f.updated_until),
        (A.c.byte_size, f.min_byte_size, f.max_byte_size),
    ]
    out: list[sa.ColumnElement[bool]] = []
    for column, low, high in bounds:
        if low is not None:
            out.append(column >= low)
        if high is not None:
            out.append(column <= high)
    return out


def _subfolders(org_id: int, folder_id: int) -> sa.Select[Any]:
    """The folder's id and its subfolders' at any depth: a recursive CTE on both databases."""
    f = t.folders
    down = (
        sa.select(f.c.id, sa.literal(0).label("depth"))
        .where(f.c.org_id == org_id, f.c.id == folder_id)
        .cte("subfolders", recursive=True)
    )
    down = down.union_all(
        sa.select(f.c.id, (down.c.depth + 1).label("depth"))
        .join(down, f.c.parent_id == down.c.id)
        .where(f.c.org_id == org_id, down.c.depth < MAX_FOLDER_DEPTH)
    )
    return sa.select(down.c.id)
