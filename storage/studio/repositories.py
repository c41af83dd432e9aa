"""Repositories of sessions, generations and likes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from domain.studio.model import Generation, ReviewState, Session
from domain.studio.writes import NewGeneration, NewSession
from storage.sql import tables as t
from storage.sql.repository import Repository, per_row
from storage.sql.rows import values_of
from storage.studio import mapping

S, G, L = t.sessions, t.generations, t.generation_likes


def _unkept_and_unliked() -> list[sa.ColumnElement[bool]]:
    liked = sa.exists().where(L.c.org_id == G.c.org_id, L.c.generation_id == G.c.id)
    return [G.c.saved_asset_id.is_(None), G.c.review_state != ReviewState.APPROVED.value, ~liked]


def _review_values(g: Generation) -> dict[str, Any]:
    notes = g.review
    return {
        "review_state": g.review_state.value,
        "alt_text": notes.alt_text,
        "rights_notes": notes.rights_notes,
        "source": notes.source,
        "intended_placement": notes.intended_placement,
        "review_reason": notes.reason,
        "reviewed_by_id": g.reviewed_by_id,
        "reviewed_at": g.reviewed_at,
        "expires_at": g.expires_at,
    }


class SqlSessionRepository(Repository):
    """SessionRepository over SQL."""

    async def get(self, org_id: int, session_id: int, *, for_update: bool = False) -> Session | None:
        stmt = sa.select(S).where(S.c.org_id == org_id, S.c.id == session_id)
        rows = await self._rows(stmt.with_for_update() if for_update else stmt)
        return mapping.session(rows[0]) if rows else None

    async def add(self, session: NewSession) -> Session:
        stmt = (
            sa.insert(S)
            .values(
                org_id=session.org_id,
                title=session.title,
                platform=session.platform.value if session.platform else None,
                brand_kit_id=session.brand_kit_id,
                aspect_ratio=session.aspect_ratio.value,
                state="open",
                created_by_id=session.created_by_id,
                created_at=session.created_at,
            )
            .returning(*S.c)
        )
        return mapping.session((await self._rows(stmt))[0])

    async def update(self, session: Session) -> None:
        await self._conn.execute(
            sa.update(S)
            .where(S.c.org_id == session.org_id, S.c.id == session.id)
            .values(
                title=session.title,
                platform=session.platform.value if session.platform else None,
                brand_kit_id=session.brand_kit_id,
                aspect_ratio=session.aspect_ratio.value,
                state=session.state.value,
                closed_at=session.closed_at,
            )
        )


class SqlGenerationRepository(Repository):
    """GenerationRepository over SQL."""

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Generation]:
        stmt = sa.select(G).where(G.c.org_id == org_id, G.c.id.in_(ids)).order_by(G.c.id)
        rows = await self._rows(stmt.with_for_update() if for_update else stmt)  # id order: no deadlocks
        return {r.id: mapping.generation(r) for r in rows}

    async def add(self, generation: NewGeneration) -> Generation:
        g = generation
        columns = values_of(g)
        del columns["context_asset_ids"]  # a link table, written below
        stmt = sa.insert(G).values(**columns, review_state=ReviewState.PENDING.value).returning(*G.c)
        row = (await self._rows(stmt))[0]
        if g.context_asset_ids:
            await self._conn.execute(
                sa.insert(t.generation_context_assets),
                [
                    {"org_id": g.org_id, "generation_id": row.id, "asset_id": asset_id, "position": i}
                    for i, asset_id in enumerate(g.context_asset_ids)
                ],
            )
        return mapping.generation(row)

    async def set_reviews(self, generations: Sequence[Generation], *, expected: ReviewState) -> set[int]:
        if not generations:
            return set()
        [org_id] = {g.org_id for g in generations}  # one organisation per change
        rows = {g.id: _review_values(g) for g in generations}
        columns = next(iter(rows.values())).keys()
        stmt = (
            sa.update(G)
            .where(G.c.org_id == org_id, G.c.id.in_(rows), G.c.review_state == expected.value)
            .values({c: per_row(G.c.id, G.c[c], {id: row[c] for id, row in rows.items()}) for c in columns})
            .returning(G.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def set_escalation(self, generation: Generation) -> None:
        e = generation.escalation
        await self._conn.execute(
            sa.update(G)
            .where(G.c.org_id == generation.org_id, G.c.id == generation.id)
            .values(
                escalation_concern=e.concern.value if e and e.concern else None,
                escalation_reason=e.reason if e else "",
                escalated_by_id=e.by_id if e else None,
                escalated_at=e.at if e else None,
            )
        )

    async def mark_saved(self, org_id: int, generation_id: int, asset_id: int) -> bool:
        return bool(await self.mark_saved_many(org_id, {generation_id: asset_id}))

    async def mark_saved_many(self, org_id: int, asset_ids: Mapping[int, int]) -> set[int]:
        if not asset_ids:
            return set()
        stmt = (
            sa.update(G)
            .where(G.c.org_id == org_id, G.c.id.in_(asset_ids), G.c.saved_asset_id.is_(None))
            .values(saved_asset_id=per_row(G.c.id, G.c.saved_asset_id, asset_ids), expires_at=None)
            .returning(G.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def set_expiries(self, org_id: int, expiries: Mapping[int, datetime | None]) -> None:
        if not expiries:
            return
        by_value: dict[datetime | None, list[int]] = {}
        for id, expires_at in expiries.items():
            by_value.setdefault(expires_at, []).append(id)
        for expires_at, ids in by_value.items():  # usually one value: one statement
            await self._conn.execute(
                sa.update(G).where(G.c.org_id == org_id, G.c.id.in_(ids)).values(expires_at=expires_at)
            )

    async def in_session(self, org_id: int, session_id: int) -> Sequence[Generation]:
        stmt = sa.select(G).where(G.c.org_id == org_id, G.c.session_id == session_id).order_by(G.c.id)
        return [mapping.generation(r) for r in await self._rows(stmt)]

    async def context_assets(self, org_id: int, generation_ids: Sequence[int]) -> Mapping[int, Sequence[int]]:
        ca = t.generation_context_assets
        stmt = (
            sa.select(ca.c.generation_id, ca.c.asset_id)
            .where(ca.c.org_id == org_id, ca.c.generation_id.in_(generation_ids))
            .order_by(ca.c.generation_id, ca.c.position)
        )
        out: dict[int, list[int]] = {}
        for r in await self._rows(stmt):
            out.setdefault(r.generation_id, []).append(r.asset_id)
        return out

    async def count_expired(self, now: datetime) -> int:
        stmt = (
            sa.select(sa.func.count())
            .select_from(G)
            .where(G.c.expires_at.is_not(None), G.c.expires_at <= now, *_unkept_and_unliked())
        )
        return int((await self._conn.execute(stmt)).scalar_one())

    async def expired(self, now: datetime, *, limit: int) -> Sequence[Generation]:
        stmt = (
            sa.select(G)
            .where(G.c.expires_at.is_not(None), G.c.expires_at <= now, *_unkept_and_unliked())
            .order_by(G.c.expires_at, G.c.id)
            .limit(limit)
        )
        return [mapping.generation(r) for r in await self._rows(stmt)]

    async def delete_if_expired(self, generation: Generation, now: datetime) -> bool:
        stmt = sa.delete(G).where(
            G.c.org_id == generation.org_id,
            G.c.id == generation.id,
            G.c.expires_at.is_not(None),
            G.c.expires_at <= now,
            *_unkept_and_unliked(),
        )
        return (await self._conn.execute(stmt)).rowcount == 1

    async def blobs_in_use(self, area: str, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        stmt: sa.Executable
        if area == "library":
            stmt = sa.select(t.assets.c.blob_key).where(t.assets.c.blob_key.in_(keys))
        else:
            in_generations = sa.select(G.c.blob_key).where(G.c.blob_key.in_(keys))
            # a used upload holds its file no more: importGeneration's generation refers to the same
            # key, and an upload added to the library was copied to the library area
            waiting = sa.select(t.uploads.c.blob_key).where(
                t.uploads.c.blob_key.in_(keys), t.uploads.c.consumed_at.is_(None)
            )
            stmt = in_generations.union(waiting)
        return {r.blob_key for r in await self._rows(stmt)}


class SqlLikeRepository(Repository):
    """LikeRepository over SQL."""

    async def add(self, org_id: int, member_id: int, generation_ids: Sequence[int], at: datetime) -> set[int]:
        rows = [
            {"org_id": org_id, "generation_id": g, "member_id": member_id, "created_at": at}
            for g in generation_ids
        ]
        stmt = self._insert_ignoring_duplicates(L).values(rows).returning(L.c.generation_id)
        return {r.generation_id for r in await self._rows(stmt)}

    async def remove(self, org_id: int, member_id: int, generation_ids: Sequence[int]) -> set[int]:
        stmt = (
            sa.delete(L)
            .where(L.c.org_id == org_id, L.c.member_id == member_id, L.c.generation_id.in_(generation_ids))
            .returning(L.c.generation_id)
        )
        return {r.generation_id for r in await self._rows(stmt)}

    async def liked_by_anyone(self, org_id: int, generation_ids: Sequence[int]) -> set[int]:
        if not generation_ids:
            return set()
        stmt = (
            sa.select(L.c.generation_id)
            .where(L.c.org_id == org_id, L.c.generation_id.in_(generation_ids))
            .distinct()
        )
        return {r.generation_id for r in await self._rows(stmt)}
