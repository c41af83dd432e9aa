"""Processing outcomes laid down in SQL, for graph tests (the shared database's claims span every test)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import tables as t

AT = datetime(2026, 6, 1, tzinfo=UTC)
FACTS = {
    "format": "PNG",
    "colour_mode": "RGB",
    "dominant_colours": ["#ff0000", "#0000ff"],
    **t.perceptual_hash_columns(-2),
}


async def processed(
    engine: AsyncEngine,
    org_id: int,
    subject: str,
    subject_id: int,
    *,
    state: str = "done",
    error: str | None = None,
) -> None:
    """A job in `state`; when done, its facts and two renditions (256: 256x128, 1024: 1024x512)."""
    key = f"{subject_id:064x}"
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.jobs).values(
                org_id=org_id,
                subject_type=subject,
                subject_id=subject_id,
                source_key=key,
                state=state,
                attempts=1,
                due_at=None,  # never due: no test's worker picks it up
                last_error=error,
                created_at=AT,
                updated_at=AT,
            )
        )
        if state == "done":
            await conn.execute(
                sa.insert(t.image_facts).values(
                    org_id=org_id, subject_type=subject, subject_id=subject_id, processed_at=AT, **FACTS
                )
            )
            await conn.execute(
                sa.insert(t.renditions),
                [
                    {
                        "org_id": org_id,
                        "subject_type": subject,
                        "subject_id": subject_id,
                        "size": size,
                        "blob_key": key,
                        "width": size,
                        "height": size // 2,
                        "byte_size": size * 10,
                    }
                    for size in (1024, 256)
                ],
            )
