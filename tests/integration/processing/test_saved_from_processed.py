"""An asset saved from a generation processed already takes its facts and renditions over at once,
instead of being processed again; one saved from a generation not processed yet is queued."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.access import Actor, Role
from storage.blobs.local import LocalBlobStore
from storage.reads import SqlReads
from storage.sql import tables as t
from tests.builders import make_tenant
from tests.graph.processing.rows import processed
from tests.integration.processing.test_deleted_subjects import event_types
from tests.integration.test_save_copies_before_the_transaction import approved_generation
from tests.services import sql_library


async def job_of(engine, org_id: int, subject: str, subject_id: int):
    j = t.jobs
    async with engine.connect() as conn:
        return (
            await conn.execute(
                sa.select(j.c.state, j.c.due_at, j.c.attempts).where(
                    j.c.org_id == org_id, j.c.subject_type == subject, j.c.subject_id == subject_id
                )
            )
        ).one()


async def test_saving_a_processed_generation_copies_its_facts_and_renditions_and_marks_the_job_done(
    engine, tmp_path
):
    store = LocalBlobStore(tmp_path)
    tenant = await make_tenant(engine)
    done, _ = await approved_generation(tenant, store)
    running, _ = await approved_generation(tenant, store)
    await processed(engine, tenant.org_id, "generation", done)
    await processed(engine, tenant.org_id, "generation", running, state="running")

    actor = Actor(tenant.org_id, tenant.member_id, Role.ADMIN)
    from_done, from_running = await sql_library(engine, store).save(actor, generation_ids=[done, running])

    reads = SqlReads.over(engine).processing
    org = tenant.org_id
    assert (await reads.facts(org, "asset", [from_done.id]))[from_done.id] == (
        await reads.facts(org, "generation", [done])
    )[done]
    assert (await reads.renditions(org, "asset", [from_done.id]))[from_done.id] == (
        await reads.renditions(org, "generation", [done])
    )[done]
    assert tuple(await job_of(engine, org, "asset", from_done.id)) == ("done", None, 0)
    # the other is processed as usual: queued and due, nothing taken over
    state, due_at, _ = await job_of(engine, org, "asset", from_running.id)
    assert state == "queued" and due_at is not None
    assert from_running.id not in await reads.facts(org, "asset", [from_running.id])
    assert from_running.id not in await reads.renditions(org, "asset", [from_running.id])
    events = await event_types(engine, org)
    assert events.count("asset.processed") == 1 and events.count("asset.saved") == 2
