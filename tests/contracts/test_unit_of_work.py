"""UnitOfWork: SQL and fake alike. Commit keeps the changes and their events together, leaving without
a commit discards both, and a reading unit of work refuses to record or commit."""

from __future__ import annotations

import secrets

import pytest

from domain.kernel.access import Role
from domain.organisations.events import MemberCreated, OrganisationCreated
from tests.contracts.conftest import NOW


def created(org_id: int) -> OrganisationCreated:
    return OrganisationCreated(org_id=org_id, subject_id=org_id, actor_id=None, occurred_at=NOW, slug="x")


async def add_member(uow, org_id: int, email: str):
    return await uow.members.add(org_id, name="New", email=email, role=Role.VIEWER, created_at=NOW)


def member_created(org_id: int, member_id: int) -> MemberCreated:
    return MemberCreated(org_id=org_id, subject_id=member_id, actor_id=None, occurred_at=NOW, role="viewer")


async def test_commit_keeps_the_changes_and_the_recorded_events_in_order(backend, orgs):
    async with backend.uow() as uow:
        member = await add_member(uow, orgs.org.id, "kept@example.com")
        uow.record(created(orgs.org.id))
        uow.record(member_created(orgs.org.id, member.id))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.members.get_by_email(orgs.org.id, "kept@example.com") == member
    assert await backend.committed_events(orgs.org.id) == [
        ("organisation.created", orgs.org.id),
        ("member.created", member.id),
    ]
    assert await backend.committed_events(orgs.other.id) == []


async def test_leaving_without_a_commit_discards_the_changes_and_the_events(backend, orgs):
    async with backend.uow() as uow:
        await add_member(uow, orgs.org.id, "dropped@example.com")
        assert await uow.members.get_by_email(orgs.org.id, "dropped@example.com") is not None  # own writes
        uow.record(created(orgs.org.id))
    with pytest.raises(LookupError):
        async with backend.uow() as uow:
            await uow.organisations.spend_credits(orgs.org.id, 5)
            uow.record(created(orgs.org.id))
            raise LookupError
    async with backend.uow() as uow:
        assert await uow.members.get_by_email(orgs.org.id, "dropped@example.com") is None
        assert (await uow.organisations.get(orgs.org.id)).credits_spent == 0
    assert await backend.committed_events(orgs.org.id) == []


async def test_after_a_commit_the_next_changes_need_a_commit_of_their_own(backend, orgs):
    async with backend.uow() as uow:
        await add_member(uow, orgs.org.id, "first@example.com")
        uow.record(created(orgs.org.id))
        await uow.commit()
        await add_member(uow, orgs.org.id, "second@example.com")
        uow.record(created(orgs.org.id))
    async with backend.uow() as uow:
        assert await uow.members.get_by_email(orgs.org.id, "first@example.com") is not None
        assert await uow.members.get_by_email(orgs.org.id, "second@example.com") is None
    assert await backend.committed_events(orgs.org.id) == [("organisation.created", orgs.org.id)]


class TestReading:
    async def test_it_reads_and_refuses_to_record_or_commit(self, backend, orgs):
        uow = backend.uow()
        async with uow.reading():
            assert await uow.organisations.get(orgs.org.id) == orgs.org
            with pytest.raises(RuntimeError):
                uow.record(created(orgs.org.id))
            with pytest.raises(RuntimeError):
                await uow.commit()
        assert await backend.committed_events(orgs.org.id) == []

    async def test_the_next_plain_use_writes_again(self, backend, orgs):
        uow = backend.uow()
        async with uow.reading():
            pass
        async with uow:
            await add_member(uow, orgs.org.id, "later@example.com")
            uow.record(created(orgs.org.id))
            await uow.commit()
        async with uow.reading():
            assert await uow.members.get_by_email(orgs.org.id, "later@example.com") is not None
        assert await backend.committed_events(orgs.org.id) == [("organisation.created", orgs.org.id)]

    async def test_it_is_refused_once_the_unit_of_work_is_open(self, backend):
        uow = backend.uow()
        async with uow:
            with pytest.raises(RuntimeError):
                uow.reading()
            slug = f"org-{secrets.token_hex(5)}"
            await uow.organisations.add(slug=slug, name="Still writes", created_at=NOW)
            await uow.commit()
        async with uow.reading():
            assert await uow.organisations.get_by_slug(slug) is not None
