"""The upload repository's promises, checked on the SQL repository and on the unit tests' fake alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.kernel.media import EmbeddedMetadata
from domain.studio.writes import NewUpload
from storage.unit_of_work import SqlUnitOfWork
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(params=["sql", "fake"])
def uow_and_owner(request, engine, tenant):
    if request.param == "sql":
        return (lambda: SqlUnitOfWork(engine)), tenant.org_id, tenant.member_id
    fake = FakeUnitOfWork()
    return (lambda: fake), 1, 1


def new_upload(org_id: int, member_id: int, *, expires_at: datetime) -> NewUpload:
    return NewUpload(
        org_id=org_id,
        member_id=member_id,
        blob_key="ab" * 32,
        mime_type="image/png",
        byte_size=10,
        width=1,
        height=1,
        filename="a.png",
        metadata=EmbeddedMetadata(),
        created_at=expires_at - timedelta(days=1),
        expires_at=expires_at,
    )


async def test_delete_expired_deletes_only_unimported_uploads_past_their_expiry(uow_and_owner):
    make_uow, org_id, member_id = uow_and_owner
    async with make_uow() as uow:
        imported = await uow.uploads.add(new_upload(org_id, member_id, expires_at=NOW - timedelta(hours=2)))
        stale = await uow.uploads.add(new_upload(org_id, member_id, expires_at=NOW - timedelta(hours=1)))
        fresh = await uow.uploads.add(new_upload(org_id, member_id, expires_at=NOW + timedelta(hours=1)))
        assert await uow.uploads.consume(org_id, imported.id, NOW - timedelta(hours=3))
        await uow.commit()
    async with make_uow() as uow:
        deleted = await uow.uploads.delete_expired(NOW, limit=100)
        await uow.commit()
    assert [u.id for u in deleted if u.org_id == org_id] == [stale.id]  # the sweep spans organisations
    async with make_uow() as uow:
        assert await uow.uploads.get(org_id, imported.id) is not None
        assert await uow.uploads.get(org_id, stale.id) is None
        assert await uow.uploads.get(org_id, fresh.id) is not None
