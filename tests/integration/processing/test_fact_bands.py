"""A completed job writes its hash's bands with its facts, and processing the image again rewrites both."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from domain.kernel.perceptual_hash import bands
from storage.sql import tables as t
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import make_tenant
from tests.integration.processing.test_job_queue import T0, claim, enqueue
from tests.unit.fakes import FakeImageProcessor


async def banded(engine, org_id: int) -> tuple[int, tuple[int, ...]]:
    f = t.image_facts
    async with engine.connect() as conn:
        r = (
            await conn.execute(
                sa.select(f.c.perceptual_hash, *(f.c[f"phash_band_{i}"] for i in range(4))).where(
                    f.c.org_id == org_id
                )
            )
        ).one()
    return r[0], tuple(r[1:])


async def test_each_completion_writes_the_bands_of_its_hash(engine):
    tenant = await make_tenant(engine)
    for h in (-0x0123_4567_89AB_CDEF, 0x7EDC_BA98_7654_3210):
        await enqueue(engine, tenant.org_id, range(1, 2), T0)
        [job] = await claim(engine, "w1", T0)
        result = replace(
            FakeImageProcessor.RESULT, facts=replace(FakeImageProcessor.RESULT.facts, perceptual_hash=h)
        )
        async with SqlUnitOfWork(engine) as uow:
            assert await uow.jobs.complete(job, result, T0)
            await uow.commit()
        assert await banded(engine, tenant.org_id) == (h, bands(h))
