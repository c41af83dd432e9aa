"""The fakes keep the promises of the ports they stand in for, so the domain tests can trust them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access import Role
from domain.events import Event
from tests.unit.fakes import EPOCH, FakeClock, FakeUnitOfWork, UniqueViolation


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
            uow.record(Event("organisation.created", org.id, "Organisation", org.id, None, EPOCH))
            await uow.commit()
        assert list(uow.committed.organisations.values()) == [org]
        assert uow.event_types() == ["organisation.created"]
        assert (uow.commits, uow.rollbacks) == (1, 0)

    async def test_changes_without_a_commit_are_discarded(self):
        uow = FakeUnitOfWork()
        async with uow:
            org = await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)
            await uow.members.add(org.id, name="a", email="a@acme", role=Role.ADMIN, created_at=EPOCH)
            uow.record(Event("organisation.created", org.id, "Organisation", org.id, None, EPOCH))
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
        uow.seed_organisation("acme")
        async with uow:
            with pytest.raises(UniqueViolation):
                await uow.organisations.add(slug="acme", name="Acme", created_at=EPOCH)

    async def test_repositories_cannot_be_used_outside_a_transaction(self):
        uow = FakeUnitOfWork()
        with pytest.raises(RuntimeError):
            await uow.organisations.get_by_slug("acme")
        with pytest.raises(RuntimeError):
            uow.record(Event("x", 1, "X", 1, None, EPOCH))

    async def test_token_ids_beyond_sixty_four_bits_overflow_like_the_database(self):
        uow = FakeUnitOfWork()
        async with uow:
            assert await uow.tokens.get(2**63 - 1) is None
            with pytest.raises(OverflowError):
                await uow.tokens.get(2**63)
