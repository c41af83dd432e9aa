"""Receiving image files for import: decided by their bytes, kept for a day until imported."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import unquote

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


_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))]
)
"""Windows device names: `CON` or `con.png` written as a file opens the console, whatever follows."""


def clean_filename(name: str | None) -> str:
    """The client's file name as harmless metadata: no path (escaped as `%2e%2e%2f` or not), no
    controls, no device name, at most 255 bytes of UTF-8 with its extension kept; keys never use it.

    It is also the asset's default name, and a download's or an export's file name may come from
    that, so it is made safe to write as a file name anywhere, not only here.
    """
    if not name:
        return ""
    for _ in range(3):  # `%252e` is `%2e` once decoded: a few rounds undo what a client layered
        if "%" not in name:
            break
        name = unquote(name, errors="replace")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = _bounded(name.strip(" ."))
    if name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        name = _bounded("_" + name)
    return name


def _bounded(name: str) -> str:
    """At most MAX_FILENAME bytes of UTF-8, cut in the stem so that a short extension stays."""
    if len(name.encode()) <= MAX_FILENAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 16:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    room = MAX_FILENAME - len(suffix.encode())
    cut = stem.encode()[:room].decode(errors="ignore").rstrip(" .")
    return (cut + suffix).strip(" .")


def _refuse_secrets_in(metadata: EmbeddedMetadata) -> None:
    # the fields are checked too: they are decoded (JSON escapes, UTF-16) from the raw texts
    for text in (metadata.prompt, metadata.negative_prompt, metadata.model, *metadata.texts):
        refuse_secrets(text, field="file")


def may_upload(actor: Actor, *, filename: str | None = None) -> None:
    """Checked before the body is read: a viewer, or a file name holding a credential, spools nothing."""
    if not actor.can(Permission.GENERATE):
        raise Forbidden(f"uploading needs the CREATOR role or higher (your role is {actor.role.value})")
    refuse_secrets(filename or "", field="filename")  # the whole name as sent, path and all
    refuse_secrets(clean_filename(filename), field="filename")  # and as kept: `%2D` hides no key


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
