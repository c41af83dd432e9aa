"""Opening a file for a member or a signed link: the one place that decides what may be served."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.files.model import (
    Access,
    FileKind,
    FileRef,
    LinkGrant,
    Original,
    ServedFile,
    XmpProvenance,
)
from domain.files.names import file_name
from domain.kernel.access import Permission
from domain.kernel.errors import Forbidden, NotFound
from domain.library.model import Asset
from domain.processing.model import RENDITIONS_AREA, JobSubject
from domain.studio.model import Generation

if TYPE_CHECKING:
    from domain.files.services import Files

_SUBJECTS: dict[FileKind, JobSubject] = {FileKind.ASSET: "asset", FileKind.GENERATION: "generation"}

GONE = "no file here"
"""One message for every file that is not served: missing, another organisation's, trashed, expired."""


async def open_file(files: Files, access: Access, ref: FileRef) -> ServedFile:
    """The file `ref` names, as `access` may see it; NotFound, always alike, when it may not be served.

    A member needs READ in the file's organisation; a link opens only the file it was
    signed for, and only until it expires (Forbidden after, whether the file is there or
    not). A trashed asset is served to nobody (its links stop working the moment it is
    trashed; restoring it brings them back), nor is a generation past its expiry that the
    retention sweep is about to delete. A rendition follows the same rules as its original;
    a link pinned to a rendition's bytes (`LinkGrant.content`) opens those bytes or nothing.
    """
    if isinstance(access, LinkGrant):
        if access.ref != ref:
            raise NotFound(GONE)
        if access.is_expired(files.clock.now()):
            raise Forbidden("this link has expired; ask the API for a new one")
        org_id = access.org_id
    else:
        access.require(Permission.READ)
        org_id = access.org_id
    subject = await _served_subject(files, org_id, ref)
    size = ref.variant.rendition_size
    if size is not None:
        pinned = access.content if isinstance(access, LinkGrant) else None
        return await _rendition(files, org_id, ref, subject, size, pinned)
    original = await _original(files, org_id, subject)
    name = _name(subject)
    try:
        prepared = await files.preparer.prepare(original)
    except FileNotFoundError:
        raise NotFound(GONE) from None
    return ServedFile(prepared, original.mime_type, name)


async def _served_subject(files: Files, org_id: int, ref: FileRef) -> Asset | Generation:
    """The asset or generation `ref` names, when its files may be served; NotFound otherwise."""
    if ref.kind is FileKind.ASSET:
        asset = (await files.reads.library.assets_by_ids(org_id, [ref.id])).get(ref.id)
        if asset is None or asset.trashed_at is not None:
            raise NotFound(GONE)
        return asset
    generation = (await files.reads.studio.generations_by_ids(org_id, [ref.id])).get(ref.id)
    if generation is None:
        raise NotFound(GONE)
    now = files.clock.now()
    if generation.expires_at is not None and generation.expires_at <= now:
        liked = bool(await files.reads.studio.like_counts(org_id, [generation.id]))
        if generation.is_expired(now, liked=liked):
            raise NotFound(GONE)
    return generation


def _name(subject: Asset | Generation) -> str:
    """The name to save the original under."""
    if isinstance(subject, Asset):
        return file_name(subject.name, subject.mime_type, fallback=f"asset-{subject.id}")
    return file_name(f"generation-{subject.id}", subject.mime_type, fallback="generation")


async def _rendition(
    files: Files, org_id: int, ref: FileRef, subject: Asset | Generation, size: int, pinned: str | None
) -> ServedFile:
    """The stored WebP rendition of that size, as it is (made without metadata); NotFound until processed."""
    found = (await files.reads.processing.renditions(org_id, _SUBJECTS[ref.kind], [ref.id])).get(ref.id, ())
    rendition = next((r for r in found if r.size == size), None)
    if rendition is None or (pinned is not None and not rendition.blob_key.startswith(pinned)):
        raise NotFound(GONE)  # not processed (yet), or processed again since the link was made
    try:
        prepared = await files.preparer.stored(RENDITIONS_AREA, rendition.blob_key)
    except FileNotFoundError:
        raise NotFound(GONE) from None
    stem = _name(subject).rsplit(".", 1)[0]
    return ServedFile(
        prepared, "image/webp", file_name(f"{stem}-{ref.variant.value}", "image/webp", fallback="image")
    )


async def _original(files: Files, org_id: int, subject: Asset | Generation) -> Original:
    """The stored original of a served asset or generation, with the provenance to write into it."""
    if isinstance(subject, Asset):
        asset = subject
        p = asset.provenance
        provenance = None
        if asset.ai_generated and p is not None:
            writer = await _member_name(files, org_id, p.created_by_id)
            provenance = XmpProvenance.of(
                provider=p.provider,
                model=p.model,
                prompt=p.prompt,
                negative_prompt=p.negative_prompt,
                writer=writer,
            )
        return Original("library", asset.blob_key, asset.mime_type, provenance)
    generation = subject
    writer = await _member_name(files, org_id, generation.created_by_id)
    provenance = XmpProvenance.of(
        provider=generation.provider,
        model=generation.model,
        prompt=generation.prompt,
        negative_prompt=generation.negative_prompt,
        writer=writer,
    )
    return Original("scratch", generation.blob_key, generation.mime_type, provenance)


async def _member_name(files: Files, org_id: int, member_id: int | None) -> str:
    """The name of the member who wrote a prompt, for `AIPromptWriterName`; empty when unknown."""
    if member_id is None:
        return ""
    member = (await files.reads.directory.members_by_ids(org_id, [member_id])).get(member_id)
    return member.name if member is not None else ""
