"""The worker's rules over fakes: a job runs once per claim, fails over to a retry with backoff, then FAILED."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from datetime import timedelta

import pytest

from domain.kernel.access import Actor, Role
from domain.kernel.errors import ErrorCode, Forbidden, ItemErrors
from domain.processing.events import AssetProcessed, AssetRequeued, AssetUnprocessable
from domain.processing.model import JobState, ProcessedImage, ProcessingError, RetryPolicy
from domain.processing.services import Processing
from tests.unit.builders import make_fake_tenant
from tests.unit.fakes import (
    EPOCH,
    FakeBlobStore,
    FakeClock,
    FakeImageProcessor,
    FakeImageProvider,
    FakeProcessingReads,
    FakeUnitOfWork,
)
from tests.unit.studio.test_studio_services import World

POLICY = RetryPolicy(
    max_attempts=3,
    backoff=timedelta(seconds=10),
    max_backoff=timedelta(seconds=15),
    lease=timedelta(minutes=1),
)


@pytest.fixture
def w() -> World:
    uow, clock = FakeUnitOfWork(), FakeClock()
    ours, theirs = make_fake_tenant(uow, "acme", role=None), make_fake_tenant(uow, "rival", role=None)
    actors = {role: Actor(ours.org_id, ours.member(role, f"{role.value}@acme").id, role) for role in Role}
    return World(uow, clock, FakeBlobStore(clock), FakeImageProvider(), ours, theirs, actors)


def processing(w: World, processor: FakeImageProcessor) -> Processing:
    return Processing(
        uow=lambda: w.uow, clock=w.clock, reads=FakeProcessingReads(w.uow), processor=processor, policy=POLICY
    )


async def queued_asset(w: World) -> int:
    asset = w.ours.asset()
    async with w.uow:
        await w.uow.jobs.enqueue(w.org.id, "asset", {asset.id: asset.blob_key}, w.clock.now())
        await w.uow.commit()
    return asset.id


def job_of(w: World, asset_id: int):
    return w.uow.committed.jobs[(w.org.id, "asset", asset_id)]


class TestQueuedWithTheChange:
    async def test_saving_queues_one_job_per_new_asset_with_its_image_in_the_same_commit(self, w):
        generations = [w.approved(), w.approved()]
        assets = await w.library.save(w.editor, generation_ids=[g.id for g in generations])
        for asset in assets:
            row = job_of(w, asset.id)
            assert (row.job.state, row.job.attempts, row.job.source_key) == (
                JobState.QUEUED,
                0,
                asset.blob_key,
            )
            assert row.due_at == w.clock.now()
        assert len(w.uow.committed.jobs) == 2

    async def test_saving_an_already_saved_generation_queues_nothing_more(self, w):
        g = w.approved()
        [asset] = await w.library.save(w.editor, generation_ids=[g.id])
        async with w.uow:
            w.uow.jobs._state.jobs.clear()  # as if processed and forgotten
            await w.uow.commit()
        assert await w.library.save(w.editor, generation_ids=[g.id]) == [asset]
        assert w.uow.committed.jobs == {}

    async def test_a_refused_save_queues_nothing(self, w):
        with pytest.raises(Forbidden):
            await w.library.save(w.actor(Role.VIEWER), generation_ids=[w.approved().id])
        assert w.uow.committed.jobs == {}


class TestWorker:
    async def test_a_queued_job_runs_and_its_subject_is_ready_with_an_event(self, w):
        asset_id = await queued_asset(w)
        processor = FakeImageProcessor()
        assert await processing(w, processor).work_once("w1", 10) == 1
        row = job_of(w, asset_id)
        assert (row.job.state, row.job.attempts, row.due_at) == (JobState.DONE, 1, None)
        assert w.uow.committed.processed[(w.org.id, "asset", asset_id)] == FakeImageProcessor.RESULT
        assert processor.calls == [("library", row.job.source_key)]
        [event] = w.uow.events[-1:]
        assert isinstance(event, AssetProcessed) and (event.subject_id, event.attempts) == (asset_id, 1)
        assert await processing(w, processor).work_once("w1", 10) == 0  # nothing is due any more

    async def test_a_failing_job_is_retried_with_growing_capped_backoff_then_failed_with_an_event(self, w):
        asset_id = await queued_asset(w)
        crash = ProcessingError.WORKER_CRASHED
        p = processing(w, FakeImageProcessor(crash, crash, crash))
        start = w.clock.now()
        await p.work_once("w1", 10)
        first = job_of(w, asset_id)
        assert first.job.state is JobState.QUEUED and first.last_error == "WORKER_CRASHED"
        assert first.due_at is not None and start + timedelta(seconds=5) <= first.due_at <= start + timedelta(
            seconds=10
        )
        assert await p.work_once("w1", 10) == 0  # not before its time
        w.clock.set(first.due_at)
        await p.work_once("w1", 10)
        second = job_of(w, asset_id)
        assert second.job.attempts == 2 and second.due_at is not None
        # 20 s doubled from 10 s, capped at 15 s, times a jitter of 50-100 %
        assert first.due_at + timedelta(seconds=7.5) <= second.due_at <= first.due_at + timedelta(seconds=15)
        w.clock.set(second.due_at)
        await p.work_once("w1", 10)
        last = job_of(w, asset_id)
        assert (last.job.state, last.job.attempts, last.due_at, last.last_error) == (
            JobState.FAILED,
            3,
            None,
            "WORKER_CRASHED",
        )
        [event] = w.uow.events[-1:]
        assert isinstance(event, AssetUnprocessable) and (event.attempts, event.error) == (
            3,
            "WORKER_CRASHED",
        )
        w.clock.advance(timedelta(days=1))
        assert await p.work_once("w1", 10) == 0

    async def test_an_undecodable_image_fails_at_once_as_retrying_cannot_help(self, w):
        asset_id = await queued_asset(w)
        processor = FakeImageProcessor(ProcessingError.UNREADABLE_IMAGE)
        await processing(w, processor).work_once("w1", 10)
        row = job_of(w, asset_id)
        assert (row.job.state, row.job.attempts, row.last_error) == (JobState.FAILED, 1, "UNREADABLE_IMAGE")
        assert len(processor.calls) == 1

    async def test_a_job_whose_worker_died_is_claimed_again_after_its_lease_and_the_dead_one_writes_nothing(
        self, w
    ):
        asset_id = await queued_asset(w)
        async with w.uow:
            [dead] = await w.uow.jobs.claim("dead", w.clock.now(), w.clock.now() + POLICY.lease, 10)
            await w.uow.commit()
        p = processing(w, FakeImageProcessor())
        assert await p.work_once("w2", 10) == 0  # the lease still stands
        w.clock.advance(POLICY.lease)
        assert await p.work_once("w2", 10) == 1
        assert (job_of(w, asset_id).job.state, job_of(w, asset_id).job.attempts) == (JobState.DONE, 2)
        async with w.uow:
            assert not await w.uow.jobs.complete(dead, FakeImageProcessor.RESULT, w.clock.now())
            assert not await w.uow.jobs.fail(dead, ProcessingError.INTERNAL, w.clock.now())
        assert job_of(w, asset_id).job.state is JobState.DONE

    async def test_a_job_whose_every_holder_died_is_failed_without_running_it_again(self, w):
        asset_id = await queued_asset(w)
        for _ in range(POLICY.max_attempts):
            async with w.uow:
                await w.uow.jobs.claim("dies", w.clock.now(), w.clock.now() + POLICY.lease, 10)
                await w.uow.commit()
            w.clock.advance(POLICY.lease)
        processor = FakeImageProcessor()
        assert await processing(w, processor).work_once("w2", 10) == 0
        row = job_of(w, asset_id)
        assert (row.job.state, row.last_error) == (JobState.FAILED, "LEASE_EXPIRED")
        assert processor.calls == []
        assert isinstance(w.uow.events[-1], AssetUnprocessable)


class TestReprocess:
    async def test_an_editor_queues_processed_assets_again_with_an_event(self, w):
        asset_id = await queued_asset(w)
        p = processing(w, FakeImageProcessor())
        await p.work_once("w1", 10)
        [asset] = await p.reprocess_assets(w.editor, asset_ids=[asset_id])
        row = job_of(w, asset.id)
        assert (row.job.state, row.job.attempts, row.due_at) == (JobState.QUEUED, 0, w.clock.now())
        assert isinstance(w.uow.events[-1], AssetRequeued)

    async def test_a_creator_may_not(self, w):
        asset_id = await queued_asset(w)
        with pytest.raises(Forbidden):
            await processing(w, FakeImageProcessor()).reprocess_assets(w.creator, asset_ids=[asset_id])

    async def test_an_asset_of_another_organisation_is_not_found_and_nothing_is_queued(self, w):
        ours, theirs = w.ours.asset(), w.theirs.asset()
        with pytest.raises(ItemErrors) as refused:
            await processing(w, FakeImageProcessor()).reprocess_assets(
                w.editor, asset_ids=[ours.id, theirs.id]
            )
        [item] = refused.value.items
        assert (item.index, item.error.code) == (1, ErrorCode.NOT_FOUND)
        assert w.uow.committed.jobs == {}


class TestRetryPolicy:
    @pytest.mark.parametrize(
        ("attempts", "low", "high"), [(1, 5, 10), (2, 10, 20), (3, 20, 40), (9, 300, 600)]
    )
    def test_the_wait_doubles_with_jitter_and_is_capped(self, attempts, low, high):
        policy = RetryPolicy(backoff=timedelta(seconds=10), max_backoff=timedelta(seconds=600))
        waits = {policy.retry_at(EPOCH, attempts, random.Random(seed)) - EPOCH for seed in range(50)}
        assert all(timedelta(seconds=low) <= wait <= timedelta(seconds=high) for wait in waits)
        assert len(waits) > 1  # jitter: not all at the same moment

    def test_only_retryable_errors_are_retried_and_only_while_attempts_remain(self):
        policy = RetryPolicy(max_attempts=3)
        assert not policy.gives_up_after(2, ProcessingError.WORKER_CRASHED)
        assert policy.gives_up_after(3, ProcessingError.WORKER_CRASHED)
        assert policy.gives_up_after(1, ProcessingError.UNREADABLE_IMAGE)
        assert policy.gives_up_after(1, ProcessingError.SOURCE_MISSING)


class HangingProcessor(FakeImageProcessor):
    """Never finishes an image; tells when it started one."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()

    async def process(self, area: str, key: str, sizes: Sequence[int]) -> ProcessedImage:
        self.started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class TestStopping:
    async def test_a_stopped_worker_hands_its_jobs_back_due_at_once_without_counting_the_attempt(self, w):
        asset_id = await queued_asset(w)
        processor = HangingProcessor()
        worker = asyncio.create_task(processing(w, processor).serve("w1", concurrency=2, poll_seconds=0.01))
        await asyncio.wait_for(processor.started.wait(), timeout=5)
        assert job_of(w, asset_id).job.state is JobState.RUNNING
        worker.cancel()
        with pytest.raises(asyncio.CancelledError):
            await worker
        row = job_of(w, asset_id)
        assert (row.job.state, row.job.attempts, row.job.claimed_by, row.due_at) == (
            JobState.QUEUED,
            0,
            None,
            w.clock.now(),
        )
