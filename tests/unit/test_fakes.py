"""The fakes keep the promises of the ports they stand in for, so the domain tests can trust them."""

from __future__ import annotations

import hashlib
import inspect
from datetime import timedelta
from typing import Any

import pytest

from domain.kernel.access import Role
from domain.kernel.idempotency import IdempotencyRepository
from domain.kernel.media import ImageRequest
from domain.kernel.ports import BlobStore, Clock
from domain.library.placements.ports import PlacementRepository
from domain.library.ports import LibraryRepository
from domain.library.trash.ports import TrashRepository
from domain.organisations.events import OrganisationCreated
from domain.organisations.ports import MemberRepository, OrganisationRepository, TokenRepository
from domain.studio.ports import (
    GenerationRepository,
    ImageInspector,
    ImageProvider,
    LikeRepository,
    SessionRepository,
    UploadRepository,
)
from domain.unit_of_work import UnitOfWork
from tests.unit.builders import make_fake_tenant
from tests.unit.fakes import (
    EPOCH,
    FakeBlobStore,
    FakeClock,
    FakeGenerationRepository,
    FakeIdempotencyRepository,
    FakeImageInspector,
    FakeImageProvider,
    FakeLibraryRepository,
    FakeLikeRepository,
    FakeMemberRepository,
    FakeOrganisationRepository,
    FakePlacementRepository,
    FakeSessionRepository,
    FakeTokenRepository,
    FakeTrashRepository,
    FakeUnitOfWork,
    FakeUploadRepository,
    UniqueViolation,
)


class TestTheFakeClock:
    def test_it_says_the_time_it_was_set_to(self):
        clock = FakeClock()
        clock.set(EPOCH + timedelta(days=3))
        assert clock.now() == EPOCH + timedelta(days=3)

    def test_advancing_it_moves_it_on(self):
        clock = FakeClock(EPOCH)
        clock.advance(timedelta(seconds=5))
        assert clock.now() == EPOCH + timedelta(seconds=5)


class TestTheFakeUnitOfWork:
    async def test_committed_changes_and_events_are_kept(self):
        uow = FakeUnitOfWork()
        async with uow:
            org = await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)
            uow.record(
                OrganisationCreated(
                    org_id=org.id, subject_id=org.id, actor_id=None, occurred_at=EPOCH, slug="acme"
                )
            )
            await uow.commit()
        assert list(uow.committed.organisations.values()) == [org]
        assert uow.event_types() == ["organisation.created"]
        assert (uow.commits, uow.rollbacks) == (1, 0)

    async def test_changes_without_a_commit_are_discarded(self):
        uow = FakeUnitOfWork()
        async with uow:
            org = await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)
            await uow.members.add(org.id, name="a", email="a@acme", role=Role.ADMIN, created_at=EPOCH)
            uow.record(
                OrganisationCreated(
                    org_id=org.id, subject_id=org.id, actor_id=None, occurred_at=EPOCH, slug="acme"
                )
            )
        assert uow.committed.organisations == {}
        assert uow.committed.members == {}
        assert uow.events == []
        assert (uow.commits, uow.rollbacks) == (0, 1)

    async def test_changes_are_discarded_when_the_block_raises(self):
        uow = FakeUnitOfWork()
        with pytest.raises(LookupError):
            async with uow:
                await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)
                raise LookupError
        assert uow.committed.organisations == {}
        assert uow.rollbacks == 1

    async def test_changes_after_a_commit_are_discarded_unless_committed_again(self):
        uow = FakeUnitOfWork()
        async with uow:
            await uow.organisations.add(slug="kept", name="Kept", created_at=EPOCH)
            await uow.commit()
            await uow.organisations.add(slug="dropped", name="Dropped", created_at=EPOCH)
        assert [o.slug for o in uow.committed.organisations.values()] == ["kept"]

    async def test_the_transaction_sees_its_own_writes(self):
        uow = FakeUnitOfWork()
        async with uow:
            org = await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)
            assert await uow.organisations.get_by_slug("acme") == org

    async def test_repositories_refuse_duplicate_keys_like_the_database(self):
        uow = FakeUnitOfWork()
        make_fake_tenant(uow, "acme", role=None)
        async with uow:
            with pytest.raises(UniqueViolation):
                await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)

    async def test_repositories_cannot_be_used_outside_a_transaction(self):
        uow = FakeUnitOfWork()
        with pytest.raises(RuntimeError):
            await uow.organisations.get_by_slug("acme")
        with pytest.raises(RuntimeError):
            uow.record(
                OrganisationCreated(org_id=1, subject_id=1, actor_id=None, occurred_at=EPOCH, slug="x")
            )

    async def test_token_ids_beyond_sixty_four_bits_overflow_like_the_database(self):
        uow = FakeUnitOfWork()
        async with uow:
            assert await uow.tokens.get(2**63 - 1) is None
            with pytest.raises(OverflowError):
                await uow.tokens.get(2**63)


PORTS = [
    (UnitOfWork, FakeUnitOfWork),
    (OrganisationRepository, FakeOrganisationRepository),
    (MemberRepository, FakeMemberRepository),
    (TokenRepository, FakeTokenRepository),
    (SessionRepository, FakeSessionRepository),
    (GenerationRepository, FakeGenerationRepository),
    (LikeRepository, FakeLikeRepository),
    (LibraryRepository, FakeLibraryRepository),
    (TrashRepository, FakeTrashRepository),
    (PlacementRepository, FakePlacementRepository),
    (IdempotencyRepository, FakeIdempotencyRepository),
    (UploadRepository, FakeUploadRepository),
    (BlobStore, FakeBlobStore),
    (ImageProvider, FakeImageProvider),
    (ImageInspector, FakeImageInspector),
    (Clock, FakeClock),
]


def _shape(function: Any) -> list[tuple[str, Any, bool]]:
    """Parameter names, kinds and whether each has a default: what a caller relies on."""
    return [(p.name, p.kind, p.default is p.empty) for p in inspect.signature(function).parameters.values()]


class TestTheFakesMatchThePorts:
    @pytest.mark.parametrize(("port", "fake"), PORTS, ids=lambda x: x.__name__)
    def test_every_method_of_the_port_exists_with_the_same_parameters(self, port, fake):
        for name, member in vars(port).items():
            if name.startswith("_") and name not in ("__aenter__", "__aexit__"):
                continue
            if isinstance(member, property):
                assert isinstance(getattr(fake, name, None), property) or name in _instance_attributes(
                    fake
                ), name
            elif callable(member):
                assert _shape(getattr(fake, name)) == _shape(member), f"{fake.__name__}.{name}"
                assert inspect.iscoroutinefunction(getattr(fake, name)) == inspect.iscoroutinefunction(
                    member
                ), name

    def test_the_unit_of_work_has_every_repository(self):
        uow = FakeUnitOfWork()
        for name, member in vars(UnitOfWork).items():
            if isinstance(member, property):
                assert getattr(uow, name) is not None


def _instance_attributes(fake: type) -> set[str]:
    return set(vars(fake())) if fake is FakeUnitOfWork else set()


class TestTheNewRepositoriesRollBackToo:
    async def test_sessions_generations_likes_and_library_rows_are_discarded_without_a_commit(self):
        uow = FakeUnitOfWork()
        tenant = make_fake_tenant(uow, role=None)
        org = tenant.org
        generation = tenant.generation(tenant.session())
        before = uow.committed.copy()
        async with uow:
            await uow.likes.add(org.id, 1, [generation.id], EPOCH)
            await uow.generations.set_expiries(org.id, {generation.id: None})
            await uow.library.add_project(org.id, "Launch", "", EPOCH)
            await uow.organisations.spend_credits(org.id, 5)
        assert not uow.committed.rows_differ(before)
        assert uow.rollbacks == 1

    async def test_credits_are_spent_only_within_the_budget(self):
        uow = FakeUnitOfWork()
        org = make_fake_tenant(uow, role=None).policy(credit_budget=3)
        async with uow:
            assert await uow.organisations.spend_credits(org.id, 3)
            assert not await uow.organisations.spend_credits(org.id, 1)
            await uow.organisations.refund_credits(org.id, 2)
            assert await uow.organisations.spend_credits(org.id, 2)

    async def test_a_compare_and_set_fails_once_the_row_has_moved_on(self):
        uow = FakeUnitOfWork()
        tenant = make_fake_tenant(uow, role=None)
        org = tenant.org
        generation = tenant.generation(tenant.session())
        async with uow:
            assert await uow.generations.mark_saved(org.id, generation.id, 99)
            assert not await uow.generations.mark_saved(org.id, generation.id, 100)

    async def test_rows_of_another_organisation_are_invisible(self):
        uow = FakeUnitOfWork()
        tenant, other = make_fake_tenant(uow, "a", role=None), make_fake_tenant(uow, "b", role=None).org
        generation = tenant.generation(tenant.session())
        async with uow:
            assert await uow.generations.get_many(other.id, [generation.id]) == {}
            assert await uow.sessions.get(other.id, generation.session_id) is None


class TestTheFakeBlobStoreAndProvider:
    async def test_blobs_are_keyed_by_their_sha256_and_can_be_told_to_fail(self):
        blobs = FakeBlobStore()
        blob = await blobs.put("scratch", b"png")
        assert blob.key == hashlib.sha256(b"png").hexdigest() and blob.size == 3
        assert await blobs.read("scratch", blob.key) == b"png"
        blobs.fail("read")
        with pytest.raises(OSError):
            await blobs.read("scratch", blob.key)

    async def test_a_blob_stored_within_the_grace_period_is_not_deleted(self):
        clock = FakeClock()
        blobs = FakeBlobStore(clock)
        blob = await blobs.put("scratch", b"png")
        assert not await blobs.delete("scratch", blob.key, unless_stored_within=timedelta(hours=1))
        clock.advance(timedelta(hours=1))
        assert await blobs.delete("scratch", blob.key, unless_stored_within=timedelta(hours=1))
        assert blobs.keys("scratch") == set()

    async def test_the_provider_records_requests_and_makes_distinct_images(self):
        provider = FakeImageProvider(credits_per_image=2)
        request = ImageRequest("a fox", "", 64, 32, 3, 5)
        images = await provider.generate(request)
        assert provider.requests == [request] and provider.cost(request) == 6
        assert len({i.data for i in images}) == 3 and [i.seed for i in images] == [5, 6, 7]

    async def test_the_provider_can_be_told_to_fail(self):
        provider = FakeImageProvider(fail_with=TimeoutError())
        with pytest.raises(TimeoutError):
            await provider.generate(ImageRequest("a fox", "", 64, 64, 1, 1))
