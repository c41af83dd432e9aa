"""Reads of the committed log by cursor, each one statement."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from domain.events.model import DataVersion, EventQuery, LoggedEvent
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.reader import SqlReader

E = t.events

VERSION_READ = "atelier_version_read"
"""Tags the response cache's one statement per cacheable request, which statement counts of
pages leave out (the cache's own tests count it)."""


def logged_event(row: Any) -> LoggedEvent:
    """A row of `events` (with its `seq`) as the domain reads it."""
    return LoggedEvent(
        seq=row.seq,
        org_id=row.org_id,
        type=row.type,
        version=row.version,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        actor_id=row.actor_id,
        payload=row.payload,
        occurred_at=row.occurred_at,
    )


def conditions(query: EventQuery) -> list[sa.ColumnElement[bool]]:
    """The query's cursor, types and reader's visibility as SQL (the subject and organisation aside)."""
    out: list[sa.ColumnElement[bool]] = [E.c.seq.is_not(None)]
    if query.after is not None:
        out.append(E.c.seq > query.after)
    if query.types:
        out.append(E.c.type.in_(sorted(query.types)))
    seen = query.visibility
    if seen is not None:
        out += [E.c.type.not_like(f"{prefix}%") for prefix in seen.hidden_prefixes]
        out.append(sa.or_(E.c.type.not_in(sorted(seen.personal_types)), E.c.subject_id == seen.member_id))
    return out


def select_events(org_id: int | None, query: EventQuery, *, limit: int) -> sa.Select[Any]:
    """Sequenced events after the query's cursor, in cursor order."""
    stmt = sa.select(E).where(*conditions(query))
    if org_id is not None:
        stmt = stmt.where(E.c.org_id == org_id)
    if query.subject is not None:
        stmt = stmt.where(E.c.subject_type == query.subject[0], E.c.subject_id == query.subject[1])
    return stmt.order_by(E.c.seq).limit(limit)


@functools.cache
def _version() -> sa.Select[Any, bool]:  # read by every request the response cache may answer: built once
    last = sa.select(sa.func.max(E.c.seq)).where(E.c.org_id == prepared.org_id()).scalar_subquery()
    pruned = sa.select(t.event_log.c.pruned_through).where(t.event_log.c.id == 1).scalar_subquery()
    waiting = sa.exists().where(E.c.seq.is_(None))  # the partial index of unnumbered events
    return sa.select(
        sa.func.coalesce(last, pruned).label("cursor"), waiting.label("waiting")
    ).execution_options(**{VERSION_READ: True})


class SqlEventLogReads(SqlReader):
    """EventLogReads over SQL."""

    async def read(self, org_id: int | None, query: EventQuery, *, limit: int) -> Sequence[LoggedEvent]:
        return [logged_event(r) for r in await self._rows(select_events(org_id, query, limit=limit))]

    async def read_subjects(
        self, org_id: int, subject_type: str, ids: Sequence[int], query: EventQuery, *, limit: int
    ) -> Mapping[int, Sequence[LoggedEvent]]:
        ranked = (
            sa.select(E, sa.func.row_number().over(partition_by=E.c.subject_id, order_by=E.c.seq).label("rn"))
            .where(
                E.c.org_id == org_id,
                E.c.subject_type == subject_type,
                E.c.subject_id.in_(ids),
                *conditions(query),
            )
            .subquery()
        )
        rows = await self._rows(
            sa.select(ranked).where(ranked.c.rn <= limit).order_by(ranked.c.subject_id, ranked.c.seq)
        )
        out: dict[int, list[LoggedEvent]] = {}
        for row in rows:
            out.setdefault(row.subject_id, []).append(logged_event(row))
        return out

    async def head(self) -> int:
        return int(await self._scalar(sa.select(t.event_log.c.last_seq).where(t.event_log.c.id == 1)))

    async def version(self, org_id: int) -> DataVersion:
        row = (await self._rows(_version(), {prepared.ORG_ID: org_id}))[0]
        return DataVersion(cursor=int(row.cursor), complete=not row.waiting)

    async def pruned_through(self) -> int:
        return int(await self._scalar(sa.select(t.event_log.c.pruned_through).where(t.event_log.c.id == 1)))
