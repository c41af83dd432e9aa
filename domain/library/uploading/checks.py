"""The checks of adding uploads to the library, run twice: first reading, then locked in the write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.kernel.access import Actor
from domain.kernel.alt_text import refuse_prompt_copy
from domain.kernel.errors import (
    AltTextRequired,
    Conflict,
    DomainError,
    InvalidInput,
    InvalidState,
    ItemError,
    ItemErrors,
    NotFound,
    QuotaExceeded,
)
from domain.kernel.idempotency import IdempotentResult
from domain.library.model import Asset, Folder, Project
from domain.library.uploading.items import UploadedAsset, UploadItem, within
from domain.studio.model import Upload
from domain.unit_of_work import UnitOfWork

SCOPE = "addUploadsToLibrary"
OVER_QUOTA = "adding these would pass the organisation's storage quota; free space first"


@dataclass(frozen=True, slots=True)
class Request:
    """One request to add uploads, as every check sees it."""

    actor: Actor
    items: Sequence[UploadItem]
    idempotency_key: str | None
    fingerprint: str
    now: datetime


@dataclass(frozen=True, slots=True)
class Checked:
    """What the checks found: the earlier answer to replay, or each item's upload, the live assets
    already holding their bytes (by blob key), and the items that make a new asset."""

    replay: list[UploadedAsset] | None = None
    uploads: list[Upload] = field(default_factory=list)
    by_key: dict[str, Asset] = field(default_factory=dict)
    new: list[tuple[UploadItem, Upload]] = field(default_factory=list)

    def new_keys(self) -> list[str]:
        """The blob keys the new assets will hold."""
        return [u.blob_key for _, u in self.new]


def remembered(fingerprint: str, results: Sequence[UploadedAsset]) -> IdempotentResult:
    """What an idempotency key keeps of the answer."""
    # the ids of the assets, then whether each was deduplicated (1) or not (0): a replay says both
    ids = (*(r.asset.id for r in results), *(int(r.deduplicated) for r in results))
    return IdempotentResult(fingerprint, ids)


async def replay(uow: UnitOfWork, org_id: int, earlier: IdempotentResult) -> list[UploadedAsset]:
    """The earlier answer again, each asset as it is now."""
    half = len(earlier.ids) // 2
    asset_ids, flags = earlier.ids[:half], earlier.ids[half:]
    found = await uow.library.assets(org_id, asset_ids)
    return [UploadedAsset(found[i], bool(f)) for i, f in zip(asset_ids, flags, strict=True) if i in found]


async def check(uow: UnitOfWork, request: Request, *, locked: bool = False) -> Checked:
    """Every check, in the order its errors are reported; `locked` locks the uploads' rows."""
    org_id, items = request.actor.org_id, request.items
    if request.idempotency_key is not None:
        earlier = await uow.idempotency.get(org_id, SCOPE, request.idempotency_key)
        if earlier is not None:
            if earlier.fingerprint != request.fingerprint:
                raise Conflict("this idempotency key was used with a different input", field="idempotencyKey")
            return Checked(replay=await replay(uow, org_id, earlier))
    org = await uow.organisations.get(org_id)
    if org is None:
        raise NotFound("no such organisation")
    now_uploads = await uow.uploads.get_many(org_id, [i.upload_id for i in items], for_update=locked)
    by_key = dict(
        await uow.library_lookups.live_assets_by_blob_keys(org_id, [u.blob_key for u in now_uploads.values()])
    )
    folders = await uow.library_lookups.folders(
        org_id, [i.options.folder_id for i in items if i.options.folder_id is not None]
    )
    projects = await uow.library.projects(org_id, sorted({p for i in items for p in i.options.project_ids}))
    errors: list[ItemError] = []
    uploads: list[Upload] = []
    new: list[tuple[UploadItem, Upload]] = []
    seen: set[int] = set()
    keys_made: set[str] = set()
    for index, item in enumerate(items):
        upload = now_uploads.get(item.upload_id)
        problem = _upload_problem(upload, item.upload_id in seen)
        seen.add(item.upload_id)
        if problem is None:
            problem = _filing_problem(item, folders, projects)
        if problem is None and upload is not None and upload.expires_at <= request.now:
            problem = _upload_problem(None, False)
        fresh = upload is not None and upload.blob_key not in by_key and upload.blob_key not in keys_made
        if problem is None and upload is not None and fresh:
            problem = _alt_text_problem(item, upload, org.require_alt_text)
            keys_made.add(upload.blob_key)
            new.append((item, upload))
        if problem is not None:
            errors.append(ItemError(index, item.upload_id, within(index, problem)))
        elif upload is not None:
            uploads.append(upload)
    if errors:
        raise ItemErrors(errors, field="items")
    needed = sum(u.byte_size for _, u in new)
    if not locked and new and org.storage_used_bytes + needed > org.storage_quota_bytes:
        raise QuotaExceeded(OVER_QUOTA)  # the write transaction reserves the space, compare-and-set
    return Checked(uploads=uploads, by_key=by_key, new=new)


def _upload_problem(upload: Upload | None, repeated: bool) -> DomainError | None:
    if repeated:
        return InvalidInput("this upload is listed more than once", field="uploadId")
    if upload is None:
        return NotFound(
            "no such upload (uploads are kept for a day); upload the file again", field="uploadId"
        )
    if upload.consumed_at is not None:
        return InvalidState("this upload was used already", field="uploadId")
    return None


def _filing_problem(
    item: UploadItem, folders: Mapping[int, Folder], projects: Mapping[int, Project]
) -> DomainError | None:
    options = item.options
    if options.folder_id is not None and options.folder_id not in folders:
        return NotFound("no such folder", field="folderId")
    for i, id in enumerate(options.project_ids):
        project = projects.get(id)
        problem = NotFound("no such project") if project is None else project.cannot_take_assets()
        if problem is not None:
            problem.field = f"projectIds[{i}]"
            return problem
    return None


def _alt_text_problem(item: UploadItem, upload: Upload, require_alt_text: bool) -> DomainError | None:
    """The review's rules for an asset about to be made: alt text where the organisation requires
    it (an upload has no review to take it from), and never the file's prompt copied."""
    alt_text = item.options.alt_text
    if alt_text is None:
        if require_alt_text:
            return AltTextRequired(
                "the organisation keeps assets only with alt text; give altText", field="altText"
            )
        return None
    try:
        refuse_prompt_copy(alt_text, upload.prompt)
    except DomainError as e:
        return e
    return None
