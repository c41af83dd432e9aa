"""Reads of processing: job states, facts and renditions by subject, each one statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa

from domain.processing.model import ImageFacts, JobState, JobSubject, ProcessingState, Rendition
from storage.sql import tables as t
from storage.sql.reader import SqlReader

J, F, R = t.jobs, t.image_facts, t.renditions


class SqlProcessingReads(SqlReader):
    """ProcessingReads over SQL."""

    async def states(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, ProcessingState]:
        rows = await self._rows(
            sa.select(J.c.subject_id, J.c.state, J.c.attempts, J.c.last_error).where(
                J.c.org_id == org_id, J.c.subject_type == subject, J.c.subject_id.in_(ids)
            )
        )
        return {r.subject_id: ProcessingState(JobState(r.state), r.attempts, r.last_error) for r in rows}

    async def facts(self, org_id: int, subject: JobSubject, ids: Sequence[int]) -> Mapping[int, ImageFacts]:
        rows = await self._rows(
            sa.select(F).where(F.c.org_id == org_id, F.c.subject_type == subject, F.c.subject_id.in_(ids))
        )
        return {
            r.subject_id: ImageFacts(r.format, r.colour_mode, tuple(r.dominant_colours), r.perceptual_hash)
            for r in rows
        }

    async def renditions(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, Sequence[Rendition]]:
        rows = await self._rows(
            sa.select(R)
            .where(R.c.org_id == org_id, R.c.subject_type == subject, R.c.subject_id.in_(ids))
            .order_by(R.c.subject_id, R.c.size)
        )
        out: dict[int, list[Rendition]] = {}
        for r in rows:
            out.setdefault(r.subject_id, []).append(
                Rendition(r.size, r.width, r.height, r.blob_key, r.byte_size)
            )
        return out

    async def due(self, now: datetime) -> bool:
        return bool(await self._rows(sa.select(J.c.id).where(J.c.due_at <= now).limit(1)))
