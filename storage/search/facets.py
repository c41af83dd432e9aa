"""Facets in one statement (two at once for a search): every kind counted over the matching assets found once.

Each kind's counts come back as rows (kind, value as text, n), one UNION ALL branch per kind,
and are cut to the most frequent here. A search or a filter finds its assets once, in a CTE
that every branch counts from (both databases materialise a CTE named more than once), where
a statement per kind would run the full-text match seven times. The whole live library reads
the counts SQLite's triggers keep (migration 0016); on PostgreSQL it counts each kind from
its covering index (migration 0015) and each link table past the (small) trash.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from domain.search.model import FacetCount, FacetKind
from storage.sql import prepared
from storage.sql import tables as t

A = t.assets

COUNTS = sa.table(
    "asset_facet_counts", sa.column("org_id"), sa.column("kind"), sa.column("value"), sa.column("n")
)
"""Live assets per facet value, kept by triggers on SQLite (migration 0016; outside the metadata)."""

_ON_ASSETS = {  # a column facet's column of assets
    "folder": "folder_id",
    "mime_type": "mime_type",
    "ai_generated": "ai_generated",
    "provider": "provider",
    "model": "model",
}
_LINKS: dict[str, tuple[sa.Table, str]] = {
    "tag": (t.asset_tags, "tag_id"),
    "project": (t.asset_projects, "project_id"),
}
BY_ID_INDEX = "ix_assets_facet_columns"
"""The facet columns by id (SQLite, migration 0017): a search's matches are looked up there, not
in their wide rows (without ANALYZE statistics the planner would take the rowid)."""


def looked_up_by_id(stmt: sa.Select[Any]) -> sa.Select[Any]:
    """`stmt` (over assets, with a search's `id IN (...)`) reading its matches from BY_ID_INDEX."""
    return stmt.with_hint(A, f"INDEXED BY {BY_ID_INDEX}", "sqlite")


_NO_PROVENANCE = ("provider", "model")  # uploads have none: '' is not a value to offer


def _as_text(kind: str, columns: Any) -> sa.ColumnElement[str]:
    """A column facet's value as the text both the kept counts and the statement's rows hold."""
    if kind == "folder":
        return sa.func.coalesce(sa.cast(columns.folder_id, sa.Text), "")
    if kind == "ai_generated":
        return sa.case((columns.ai_generated, "1"), else_="0")
    return columns[kind]


def _id_or_root(value: str) -> int | None:
    return int(value) if value else None


_DECODE: dict[str, Callable[[str], Any]] = {
    "folder": _id_or_root,
    "tag": int,
    "project": int,
    "ai_generated": lambda value: value == "1",
}


def kept(org_id: int, kinds: Sequence[FacetKind]) -> sa.Select[Any]:
    """The whole live library's counts of these kinds, as SQLite's triggers keep them."""
    return sa.select(COUNTS.c.kind, COUNTS.c.value, COUNTS.c.n).where(
        COUNTS.c.org_id == org_id, COUNTS.c.kind.in_(kinds), COUNTS.c.n > 0
    )


@functools.cache
def kept_total() -> sa.Select[Any]:
    """How many live assets the organisation has, from the kept counts: each is AI-made or not.
    Bind `org_id` (storage.sql.prepared)."""
    return sa.select(sa.func.coalesce(sa.func.sum(COUNTS.c.n), 0)).where(
        COUNTS.c.org_id == prepared.org_id(), COUNTS.c.kind == "ai_generated"
    )


def counted(
    org_id: int,
    where: list[sa.ColumnElement[bool]],
    kinds: Sequence[FacetKind],
    *,
    whole_library: bool,
    matches_by_id: bool = False,
) -> list[sa.CompoundSelect[Any] | sa.Select[Any]]:
    """The counts of these kinds over the assets `where` selects: one statement, or for a search or
    a filter asking for both, two to run at once, the column kinds' and the link kinds'.

    Over a common word's 12,000 matches the two halves cost about the same (the link kinds probe
    each match's 2-3 tags and its projects); each finds the matches for itself, and on two
    connections they take two cores: 46 -> 27 ms at 100,000 assets on SQLite (README)."""
    columns = [kind for kind in kinds if kind not in _LINKS]
    links = [kind for kind in kinds if kind in _LINKS]
    if whole_library or not columns or not links:
        return [_counted(org_id, where, kinds, whole_library=whole_library, by_id=matches_by_id)]
    return [
        _counted(org_id, where, part, whole_library=False, by_id=matches_by_id) for part in (columns, links)
    ]


def _counted(
    org_id: int,
    where: list[sa.ColumnElement[bool]],
    kinds: Sequence[FacetKind],
    *,
    whole_library: bool,
    by_id: bool = False,
) -> sa.CompoundSelect[Any] | sa.Select[Any]:
    n = sa.func.count().label("n")
    branches: list[sa.Select[Any]] = []
    matching: Any = None
    combinations: Any = None
    if not whole_library:  # the matching assets, found once for every branch
        matching_rows = sa.select(A.c.id, *(A.c[c] for c in _ON_ASSETS.values())).where(*where)
        if by_id:  # a search's matches, looked up by id in the narrow index (SQLite, migration 0017)
            matching_rows = looked_up_by_id(matching_rows)
        matching = matching_rows.cte("m")
        on_assets = [_ON_ASSETS[kind] for kind in kinds if kind in _ON_ASSETS]
        if len(on_assets) > 1:
            # the column facets' values grouped once (a few hundred combinations of thousands of
            # matches), each kind summed from them: 28 -> 26 ms for a word in one asset in eight
            columns = [matching.c[c] for c in on_assets]
            combinations = sa.select(*columns, n).group_by(*columns).cte("c")
    for kind in kinds:
        label: Any = sa.literal_column(f"'{kind}'").label("kind")
        if kind in _LINKS:
            link, column = _LINKS[kind]
            value: Any = link.c[column]
            stmt = sa.select(label, sa.cast(value, sa.Text).label("value"), n).where(link.c.org_id == org_id)
            if matching is None:
                # the whole live library: the organisation's links in index order, past the trash
                trash = sa.select(A.c.id).where(A.c.org_id == org_id, A.c.trashed_at.is_not(None))
                stmt = stmt.where(link.c.asset_id.not_in(trash))
            else:
                # a semi-join the matches drive: SQLite probes each match's links by (org_id,
                # asset_id); as a join it could scan the organisation's links and probe the matches
                stmt = stmt.where(link.c.asset_id.in_(sa.select(matching.c.id)))
            branches.append(stmt.group_by(value))
            continue
        if combinations is not None:
            raw = combinations.c[_ON_ASSETS[kind]]
            summed = sa.cast(sa.func.sum(combinations.c.n), sa.BigInteger).label("n")
            stmt = sa.select(label, _as_text(kind, combinations.c).label("value"), summed)
            if kind in _NO_PROVENANCE:
                stmt = stmt.where(raw != "")
            branches.append(stmt.group_by(raw))
            continue
        source = A.c if matching is None else matching.c
        raw = source[_ON_ASSETS[kind]]
        stmt = sa.select(label, _as_text(kind, source).label("value"), n)
        stmt = stmt.where(*where) if matching is None else stmt.select_from(matching)
        if kind in _NO_PROVENANCE:
            stmt = stmt.where(raw != "")
        branches.append(stmt.group_by(raw))
    return branches[0] if len(branches) == 1 else sa.union_all(*branches)


def most_frequent(
    rows: Iterable[Any], kinds: Sequence[FacetKind], limit: int
) -> Mapping[FacetKind, Sequence[FacetCount]]:
    """Each kind's values, the most frequent first, ties by value (the root folder first), at most
    `limit`; the same order on both databases, whatever their collations."""
    found: dict[FacetKind, list[FacetCount]] = {kind: [] for kind in kinds}
    for kind, value, count in rows:
        if kind in _NO_PROVENANCE and value == "":
            continue
        found[kind].append(FacetCount(value=_DECODE.get(kind, str)(value), count=count))
    return {
        kind: sorted(counts, key=lambda c: (-c.count, c.value is not None, c.value))[:limit]
        for kind, counts in found.items()
    }
