"""UploadRepository beyond the sweep (test_upload_repository.py): tenancy, consume, blobs in use."""

from __future__ import annotations

from datetime import timedelta

from domain.kernel.media import EmbeddedMetadata
from domain.studio.writes import NewUpload
from tests.contracts.conftest import NOW, blob_key


async def add_upload(backend, org_id: int, member_id: int):
    async with backend.uow() as uow:
        upload = await uow.uploads.add(
            NewUpload(
                org_id=org_id,
                member_id=member_id,
                blob_key=blob_key(),
                mime_type="image/png",
                byte_size=10,
                width=1,
                height=1,
                filename="fox.png",
                metadata=EmbeddedMetadata(prompt="a fox", seed=7, model="sdxl", tool="comfyui"),
                created_at=NOW,
                expires_at=NOW + timedelta(days=1),
            )
        )
        await uow.commit()
    return upload


async def test_an_upload_is_found_with_its_metadata_in_its_organisation_only(backend, orgs):
    upload = await add_upload(backend, orgs.org.id, orgs.member.id)
    assert (upload.prompt, upload.seed, upload.model, upload.tool) == ("a fox", 7, "sdxl", "comfyui")
    assert upload.consumed_at is None
    async with backend.uow() as uow:
        assert await uow.uploads.get(orgs.org.id, upload.id) == upload
        assert await uow.uploads.get(orgs.org.id, upload.id, for_update=True) == upload
        assert await uow.uploads.get(orgs.other.id, upload.id) is None
        assert await uow.uploads.get(orgs.org.id, upload.id + 1_000_000) is None


async def test_consume_is_a_compare_and_set_within_the_organisation(backend, orgs):
    upload = await add_upload(backend, orgs.org.id, orgs.member.id)
    async with backend.uow() as uow:
        assert not await uow.uploads.consume(orgs.other.id, upload.id, NOW)
        assert await uow.uploads.consume(orgs.org.id, upload.id, NOW)
        assert not await uow.uploads.consume(orgs.org.id, upload.id, NOW + timedelta(hours=1))
        assert not await uow.uploads.consume(orgs.org.id, upload.id + 1_000_000, NOW)
        await uow.commit()
    async with backend.uow() as uow:
        assert (await uow.uploads.get(orgs.org.id, upload.id)).consumed_at == NOW  # the first one stays


async def test_an_uploads_blob_is_in_use_in_the_scratch_area(backend, orgs):
    upload = await add_upload(backend, orgs.org.id, orgs.member.id)
    async with backend.uow() as uow:
        assert await uow.generations.blobs_in_use("scratch", [upload.blob_key]) == {upload.blob_key}
        assert await uow.generations.blobs_in_use("library", [upload.blob_key]) == set()


async def test_uploads_are_found_and_used_in_bulk_within_the_organisation(backend, orgs):
    first = await add_upload(backend, orgs.org.id, orgs.member.id)
    second = await add_upload(backend, orgs.org.id, orgs.member.id)
    theirs = await add_upload(backend, orgs.other.id, orgs.other_member.id)
    async with backend.uow() as uow:
        found = await uow.uploads.get_many(orgs.org.id, [first.id, second.id, theirs.id], for_update=True)
        assert set(found) == {first.id, second.id} and found[first.id].filename == "fox.png"
        assert await uow.uploads.consume_many(orgs.org.id, [first.id, theirs.id], NOW) == {first.id}
        assert await uow.uploads.consume_many(orgs.org.id, [first.id, second.id], NOW) == {second.id}
        await uow.commit()
    async with backend.uow() as uow:
        assert (await uow.uploads.get(orgs.other.id, theirs.id)).consumed_at is None


async def test_a_used_uploads_blob_is_no_longer_in_use_in_the_scratch_area(backend, orgs):
    # its file lives on in the generation or asset made from it; the orphan sweep may take the rest
    upload = await add_upload(backend, orgs.org.id, orgs.member.id)
    async with backend.uow() as uow:
        assert await uow.uploads.consume(orgs.org.id, upload.id, NOW)
        assert await uow.generations.blobs_in_use("scratch", [upload.blob_key]) == set()
