"""Receiving image files for import: decided by their bytes, kept for a day until imported."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import Forbidden
from domain.kernel.media import EmbeddedMetadata, SpooledFile
from domain.kernel.prompt_guard import refuse_secrets
from domain.studio.events import UploadReceived
from domain.studio.model import Upload
from domain.studio.writes import NewUpload

if TYPE_CHECKING:
    from domain.studio.services import Studio

UPLOAD_LIFETIME = timedelta(days=1)
MAX_FILENAME = 255


def clean_filename(name: str | None) -> str:
    """The client's file name as harmless metadata: no path, no controls, bounded; keys never use it."""
    if not name:
        return ""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip(" .")[:MAX_FILENAME].rstrip(" .")


def _refuse_secrets_in(metadata: EmbeddedMetadata) -> None:
    # the fields are checked too: they are decoded (JSON escapes, UTF-16) from the raw texts
    for text in (metadata.prompt, metadata.negative_prompt, metadata.model, *metadata.texts):
        refuse_secrets(text, field="file")


def may_upload(actor: Actor, *, filename: str | None = None) -> None:
    """Checked before the body is read: a viewer, or a file name holding a credential, spools nothing."""
    if not actor.can(Permission.GENERATE):
        raise Forbidden(f"uploading needs the CREATOR role or higher (your role is {actor.role.value})")
    refuse_secrets(filename or "", field="filename")  # the whole name as sent, path and all


async def accept_upload(
    studio: Studio,
    actor: Actor,
    *,
    file: SpooledFile,
    filename: str | None = None,
) -> Upload:
    """Inspect a received file (InvalidImage when refused), store it, and remember it for import."""
    may_upload(actor, filename=filename)
    facts = await studio.inspector.inspect(file)
    # a credential anywhere in the file's metadata (a workflow graph, a comment, an EXIF field) is
    # refused like one typed into a prompt, before anything is kept
    await asyncio.to_thread(_refuse_secrets_in, facts.metadata)
    blob = await studio.blobs.adopt("scratch", file)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        upload = await uow.uploads.add(
            NewUpload(
                org_id=actor.org_id,
                member_id=actor.member_id,
                blob_key=blob.key,
                mime_type=facts.mime_type,
                byte_size=blob.size,
                width=facts.width,
                height=facts.height,
                filename=clean_filename(filename),
                metadata=facts.metadata,
                created_at=now,
                expires_at=now + UPLOAD_LIFETIME,
            )
        )
        uow.record(UploadReceived.by(actor, upload.id, now, byte_size=blob.size, mime_type=facts.mime_type))
        await uow.commit()
    return upload
