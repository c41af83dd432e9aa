"""saveToLibrary: generations become permanent assets, all or none, at most once each.

The generations are locked for the transaction (SELECT ... FOR UPDATE on
PostgreSQL, the IMMEDIATE write lock on SQLite), so two clients saving the same
generation at once get one asset: the second waits, then finds it saved and
returns that asset. The compare-and-set on `saved_asset_id` guards the same rule
at the row.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.bulk import check_count
from domain.kernel.errors import (
    AltTextRequired,
    ApprovalRequired,
    Conflict,
    DomainError,
    InvalidInput,
    InvalidState,
    ItemError,
    ItemErrors,
    LimitExceeded,
    NotFound,
    QuotaExceeded,
)
from domain.kernel.idempotency import IdempotentResult
from domain.kernel.ports import BlobStore
from domain.kernel.prompt_guard import refuse_secrets
from domain.kernel.text import clean_text
from domain.library.events import AssetSaved, TagCreated
from domain.library.model import Asset, Provenance, name_key
from domain.library.writes import NewAsset
from domain.organisations.model import Organisation
from domain.processing.events import AssetProcessed
from domain.studio.model import Generation, ReviewState
from domain.studio.selection import check_alt_text_for_each, load_generations
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library

SCOPE = "saveToLibrary"
MAX_TAGS = 20
MAX_PROJECTS = 20
MAX_TAG = 64
MAX_NAME = 200
MAX_DESCRIPTION = 2000
_KEY = re.compile(r"[A-Za-z0-9._:~-]{1,255}")


@dataclass(frozen=True, slots=True)
class SaveOptions:
    """Where and how the saved assets are filed; checked once for the whole save."""

    folder_id: int | None = None
    project_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    name: str | None = None
    description: str = ""
    alt_text: str | None = None

    def checked(self) -> SaveOptions:
        """Cleaned and bounded; tags deduplicated regardless of case (the first spelling wins)."""
        if len(self.project_ids) > MAX_PROJECTS:
            raise LimitExceeded(f"at most {MAX_PROJECTS} projects", field="projectIds")
        if len(set(self.project_ids)) != len(self.project_ids):
            raise InvalidInput("a project is listed more than once", field="projectIds")
        if len(self.tags) > MAX_TAGS:
            raise LimitExceeded(f"at most {MAX_TAGS} tags", field="tags")
        tags: dict[str, str] = {}
        for i, tag in enumerate(self.tags):
            cleaned = clean_text(tag, field=f"tags[{i}]", max_length=MAX_TAG, required=True, single_line=True)
            tags.setdefault(name_key(cleaned), cleaned)
        name = None
        if self.name is not None:
            name = clean_text(self.name, field="name", max_length=MAX_NAME, required=True, single_line=True)
        description = clean_text(self.description, field="description", max_length=MAX_DESCRIPTION)
        if self.alt_text is not None:  # checked per generation later; a credential is refused for all now
            refuse_secrets(self.alt_text, field="altText")
        return SaveOptions(
            self.folder_id, self.project_ids, tuple(tags.values()), name, description, self.alt_text
        )

    def fingerprint(self, generation_ids: Sequence[int]) -> str:
        """What identifies the request for its idempotency key."""
        canonical = json.dumps(
            [
                list(generation_ids),
                self.folder_id,
                sorted(self.project_ids),
                sorted(name_key(t) for t in self.tags),
                self.name,
                self.description,
                self.alt_text,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


UNTITLED = "Untitled generation"
_PROMPT_SYNTAX = re.compile(r"<[^<>]*>|[()\[\]{}]|:\d+(\.\d+)?")  # <lora:...>, (word:1.2) weights


def default_name(prompt: str) -> str:
    """A name from the prompt: its first clause of two or more words, cut at a word near 80 characters."""
    plain = _PROMPT_SYNTAX.sub(" ", prompt)
    clauses = [
        c.strip() for c in re.split(r"[,;\n、。]|\.(?:\s|$)", plain) if c.strip()
    ]  # "3.5 inch" stays whole
    if not clauses:
        return UNTITLED
    first = next((c for c in clauses if len(c.split()) >= 2), clauses[0])  # skip "masterpiece", "8k"
    first = " ".join(first.split())
    name = first if len(first) <= 80 else first[:80].rsplit(" ", 1)[0] + "…"
    return name[:1].upper() + name[1:] if name[:1].islower() and not name[1:2].isupper() else name


def _savable(org: Organisation, alt_text: str | None) -> Callable[[Generation], DomainError | None]:
    def check(g: Generation) -> DomainError | None:
        if g.saved_asset_id is not None:
            return None  # already in the library: the save returns its asset
        if g.review_state is ReviewState.REJECTED:
            return InvalidState("a rejected generation never enters the library")
        if org.require_approval and g.review_state is not ReviewState.APPROVED:
            return ApprovalRequired("the organisation saves only approved generations; approve it first")
        if org.require_alt_text and not (alt_text or g.review.alt_text):
            return AltTextRequired(
                "the organisation saves only with alt text; give altText or approve with one"
            )
        return None

    return check


async def save_to_library(
    library: Library,
    actor: Actor,
    *,
    generation_ids: list[int],
    options: SaveOptions = SaveOptions(),
    idempotency_key: str | None = None,
) -> list[Asset]:
    """Save generations as assets, all or none; a generation already saved returns its asset.

    Checked twice: first in a reading transaction, so that a refused save copies no file
    and the files are copied with no database lock held (a network store may be slow);
    then again, locked, in the write transaction. A save that passes the first checks and
    fails the second (a race lost meanwhile) leaves library files no asset uses; the
    retention run's orphan sweep removes them after their grace period.
    """
    actor.require(Permission.ORGANISE)
    check_count(generation_ids, field="generationIds")
    options = options.checked()
    if options.alt_text is not None and not options.alt_text.strip():
        options = replace(options, alt_text=None)  # "" means: use the review's alt text
    if idempotency_key is not None and not _KEY.fullmatch(idempotency_key):
        raise InvalidInput("an idempotency key is 1-255 letters, digits or ._:~-", field="idempotencyKey")
    if idempotency_key is not None:
        refuse_secrets(idempotency_key, field="idempotencyKey")  # it is stored with the saved result
    request = _Request(actor, generation_ids, options, idempotency_key, options.fingerprint(generation_ids))
    now = library.clock.now()
    uow = library.uow()
    async with uow.reading():
        first = await _check(uow, request, locked=False)
    if first.replay is not None:
        return first.replay
    copied = await _copy_to_library(library.blobs, first.new)
    async with uow:
        checked = await _check(uow, request, locked=True)
        if checked.replay is not None:
            return checked.replay
        generations, new = checked.generations, checked.new
        if new and not await uow.organisations.reserve_storage(actor.org_id, sum(g.byte_size for g in new)):
            raise QuotaExceeded(_OVER_QUOTA)
        tags, created = await uow.library.ensure_tags(actor.org_id, options.tags, now)
        for tag in tags:
            if tag.id in created:
                uow.record(TagCreated.by(actor, tag.id, now, name=tag.name))
        context = await uow.generations.context_assets(actor.org_id, [g.id for g in new])
        saved: dict[int, int] = {g.id: g.saved_asset_id for g in generations if g.saved_asset_id is not None}
        found = dict(await uow.library.assets(actor.org_id, list(saved.values()))) if saved else {}
        if missing := [g.blob_key for g in new if g.blob_key not in copied]:
            await library.blobs.copy("scratch", "library", missing)  # only when the first copy failed: rare
        assets = await uow.library.add_assets(
            [
                NewAsset(
                    org_id=actor.org_id,
                    name=options.name or default_name(g.prompt),
                    description=options.description,
                    alt_text=checked.alt_texts.get(g.id) or g.review.alt_text,
                    folder_id=options.folder_id,
                    blob_key=g.blob_key,
                    mime_type=g.mime_type,
                    byte_size=g.byte_size,
                    width=g.width,
                    height=g.height,
                    provenance=Provenance.of(g),
                    created_at=now,
                    tag_ids=tuple(t.id for t in tags),
                    project_ids=options.project_ids,
                    context_asset_ids=tuple(context.get(g.id, ())),
                )
                for g in new
            ]
        )
        linked = await uow.generations.mark_saved_many(
            actor.org_id, {g.id: a.id for g, a in zip(new, assets, strict=True)}
        )
        if len(linked) != len(new):
            raise Conflict("the generation was saved meanwhile; try again", field="generationIds")
        for g, asset in zip(new, assets, strict=True):
            saved[g.id] = asset.id
            found[asset.id] = asset
            uow.record(AssetSaved.by(actor, asset.id, now, generation_id=g.id, session_id=g.session_id))
        # renditions and facts, queued in this transaction: a job exists exactly when the asset does
        await uow.jobs.enqueue(actor.org_id, "asset", {a.id: a.blob_key for a in assets}, now)
        # a generation processed already has the same original: its facts and renditions are the asset's
        taken = await uow.jobs.take_over(
            actor.org_id, "asset", {a.id: g.id for g, a in zip(new, assets, strict=True)}, "generation", now
        )
        for asset in assets:
            if asset.id in taken:
                uow.record(
                    AssetProcessed(
                        org_id=actor.org_id, subject_id=asset.id, actor_id=None, occurred_at=now, attempts=0
                    )
                )
        asset_ids = tuple(saved[g.id] for g in generations)
        if idempotency_key is not None and not await uow.idempotency.put(
            actor.org_id, SCOPE, idempotency_key, IdempotentResult(request.fingerprint, asset_ids), now
        ):
            # a concurrent request with this key committed first (PostgreSQL waited for it): its answer stands
            raise Conflict(
                "this idempotency key was used by a concurrent request; retry", field="idempotencyKey"
            )
        await uow.commit()
    return [found[i] for i in asset_ids]


_OVER_QUOTA = "saving these would pass the organisation's storage quota; free space first"


@dataclass(frozen=True, slots=True)
class _Request:
    actor: Actor
    generation_ids: list[int]
    options: SaveOptions
    idempotency_key: str | None
    fingerprint: str


@dataclass(frozen=True, slots=True)
class _Checked:
    """What the checks found: the earlier answer to replay, or the generations to save."""

    replay: list[Asset] | None = None
    generations: list[Generation] = field(default_factory=list)
    new: list[Generation] = field(default_factory=list)
    alt_texts: dict[int, str] = field(default_factory=dict)


async def _check(uow: UnitOfWork, request: _Request, *, locked: bool) -> _Checked:
    """Every check of a save, in the order its errors are reported; `locked` takes the rows' locks."""
    org_id, options = request.actor.org_id, request.options
    if request.idempotency_key is not None:
        earlier = await uow.idempotency.get(org_id, SCOPE, request.idempotency_key)
        if earlier is not None:
            if earlier.fingerprint != request.fingerprint:
                raise Conflict("this idempotency key was used with a different input", field="idempotencyKey")
            found = await uow.library.assets(org_id, earlier.ids)
            return _Checked(replay=[found[i] for i in earlier.ids if i in found])
    org = await uow.organisations.get(org_id)
    if org is None:
        raise NotFound("no such organisation")
    generations = await load_generations(
        uow, org_id, request.generation_ids, for_update=locked, check=_savable(org, options.alt_text)
    )
    alt_texts = check_alt_text_for_each(
        options.alt_text, generations, skip=lambda g: g.saved_asset_id is not None
    )
    await _check_filing(uow, org_id, options)
    new = [g for g in generations if g.saved_asset_id is None]
    needed = sum(g.byte_size for g in new)
    if not locked and new and org.storage_used_bytes + needed > org.storage_quota_bytes:
        raise QuotaExceeded(_OVER_QUOTA)  # the write transaction reserves the space, compare-and-set
    return _Checked(generations=generations, new=new, alt_texts=alt_texts)


async def _copy_to_library(blobs: BlobStore, generations: Sequence[Generation]) -> set[str]:
    """Copy the images into the library area; the keys copied (none when a source is gone)."""
    keys = [g.blob_key for g in generations]
    if not keys:
        return set()
    try:
        await blobs.copy("scratch", "library", keys)
    except FileNotFoundError:
        return set()  # deleted meanwhile: the write transaction finds out which, and says so
    return set(keys)


async def _check_filing(uow: UnitOfWork, org_id: int, options: SaveOptions) -> None:
    if options.folder_id is not None and await uow.library.folder(org_id, options.folder_id) is None:
        raise NotFound("no such folder", field="folderId")
    projects = await uow.library.projects(org_id, options.project_ids)
    errors = []
    for i, id in enumerate(options.project_ids):
        project = projects.get(id)
        if project is None:
            errors.append(ItemError(i, id, NotFound("no such project", field=f"projectIds[{i}]")))
        elif (problem := project.cannot_take_assets()) is not None:
            problem.field = f"projectIds[{i}]"
            errors.append(ItemError(i, id, problem))
    if errors:
        raise ItemErrors(errors, field="projectIds")
