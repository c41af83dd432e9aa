"""Renditions made for real: the pool renders the stored original, and their rows are written beside it.

Graph tests share one database whose claims span every organisation, so the worker's
claim is not run here; the renditions are the pool's own output, recorded in the rows
a completed job writes.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.processing.model import RENDITION_SIZES, ProcessedImage, Rendition
from graph.server.bootstrap import Adapters
from storage.sql import tables as t
from tests.graph.processing.rows import AT

AREAS = {"asset": "library", "generation": "scratch"}


async def render(
    adapters: Adapters, engine: AsyncEngine, org_id: int, subject: str, subject_id: int, data: bytes
) -> dict[int, Rendition]:
    """Render the subject's original (its bytes `data`) in the real pool and record it as done."""
    key = hashlib.sha256(data).hexdigest()
    result: ProcessedImage = await adapters.processor.process(AREAS[subject], key, RENDITION_SIZES)
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.jobs).values(
                org_id=org_id,
                subject_type=subject,
                subject_id=subject_id,
                source_key=key,
                state="done",
                attempts=1,
                due_at=None,
                created_at=AT,
                updated_at=AT,
            )
        )
        await conn.execute(
            sa.insert(t.renditions),
            [
                {
                    "org_id": org_id,
                    "subject_type": subject,
                    "subject_id": subject_id,
                    "size": r.size,
                    "blob_key": r.blob_key,
                    "width": r.width,
                    "height": r.height,
                    "byte_size": r.byte_size,
                }
                for r in result.renditions
            ],
        )
    return {r.size: r for r in result.renditions}
