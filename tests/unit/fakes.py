"""In-memory fakes of the domain's ports, for unit tests that need no database.

The fake unit of work keeps a committed state and, while `async with uow:` is
open, a staged copy of it: repositories read and write the staged copy, `commit()`
makes it the committed state, and leaving the block without committing throws it
away, as a rolled-back transaction would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from domain.kernel.access import Role
from domain.kernel.errors import InvalidImage
from domain.kernel.events import DomainEvent
from domain.kernel.idempotency import IdempotentResult
from domain.kernel.media import ImageFacts, ImageRequest, MadeImage, SpooledFile, StoredBlob
from domain.kernel.pagination import Page, PageRequest
from domain.library.filters import ProjectFilter
from domain.library.model import Asset, Folder, Project, Tag, name_key
from domain.library.placements.model import NewPlacement, Placement, PlacementState
from domain.library.ports import AssetLink
from domain.library.trash.ports import PurgedAsset
from domain.library.writes import NewAsset
from domain.organisations.model import (
    DEFAULT_CREDIT_BUDGET,
    DEFAULT_STORAGE_QUOTA_BYTES,
    ApiToken,
    Member,
    Organisation,
    StorageUsage,
)
from domain.processing.model import (
    ImageFacts as ProcessingFacts,
)
from domain.processing.model import (
    Job,
    JobState,
    JobSubject,
    ProcessedImage,
    ProcessingError,
    ProcessingState,
    Rendition,
)
from domain.processing.ports import UnprocessableImage
from domain.studio.filters import GenerationFilter, SessionFilter
from domain.studio.model import (
    BrandKit,
    Generation,
    ReviewNotes,
    ReviewState,
    Session,
    SessionState,
    Upload,
)
from domain.studio.writes import NewGeneration, NewSession, NewUpload

EPOCH = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock that says what it is told; `advance` moves it on."""

    def __init__(self, now: datetime = EPOCH) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now

    def advance(self, by: timedelta) -> None:
        self._now += by


class UniqueViolation(Exception):
    """What the database would raise on a duplicate key."""


@dataclass
class State:
    """Everything the fake database holds; a generation's likes are (org_id, member_id, generation_id)."""

    organisations: dict[int, Organisation] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    events: list[DomainEvent] = field(default_factory=list)
    brand_kits: dict[int, BrandKit] = field(default_factory=dict)
    sessions: dict[int, Session] = field(default_factory=dict)
    generations: dict[int, Generation] = field(default_factory=dict)
    generation_context: dict[int, tuple[int, ...]] = field(default_factory=dict)
    likes: dict[tuple[int, int, int], datetime] = field(default_factory=dict)
    favourites: dict[tuple[int, int, int], datetime] = field(default_factory=dict)
    folders: dict[int, Folder] = field(default_factory=dict)
    projects: dict[int, Project] = field(default_factory=dict)
    tags: dict[int, Tag] = field(default_factory=dict)
    assets: dict[int, Asset] = field(default_factory=dict)
    asset_links: dict[int, NewAsset] = field(default_factory=dict)
    idempotency: dict[tuple[int, str, str], IdempotentResult] = field(default_factory=dict)
    uploads: dict[int, Upload] = field(default_factory=dict)
    placements: dict[int, Placement] = field(default_factory=dict)
    jobs: dict[tuple[int, str, int], FakeJobRow] = field(default_factory=dict)
    processed: dict[tuple[int, str, int], ProcessedImage] = field(default_factory=dict)

    def copy(self) -> State:
        # entities are frozen dataclasses, so copying the containers isolates the copy
        return State(**{f.name: type(v)(v) for f in fields(self) for v in [getattr(self, f.name)]})

    def rows_differ(self, other: State) -> bool:
        """Whether any table but the events differs."""
        return any(
            getattr(self, f.name) != getattr(other, f.name) for f in fields(self) if f.name != "events"
        )


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _state(self) -> State:
        return self._uow.staged


class FakeOrganisationRepository(_Repository):
    async def get(self, org_id: int) -> Organisation | None:
        return self._state.organisations.get(org_id)

    async def spend_credits(self, org_id: int, amount: int) -> bool:
        org = self._state.organisations.get(org_id)
        if org is None or org.credits_spent + amount > org.credit_budget:
            return False
        self._state.organisations[org_id] = replace(org, credits_spent=org.credits_spent + amount)
        return True

    async def refund_credits(self, org_id: int, amount: int) -> None:
        org = self._state.organisations.get(org_id)
        if org is not None:
            self._state.organisations[org_id] = replace(org, credits_spent=org.credits_spent - amount)

    async def reserve_storage(self, org_id: int, byte_count: int) -> bool:
        org = self._state.organisations.get(org_id)
        if org is None or org.storage_used_bytes + byte_count > org.storage_quota_bytes:
            return False
        self._state.organisations[org_id] = replace(
            org, storage_used_bytes=org.storage_used_bytes + byte_count
        )
        return True

    async def release_storage(self, org_id: int, byte_count: int) -> None:
        org = self._state.organisations.get(org_id)
        if org is not None:
            self._state.organisations[org_id] = replace(
                org, storage_used_bytes=org.storage_used_bytes - byte_count
            )

    async def get_by_slug(self, slug: str) -> Organisation | None:
        return next((o for o in self._state.organisations.values() if o.slug == slug), None)

    async def add(self, *, slug: str, name: str, created_at: datetime) -> Organisation:
        if await self.get_by_slug(slug) is not None:
            raise UniqueViolation(f"organisations.slug {slug!r}")
        org = Organisation(
            id=self._uow.next_id(),
            slug=slug,
            name=name,
            storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
            credit_budget=DEFAULT_CREDIT_BUDGET,
            require_approval=True,
            require_alt_text=True,
            created_at=created_at,
        )
        self._state.organisations[org.id] = org
        return org


class FakeMemberRepository(_Repository):
    async def get_by_email(self, org_id: int, email: str) -> Member | None:
        return next(
            (m for m in self._state.members.values() if m.org_id == org_id and m.email == email), None
        )

    async def add(self, org_id: int, *, name: str, email: str, role: Role, created_at: datetime) -> Member:
        if await self.get_by_email(org_id, email) is not None:
            raise UniqueViolation(f"members.(org_id, email) {(org_id, email)!r}")
        member = Member(
            id=self._uow.next_id(), org_id=org_id, name=name, email=email, role=role, created_at=created_at
        )
        self._state.members[member.id] = member
        return member


class FakeTokenRepository(_Repository):
    async def add(
        self,
        org_id: int,
        *,
        member_id: int,
        name: str,
        token_hash: str,
        prefix: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken:
        if await self.get_by_hash(token_hash) is not None:
            raise UniqueViolation("api_tokens.token_hash")
        token = ApiToken(
            id=self._uow.next_id(),
            org_id=org_id,
            member_id=member_id,
            name=name,
            token_hash=token_hash,
            prefix=prefix,
            created_at=created_at,
            expires_at=expires_at,
            revoked_at=None,
        )
        self._state.tokens[token.id] = token
        return token

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self._state.tokens.values() if t.token_hash == token_hash), None)

    async def get(self, token_id: int) -> ApiToken | None:
        if not -(2**63) <= token_id < 2**63:  # as SQLite and PostgreSQL refuse a parameter beyond BIGINT
            raise OverflowError("int too large to convert to a 64-bit INTEGER")
        return self._state.tokens.get(token_id)

    async def revoke(self, org_id: int, token_id: int, *, at: datetime) -> bool:
        token = self._state.tokens.get(token_id)
        if token is None or token.org_id != org_id or token.revoked_at is not None:
            return False
        self._state.tokens[token_id] = replace(token, revoked_at=at)
        return True


def _unkept_and_unliked(state: State, g: Generation) -> bool:
    liked = any(k[0] == g.org_id and k[2] == g.id for k in state.likes)
    return g.saved_asset_id is None and g.review_state is not ReviewState.APPROVED and not liked


def _expired(state: State, g: Generation, now: datetime) -> bool:
    return g.expires_at is not None and g.expires_at <= now and _unkept_and_unliked(state, g)


class FakeSessionRepository(_Repository):
    async def get(self, org_id: int, session_id: int, *, for_update: bool = False) -> Session | None:
        session = self._state.sessions.get(session_id)
        return session if session is not None and session.org_id == org_id else None

    async def add(self, session: NewSession) -> Session:
        added = Session(
            id=self._uow.next_id(),
            org_id=session.org_id,
            title=session.title,
            platform=session.platform,
            brand_kit_id=session.brand_kit_id,
            aspect_ratio=session.aspect_ratio,
            state=SessionState.OPEN,
            created_by_id=session.created_by_id,
            created_at=session.created_at,
            closed_at=None,
        )
        self._state.sessions[added.id] = added
        return added

    async def update(self, session: Session) -> None:
        stored = await self.get(session.org_id, session.id)
        if stored is not None:  # only the columns the SQL repository writes
            self._state.sessions[session.id] = replace(
                stored,
                title=session.title,
                platform=session.platform,
                brand_kit_id=session.brand_kit_id,
                aspect_ratio=session.aspect_ratio,
                state=session.state,
                closed_at=session.closed_at,
            )


class FakeGenerationRepository(_Repository):
    def _of(self, org_id: int, generation_id: int) -> Generation | None:
        g = self._state.generations.get(generation_id)
        return g if g is not None and g.org_id == org_id else None

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Generation]:
        return {i: g for i in sorted(set(ids)) if (g := self._of(org_id, i)) is not None}

    async def add(self, generation: NewGeneration) -> Generation:
        n = generation
        added = Generation(
            id=self._uow.next_id(),
            org_id=n.org_id,
            session_id=n.session_id,
            prompt=n.prompt,
            negative_prompt=n.negative_prompt,
            platform=n.platform,
            brand_kit_id=n.brand_kit_id,
            aspect_ratio=n.aspect_ratio,
            width=n.width,
            height=n.height,
            provider=n.provider,
            model=n.model,
            seed=n.seed,
            credits_used=n.credits_used,
            review_state=ReviewState.PENDING,
            review=ReviewNotes(),
            reviewed_by_id=None,
            reviewed_at=None,
            saved_asset_id=None,
            blob_key=n.blob_key,
            mime_type=n.mime_type,
            byte_size=n.byte_size,
            created_by_id=n.created_by_id,
            created_at=n.created_at,
            expires_at=n.expires_at,
        )
        self._state.generations[added.id] = added
        if n.context_asset_ids:
            self._state.generation_context[added.id] = tuple(n.context_asset_ids)
        return added

    async def set_reviews(self, generations: Sequence[Generation], *, expected: ReviewState) -> set[int]:
        stored_ids = set()
        for generation in generations:
            stored = self._of(generation.org_id, generation.id)
            if stored is None or stored.review_state is not expected:
                continue
            self._state.generations[stored.id] = replace(
                stored,
                review_state=generation.review_state,
                review=generation.review,
                reviewed_by_id=generation.reviewed_by_id,
                reviewed_at=generation.reviewed_at,
                expires_at=generation.expires_at,
            )
            stored_ids.add(stored.id)
        return stored_ids

    async def set_escalation(self, generation: Generation) -> None:
        stored = self._of(generation.org_id, generation.id)
        if stored is not None:
            self._state.generations[stored.id] = replace(stored, escalation=generation.escalation)

    async def mark_saved(self, org_id: int, generation_id: int, asset_id: int) -> bool:
        stored = self._of(org_id, generation_id)
        if stored is None or stored.saved_asset_id is not None:
            return False
        self._state.generations[stored.id] = replace(stored, saved_asset_id=asset_id, expires_at=None)
        return True

    async def mark_saved_many(self, org_id: int, asset_ids: Mapping[int, int]) -> set[int]:
        return {g for g, a in asset_ids.items() if await self.mark_saved(org_id, g, a)}

    async def set_expiries(self, org_id: int, expiries: Mapping[int, datetime | None]) -> None:
        for generation_id, expires_at in expiries.items():
            if (stored := self._of(org_id, generation_id)) is not None:
                self._state.generations[stored.id] = replace(stored, expires_at=expires_at)

    async def in_session(self, org_id: int, session_id: int) -> Sequence[Generation]:
        return sorted(
            (
                g
                for g in self._state.generations.values()
                if g.org_id == org_id and g.session_id == session_id
            ),
            key=lambda g: g.id,
        )

    async def context_assets(self, org_id: int, generation_ids: Sequence[int]) -> Mapping[int, Sequence[int]]:
        return {
            i: list(self._state.generation_context[i])
            for i in generation_ids
            if self._of(org_id, i) is not None and i in self._state.generation_context
        }

    async def count_expired(self, now: datetime) -> int:
        return sum(1 for g in self._state.generations.values() if _expired(self._state, g, now))

    async def expired(self, now: datetime, *, limit: int) -> Sequence[Generation]:
        found = [g for g in self._state.generations.values() if _expired(self._state, g, now)]
        return sorted(found, key=lambda g: (g.expires_at, g.id))[:limit]

    async def delete_if_expired(self, generation: Generation, now: datetime) -> bool:
        stored = self._of(generation.org_id, generation.id)
        if stored is None or not _expired(self._state, stored, now):
            return False
        del self._state.generations[stored.id]
        self._state.generation_context.pop(stored.id, None)
        return True

    async def blobs_in_use(self, area: str, keys: Sequence[str]) -> set[str]:
        if area == "library":
            used = {a.blob_key for a in self._state.assets.values()}
        else:
            used = {g.blob_key for g in self._state.generations.values()} | {
                u.blob_key for u in self._state.uploads.values() if u.consumed_at is None
            }
        return used & set(keys)


class FakeLikeRepository(_Repository):
    async def add(self, org_id: int, member_id: int, generation_ids: Sequence[int], at: datetime) -> set[int]:
        new = set()
        for i in generation_ids:
            if (org_id, member_id, i) not in self._state.likes:
                self._state.likes[(org_id, member_id, i)] = at
                new.add(i)
        return new

    async def remove(self, org_id: int, member_id: int, generation_ids: Sequence[int]) -> set[int]:
        return {i for i in generation_ids if self._state.likes.pop((org_id, member_id, i), None) is not None}

    async def liked_by_anyone(self, org_id: int, generation_ids: Sequence[int]) -> set[int]:
        wanted = set(generation_ids)
        return {i for (o, _, i) in self._state.likes if o == org_id and i in wanted}


class FakeLibraryRepository(_Repository):
    async def folder(self, org_id: int, folder_id: int) -> Folder | None:
        folder = self._state.folders.get(folder_id)
        return folder if folder is not None and folder.org_id == org_id else None

    async def brand_kit(self, org_id: int, brand_kit_id: int) -> BrandKit | None:
        kit = self._state.brand_kits.get(brand_kit_id)
        return kit if kit is not None and kit.org_id == org_id else None

    async def projects(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]:
        found = (self._state.projects.get(i) for i in ids)
        return {p.id: p for p in found if p is not None and p.org_id == org_id}

    async def assets(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]:
        found = (self._state.assets.get(i) for i in ids)
        return {a.id: a for a in found if a is not None and a.org_id == org_id}

    async def ensure_tags(
        self, org_id: int, names: Sequence[str], at: datetime
    ) -> tuple[Sequence[Tag], set[int]]:
        by_key = {name_key(t.name): t for t in self._state.tags.values() if t.org_id == org_id}
        created = set()
        for name in names:
            if name_key(name) not in by_key:
                tag = Tag(id=self._uow.next_id(), org_id=org_id, name=name, created_at=at)
                self._state.tags[tag.id] = by_key[name_key(name)] = tag
                created.add(tag.id)
        return [by_key[name_key(n)] for n in names], created

    async def add_assets(self, assets: Sequence[NewAsset]) -> Sequence[Asset]:
        return [self._add_asset(a) for a in assets]

    def _add_asset(self, asset: NewAsset) -> Asset:
        a = asset
        added = Asset(
            id=self._uow.next_id(),
            org_id=a.org_id,
            name=a.name,
            description=a.description,
            alt_text=a.alt_text,
            folder_id=a.folder_id,
            blob_key=a.blob_key,
            mime_type=a.mime_type,
            byte_size=a.byte_size,
            width=a.width,
            height=a.height,
            ai_generated=a.provenance is not None,
            provenance=a.provenance,
            trashed_at=None,
            created_at=a.created_at,
            updated_at=a.created_at,
        )
        self._state.assets[added.id] = added
        self._state.asset_links[added.id] = a
        return added

    async def add_folder(self, org_id: int, name: str, parent_id: int | None, at: datetime) -> Folder | None:
        if any(
            f.org_id == org_id and f.parent_id == parent_id and name_key(f.name) == name_key(name)
            for f in self._state.folders.values()
        ):
            return None
        folder = Folder(id=self._uow.next_id(), org_id=org_id, parent_id=parent_id, name=name, created_at=at)
        self._state.folders[folder.id] = folder
        return folder

    async def add_project(self, org_id: int, name: str, description: str, at: datetime) -> Project | None:
        if any(
            p.org_id == org_id and name_key(p.name) == name_key(name) for p in self._state.projects.values()
        ):
            return None
        project = Project(
            id=self._uow.next_id(),
            org_id=org_id,
            name=name,
            description=description,
            archived=False,
            created_at=at,
        )
        self._state.projects[project.id] = project
        return project

    async def update_project(self, project: Project) -> bool:
        if any(
            p.org_id == project.org_id and p.id != project.id and name_key(p.name) == name_key(project.name)
            for p in self._state.projects.values()
        ):
            return False
        if (await self.projects(project.org_id, [project.id])).get(project.id) is not None:
            self._state.projects[project.id] = project
        return True

    def _set_project_link(self, org_id: int, project_id: int, asset_id: int, linked: bool) -> bool:
        links = self._state.asset_links.get(asset_id)
        asset = self._state.assets.get(asset_id)
        if (
            links is None
            or asset is None
            or asset.org_id != org_id
            or (project_id in links.project_ids) == linked
        ):
            return False
        ids = (
            (*links.project_ids, project_id)
            if linked
            else tuple(p for p in links.project_ids if p != project_id)
        )
        self._state.asset_links[asset_id] = replace(links, project_ids=ids)
        return True

    async def link_project_assets(self, org_id: int, project_id: int, asset_ids: Sequence[int]) -> set[int]:
        return {a for a in asset_ids if self._set_project_link(org_id, project_id, a, True)}

    async def unlink_project_assets(self, org_id: int, project_id: int, asset_ids: Sequence[int]) -> set[int]:
        return {a for a in asset_ids if self._set_project_link(org_id, project_id, a, False)}

    async def update_asset(self, asset: Asset) -> None:
        current = self._state.assets.get(asset.id)
        if current is not None and current.org_id == asset.org_id:
            self._state.assets[asset.id] = asset

    async def tags(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]:
        found = (self._state.tags.get(i) for i in ids)
        return {t.id: t for t in found if t is not None and t.org_id == org_id}

    async def move_assets(self, org_id: int, asset_ids: Sequence[int], folder_id: int | None) -> set[int]:
        moved = set()
        for a in (await self.assets(org_id, asset_ids)).values():
            if a.folder_id != folder_id:
                self._state.assets[a.id] = replace(a, folder_id=folder_id)
                moved.add(a.id)
        return moved

    def _set_links(
        self, org_id: int, kind: str, asset_ids: Sequence[int], ids: Sequence[int], on: bool
    ) -> set[int]:
        changed = set()
        field_name = f"{kind}_ids"
        for a in asset_ids:
            links, asset = self._state.asset_links.get(a), self._state.assets.get(a)
            if links is None or asset is None or asset.org_id != org_id:
                continue
            have = tuple(getattr(links, field_name))
            new = (
                (*have, *(i for i in dict.fromkeys(ids) if i not in have))
                if on
                else tuple(i for i in have if i not in ids)
            )
            if new != have:
                self._state.asset_links[a] = replace(links, **{field_name: new})
                changed.add(a)
        return changed

    async def link_assets(
        self, org_id: int, kind: AssetLink, asset_ids: Sequence[int], ids: Sequence[int]
    ) -> set[int]:
        return self._set_links(org_id, kind, asset_ids, ids, True)

    async def unlink_assets(
        self, org_id: int, kind: AssetLink, asset_ids: Sequence[int], ids: Sequence[int]
    ) -> set[int]:
        return self._set_links(org_id, kind, asset_ids, ids, False)

    async def touch_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> None:
        for a in (await self.assets(org_id, asset_ids)).values():
            self._state.assets[a.id] = replace(a, updated_at=at)

    async def favourite_assets(
        self, org_id: int, member_id: int, asset_ids: Sequence[int], at: datetime
    ) -> set[int]:
        new = {a for a in asset_ids if (org_id, member_id, a) not in self._state.favourites}
        for a in new:
            self._state.favourites[(org_id, member_id, a)] = at
        return new

    async def unfavourite_assets(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]:
        return {a for a in asset_ids if self._state.favourites.pop((org_id, member_id, a), None) is not None}

    async def rate_assets(self, org_id: int, asset_ids: Sequence[int], rating: int, at: datetime) -> set[int]:
        changed = set()
        for a in (await self.assets(org_id, asset_ids)).values():
            if a.rating != rating:
                self._state.assets[a.id] = replace(a, rating=rating, updated_at=at)
                changed.add(a.id)
        return changed

    async def tag(self, org_id: int, tag_id: int) -> Tag | None:
        tag = self._state.tags.get(tag_id)
        return tag if tag is not None and tag.org_id == org_id else None

    def _tag_name_taken(self, org_id: int, name: str, but: int | None = None) -> bool:
        return any(
            t.org_id == org_id and t.id != but and name_key(t.name) == name_key(name)
            for t in self._state.tags.values()
        )

    async def add_tag(self, org_id: int, name: str, at: datetime) -> Tag | None:
        if self._tag_name_taken(org_id, name):
            return None
        tag = Tag(id=self._uow.next_id(), org_id=org_id, name=name, created_at=at)
        self._state.tags[tag.id] = tag
        return tag

    async def rename_tag(self, org_id: int, tag_id: int, name: str) -> Tag | None:
        tag = await self.tag(org_id, tag_id)
        if tag is None or self._tag_name_taken(org_id, name, but=tag_id):
            return None
        self._state.tags[tag_id] = renamed = replace(tag, name=name)
        return renamed

    def _tagged(self, org_id: int, tag_id: int) -> list[int]:
        return [
            a
            for a, links in self._state.asset_links.items()
            if links.org_id == org_id and tag_id in links.tag_ids
        ]

    async def merge_tags(self, org_id: int, source_id: int, target_id: int) -> int:
        moved = 0
        for a in self._tagged(org_id, source_id):
            links = self._state.asset_links[a]
            if target_id not in links.tag_ids:
                self._state.asset_links[a] = replace(links, tag_ids=(*links.tag_ids, target_id))
                moved += 1
        await self.delete_tag(org_id, source_id)
        return moved

    async def delete_tag(self, org_id: int, tag_id: int) -> int:
        if await self.tag(org_id, tag_id) is None:
            return 0
        tagged = self._tagged(org_id, tag_id)
        for a in tagged:
            links = self._state.asset_links[a]
            self._state.asset_links[a] = replace(
                links, tag_ids=tuple(t for t in links.tag_ids if t != tag_id)
            )
        del self._state.tags[tag_id]
        return len(tagged)

    def _folder_name_taken(self, org_id: int, parent_id: int | None, name: str, but: int) -> bool:
        return any(
            f.org_id == org_id
            and f.parent_id == parent_id
            and f.id != but
            and name_key(f.name) == name_key(name)
            for f in self._state.folders.values()
        )

    async def lock_folder_tree(self, org_id: int) -> None:
        return None  # one fake transaction at a time

    async def folder_ancestry(self, org_id: int, folder_id: int) -> Sequence[int]:
        out: list[int] = []
        folder = await self.folder(org_id, folder_id)
        while folder is not None and len(out) <= 64:
            out.append(folder.id)
            folder = None if folder.parent_id is None else await self.folder(org_id, folder.parent_id)
        return out

    async def rename_folder(self, org_id: int, folder_id: int, name: str) -> Folder | None:
        folder = await self.folder(org_id, folder_id)
        if folder is None or self._folder_name_taken(org_id, folder.parent_id, name, folder_id):
            return None
        self._state.folders[folder_id] = renamed = replace(folder, name=name)
        return renamed

    async def move_folder(self, org_id: int, folder_id: int, parent_id: int | None) -> Folder | None:
        folder = await self.folder(org_id, folder_id)
        if folder is None or self._folder_name_taken(org_id, parent_id, folder.name, folder_id):
            return None
        self._state.folders[folder_id] = moved = replace(folder, parent_id=parent_id)
        return moved

    async def folder_is_empty(self, org_id: int, folder_id: int) -> bool:
        return not any(
            f.org_id == org_id and f.parent_id == folder_id for f in self._state.folders.values()
        ) and not any(
            a.org_id == org_id and a.folder_id == folder_id and a.trashed_at is None
            for a in self._state.assets.values()
        )

    async def delete_folder(
        self, org_id: int, folder_id: int, content_to: int | None
    ) -> tuple[int, int] | None:
        children = [
            f for f in self._state.folders.values() if f.org_id == org_id and f.parent_id == folder_id
        ]
        for child in children:
            if self._folder_name_taken(org_id, content_to, child.name, child.id):
                return None
        for child in children:
            self._state.folders[child.id] = replace(child, parent_id=content_to)
        assets = [a for a in self._state.assets.values() if a.org_id == org_id and a.folder_id == folder_id]
        for a in assets:
            self._state.assets[a.id] = replace(a, folder_id=content_to)
        del self._state.folders[folder_id]
        return len(children), len(assets)


class FakeTrashRepository(_Repository):
    async def lock_assets(self, org_id: int, asset_ids: Sequence[int]) -> None:
        return None  # one transaction at a time: nothing to hold

    async def trash_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> set[int]:
        return self._set_trashed(org_id, asset_ids, live=True, to=at, at=at)

    async def restore_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> set[int]:
        return self._set_trashed(org_id, asset_ids, live=False, to=None, at=at)

    def _set_trashed(
        self, org_id: int, asset_ids: Sequence[int], *, live: bool, to: datetime | None, at: datetime
    ) -> set[int]:
        changed = set()
        for id in asset_ids:
            a = self._state.assets.get(id)
            if a is not None and a.org_id == org_id and (a.trashed_at is None) == live:
                self._state.assets[id] = replace(a, trashed_at=to, updated_at=at)
                changed.add(id)
        return changed

    async def purge_assets(
        self, org_id: int, asset_ids: Sequence[int], *, trashed_before: datetime | None = None
    ) -> Sequence[PurgedAsset]:
        state, gone = self._state, []
        for id in asset_ids:
            a = state.assets.get(id)
            if a is None or a.org_id != org_id or a.trashed_at is None:
                continue
            if trashed_before is not None and not a.trashed_at < trashed_before:
                continue
            del state.assets[id]
            state.asset_links.pop(id, None)
            gone.append(PurgedAsset(a.id, a.org_id, a.blob_key, a.byte_size))
        ids = {p.id for p in gone}
        state.favourites = {k: v for k, v in state.favourites.items() if k[2] not in ids}
        state.placements = {k: p for k, p in state.placements.items() if p.asset_id not in ids}
        for g in list(state.generations.values()):
            if g.saved_asset_id in ids:
                state.generations[g.id] = replace(g, saved_asset_id=None)
        return gone

    async def expired_trash(self, trashed_before: datetime, *, limit: int) -> Sequence[Asset]:
        due = [
            a
            for a in self._state.assets.values()
            if a.trashed_at is not None and a.trashed_at < trashed_before
        ]
        return sorted(due, key=lambda a: (a.trashed_at, a.id))[:limit]


class FakePlacementRepository(_Repository):
    async def add(self, placement: NewPlacement) -> tuple[Placement, bool]:
        for p in self._state.placements.values():
            same = (p.org_id, p.asset_id, p.target_ref, p.kind)
            if same == (placement.org_id, placement.asset_id, placement.target_ref, placement.kind):
                return p, False
        added = Placement(
            id=self._uow.next_id(), **{f.name: getattr(placement, f.name) for f in fields(placement)}
        )
        self._state.placements[added.id] = added
        return added, True

    async def get(self, org_id: int, placement_id: int) -> Placement | None:
        p = self._state.placements.get(placement_id)
        return p if p is not None and p.org_id == org_id else None

    async def approve(self, placement: Placement) -> bool:
        stored = await self.get(placement.org_id, placement.id)
        if stored is None or stored.state is not PlacementState.PROPOSED:
            return False
        self._state.placements[placement.id] = placement
        return True

    async def remove(self, org_id: int, placement_id: int) -> Placement | None:
        p = await self.get(org_id, placement_id)
        if p is not None:
            del self._state.placements[placement_id]
        return p

    async def count_by_asset(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        out: dict[int, int] = {}
        for p in self._state.placements.values():
            if p.org_id == org_id and p.asset_id in asset_ids:
                out[p.asset_id] = out.get(p.asset_id, 0) + 1
        return out

    async def remove_for_assets(self, org_id: int, asset_ids: Sequence[int]) -> Sequence[Placement]:
        gone = [p for p in self._state.placements.values() if p.org_id == org_id and p.asset_id in asset_ids]
        for p in gone:
            del self._state.placements[p.id]
        return sorted(gone, key=lambda p: p.id)


class FakeIdempotencyRepository(_Repository):
    async def get(self, org_id: int, scope: str, key: str) -> IdempotentResult | None:
        return self._state.idempotency.get((org_id, scope, key))

    async def put(self, org_id: int, scope: str, key: str, result: IdempotentResult, at: datetime) -> bool:
        if (org_id, scope, key) in self._state.idempotency:
            return False  # a concurrent twin: keep the first
        self._state.idempotency[(org_id, scope, key)] = result
        return True


class FakeUploadRepository(_Repository):
    async def add(self, upload: NewUpload) -> Upload:
        u, m = upload, upload.metadata
        added = Upload(
            id=self._uow.next_id(),
            org_id=u.org_id,
            member_id=u.member_id,
            blob_key=u.blob_key,
            mime_type=u.mime_type,
            byte_size=u.byte_size,
            width=u.width,
            height=u.height,
            filename=u.filename,
            prompt=m.prompt,
            negative_prompt=m.negative_prompt,
            seed=m.seed,
            model=m.model,
            tool=m.tool,
            created_at=u.created_at,
            expires_at=u.expires_at,
            consumed_at=None,
        )
        self._state.uploads[added.id] = added
        return added

    async def get(self, org_id: int, upload_id: int, *, for_update: bool = False) -> Upload | None:
        upload = self._state.uploads.get(upload_id)
        return upload if upload is not None and upload.org_id == org_id else None

    async def consume(self, org_id: int, upload_id: int, at: datetime) -> bool:
        upload = await self.get(org_id, upload_id)
        if upload is None or upload.consumed_at is not None:
            return False
        self._state.uploads[upload_id] = replace(upload, consumed_at=at)
        return True

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Upload]:
        found = {id: await self.get(org_id, id) for id in ids}
        return {id: u for id, u in found.items() if u is not None}

    async def consume_many(self, org_id: int, ids: Sequence[int], at: datetime) -> set[int]:
        return {id for id in dict.fromkeys(ids) if await self.consume(org_id, id, at)}

    async def delete_expired(self, now: datetime, *, limit: int) -> Sequence[Upload]:
        stale = sorted(
            (u for u in self._state.uploads.values() if u.expires_at <= now and u.consumed_at is None),
            key=lambda u: u.expires_at,
        )
        for u in stale[:limit]:
            del self._state.uploads[u.id]
        return stale[:limit]


class FakeLibraryLookups(_Repository):
    async def live_assets_by_blob_keys(self, org_id: int, keys: Sequence[str]) -> Mapping[str, Asset]:
        live = sorted(
            (a for a in self._state.assets.values() if a.org_id == org_id and a.trashed_at is None),
            key=lambda a: -a.id,
        )
        return {a.blob_key: a for a in live if a.blob_key in set(keys)}

    async def folders(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]:
        found = (self._state.folders.get(id) for id in ids)
        return {f.id: f for f in found if f is not None and f.org_id == org_id}

    async def tags_by_names(self, org_id: int, names: Sequence[str]) -> Mapping[str, Tag]:
        keys = {name_key(n) for n in names}
        return {
            name_key(t.name): t
            for t in self._state.tags.values()
            if t.org_id == org_id and name_key(t.name) in keys
        }


@dataclass(frozen=True, slots=True)
class FakeJobRow:
    """A `jobs` row: the job, and when it is next due (None once settled)."""

    job: Job
    due_at: datetime | None
    last_error: str | None = None


class FakeJobQueue(_Repository):
    """JobQueue in memory: the SQL claim's rules in Python (due oldest first, a claim counts an attempt)."""

    async def enqueue(
        self, org_id: int, subject: JobSubject, sources: Mapping[int, str], at: datetime
    ) -> None:
        for subject_id, key in sources.items():
            known = self._state.jobs.get((org_id, subject, subject_id))
            job = Job(
                id=known.job.id if known else self._uow.next_id(),
                org_id=org_id,
                subject=subject,
                subject_id=subject_id,
                source_key=key,
                state=JobState.QUEUED,
                attempts=0,
                claimed_by=None,
            )
            self._state.jobs[(org_id, subject, subject_id)] = FakeJobRow(job, at)

    async def claim(self, worker: str, now: datetime, until: datetime, limit: int) -> Sequence[Job]:
        due = sorted(
            (r for r in self._state.jobs.values() if r.due_at is not None and r.due_at <= now),
            key=lambda r: r.due_at or now,
        )[:limit]
        claimed = []
        for row in due:
            job = replace(row.job, state=JobState.RUNNING, attempts=row.job.attempts + 1, claimed_by=worker)
            self._put(FakeJobRow(job, until, row.last_error))
            claimed.append(job)
        return claimed

    async def complete(self, job: Job, result: ProcessedImage, now: datetime) -> bool:
        if not self._settle(job, JobState.DONE, None, None):
            return False
        self._state.processed[(job.org_id, job.subject, job.subject_id)] = result
        return True

    async def retry(self, job: Job, error: ProcessingError, at: datetime, now: datetime) -> bool:
        return self._settle(job, JobState.QUEUED, at, error)

    async def fail(self, job: Job, error: ProcessingError, now: datetime) -> bool:
        return self._settle(job, JobState.FAILED, None, error)

    async def release(self, job: Job, now: datetime) -> bool:
        row = self._state.jobs.get((job.org_id, job.subject, job.subject_id))
        if row is None or not self._settle(job, JobState.QUEUED, now, None):
            return False
        settled = self._state.jobs[(job.org_id, job.subject, job.subject_id)]
        self._put(FakeJobRow(replace(settled.job, attempts=job.attempts - 1), now, row.last_error))
        return True

    async def take_over(
        self, org_id: int, subject: JobSubject, sources: Mapping[int, int], source: JobSubject, at: datetime
    ) -> set[int]:
        taken = set()
        for target, origin in sources.items():
            row = self._state.jobs.get((org_id, source, origin))
            mine = self._state.jobs.get((org_id, subject, target))
            if row is None or row.job.state is not JobState.DONE or mine is None:
                continue
            self._state.processed[(org_id, subject, target)] = self._state.processed[(org_id, source, origin)]
            self._put(FakeJobRow(replace(mine.job, state=JobState.DONE, claimed_by=None), None))
            taken.add(target)
        return taken

    async def forget(self, subject: JobSubject, ids_by_org: Mapping[int, Collection[int]]) -> None:
        for org_id, ids in ids_by_org.items():
            for subject_id in ids:
                self._state.jobs.pop((org_id, subject, subject_id), None)
                self._state.processed.pop((org_id, subject, subject_id), None)

    async def renditions_in_use(self, keys: Sequence[str]) -> set[str]:
        used = {r.blob_key for done in self._state.processed.values() for r in done.renditions}
        return used & set(keys)

    def _settle(
        self, job: Job, state: JobState, due_at: datetime | None, error: ProcessingError | None
    ) -> bool:
        row = self._state.jobs.get((job.org_id, job.subject, job.subject_id))
        held = row.job if row else None
        if held is None or (held.state, held.claimed_by, held.attempts) != (
            JobState.RUNNING,
            job.claimed_by,
            job.attempts,
        ):
            return False
        self._put(
            FakeJobRow(replace(held, state=state, claimed_by=None), due_at, error.value if error else None)
        )
        return True

    def _put(self, row: FakeJobRow) -> None:
        self._state.jobs[(row.job.org_id, row.job.subject, row.job.subject_id)] = row


class FakeUnitOfWork:
    """UnitOfWork in memory; reusable, one `async with` at a time."""

    def __init__(self) -> None:
        self.committed = State()
        self._staged: State | None = None
        self._pending_events: list[DomainEvent] = []
        self._last_id = 0
        self.commits = 0
        self.rollbacks = 0
        self.reading_entries = 0
        self._read_only = False
        self.organisations = FakeOrganisationRepository(self)
        self.members = FakeMemberRepository(self)
        self.tokens = FakeTokenRepository(self)
        self.sessions = FakeSessionRepository(self)
        self.generations = FakeGenerationRepository(self)
        self.likes = FakeLikeRepository(self)
        self.library = FakeLibraryRepository(self)
        self.library_lookups = FakeLibraryLookups(self)
        self.trash = FakeTrashRepository(self)
        self.placements = FakePlacementRepository(self)
        self.idempotency = FakeIdempotencyRepository(self)
        self.uploads = FakeUploadRepository(self)
        self.jobs = FakeJobQueue(self)

    # -- the port ---------------------------------------------------------------------------------------

    def reading(self) -> Self:
        if self._staged is not None:
            raise RuntimeError("the fake unit of work is open; say `reading()` before entering it")
        self._read_only = True
        self.reading_entries += 1
        return self

    async def __aenter__(self) -> Self:
        if self._staged is not None:
            raise RuntimeError("the fake unit of work is already open")
        self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._dirty():
            self.rollbacks += 1
        self._staged = None
        self._pending_events = []
        self._read_only = False

    def record(self, event: DomainEvent) -> None:
        if self._staged is None:
            raise RuntimeError("events are recorded inside `async with uow:`")
        if self._read_only:
            raise RuntimeError("a reading unit of work records no events")
        self._pending_events.append(event)

    async def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a reading unit of work does not commit")
        staged = self.staged
        staged.events.extend(self._pending_events)
        self.committed = staged
        self.commits += 1
        self._begin()  # like a connection that autobegins its next transaction

    # -- for the fakes and the tests --------------------------------------------------------------------

    @property
    def staged(self) -> State:
        if self._staged is None:
            raise RuntimeError("the fake unit of work is not open; use `async with uow:`")
        return self._staged

    @property
    def events(self) -> list[DomainEvent]:
        """The committed events, oldest first."""
        return list(self.committed.events)

    def event_types(self) -> list[str]:
        return [e.type for e in self.committed.events]

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def _begin(self) -> None:
        self._staged = self.committed.copy()
        self._pending_events = []

    def _dirty(self) -> bool:
        staged = self._staged
        if staged is None:
            return False
        return bool(self._pending_events) or staged.rows_differ(self.committed)


@dataclass(frozen=True, slots=True)
class FakeGrant:
    token: ApiToken
    role: Role


class FakeDirectoryReads:
    """DirectoryReads over the committed state of a FakeUnitOfWork; records the hashes it is asked for."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.looked_up: list[str] = []

    async def grant_for_token_hash(self, token_hash: str) -> FakeGrant | None:
        self.looked_up.append(token_hash)
        state = self._uow.committed
        token = next((t for t in state.tokens.values() if t.token_hash == token_hash), None)
        if token is None:
            return None
        return FakeGrant(token=token, role=state.members[token.member_id].role)

    async def organisation(self, org_id: int) -> Organisation | None:
        return self._uow.committed.organisations.get(org_id)

    async def members_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Member]:
        members = self._uow.committed.members
        return {i: members[i] for i in ids if i in members and members[i].org_id == org_id}

    async def storage_usage(self, org_id: int) -> StorageUsage | None:
        state = self._uow.committed
        org = state.organisations.get(org_id)
        if org is None:
            return None
        count = sum(1 for a in state.assets.values() if a.org_id == org_id)
        return StorageUsage(org.storage_used_bytes, org.storage_quota_bytes, count)


@dataclass(frozen=True, slots=True)
class Call:
    """One call a recording fake received."""

    method: str
    args: tuple[Any, ...]


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def _record(self, method: str, *args: Any) -> Page[Any]:
        self.calls.append(Call(method, args))
        return Page.empty()


class FakeLibraryReads(_Recorder):
    """The LibraryReads calls the library services make; each is recorded and answers an empty page."""

    async def folders(self, org_id: int, parent_id: int | None, page: PageRequest) -> Page[Folder]:
        return self._record("folders", org_id, parent_id, page)

    async def projects(self, org_id: int, filter: ProjectFilter, page: PageRequest) -> Page[Project]:
        return self._record("projects", org_id, filter, page)

    async def tags(self, org_id: int, page: PageRequest) -> Page[Tag]:
        return self._record("tags", org_id, page)


class FakeStudioReads(_Recorder):
    """The StudioReads calls the studio services make; each is recorded and answers an empty page."""

    async def sessions(self, org_id: int, filter: SessionFilter, page: PageRequest) -> Page[Session]:
        return self._record("sessions", org_id, filter, page)

    async def generations(self, org_id: int, filter: GenerationFilter, page: PageRequest) -> Page[Generation]:
        return self._record("generations", org_id, filter, page)

    async def brand_kits(self, org_id: int, page: PageRequest) -> Page[BrandKit]:
        return self._record("brand_kits", org_id, page)


def _take(path: str) -> bytes:
    """A file's bytes, the file removed: a move out of the spool."""
    data = Path(path).read_bytes()
    Path(path).unlink()
    return data


def _check_area(area: str) -> None:
    if area not in ("scratch", "library", "renditions"):  # as the local store refuses any other
        raise ValueError("not a blob address")


class FakeBlobStore:
    """BlobStore in memory: areas of sha256-keyed bytes. `fail(method)` makes that method raise OSError."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.areas: dict[str, dict[str, bytes]] = {}
        self.stored_at: dict[tuple[str, str], datetime] = {}
        self.calls: list[Call] = []
        self._clock = clock
        self._failing: set[str] = set()

    def fail(self, method: str) -> None:
        self._failing.add(method)

    def keys(self, area: str) -> set[str]:
        return set(self.areas.get(area, {}))

    def seed(self, area: str, data: bytes) -> StoredBlob:
        """Bytes stored without recording a call, as if an earlier request had put them."""
        return self._store(area, hashlib.sha256(data).hexdigest(), data)

    def _enter(self, method: str, *args: Any) -> None:
        self.calls.append(Call(method, args))
        if method in self._failing:
            raise OSError(f"the fake blob store was told to fail {method}")

    def _store(self, area: str, key: str, data: bytes) -> StoredBlob:
        _check_area(area)
        self.areas.setdefault(area, {})[key] = data
        self.stored_at[(area, key)] = self._clock.now() if self._clock else EPOCH
        return StoredBlob(key, len(data))

    async def put(self, area: str, data: bytes) -> StoredBlob:
        self._enter("put", area, data)
        return self._store(area, hashlib.sha256(data).hexdigest(), data)

    async def adopt(self, area: str, file: SpooledFile) -> StoredBlob:
        self._enter("adopt", area, file)
        # moved, as the real store moves it: the bytes are readable and the spooled file is gone
        self._store(area, file.sha256, _take(file.path))
        return StoredBlob(file.sha256, file.size)

    async def copy(self, from_area: str, to_area: str, keys: Sequence[str]) -> None:
        self._enter("copy", from_area, to_area, list(keys))
        for key in keys:
            try:
                data = self.areas[from_area][key]
            except KeyError:
                raise FileNotFoundError(f"{from_area}/{key}") from None
            self._store(to_area, key, data)  # already there or not, a copy counts as stored now

    async def read(self, area: str, key: str) -> bytes:
        self._enter("read", area, key)
        _check_area(area)
        try:
            return self.areas[area][key]
        except KeyError:
            raise FileNotFoundError(f"{area}/{key}") from None

    async def stale_keys(
        self, area: str, *, untouched_for: timedelta, limit: int, from_key: str = ""
    ) -> Sequence[str]:
        self._enter("stale_keys", area)
        now = self._clock.now() if self._clock else EPOCH
        keys = sorted(self.areas.get(area, {}))
        in_order = [k for k in keys if k >= from_key] + [k for k in keys if k < from_key]
        return [k for k in in_order if now - self.stored_at[(area, k)] >= untouched_for][:limit]

    async def delete(self, area: str, key: str, *, unless_stored_within: timedelta | None = None) -> bool:
        self._enter("delete", area, key)
        _check_area(area)
        if key not in self.areas.get(area, {}):
            return False
        stored = self.stored_at[(area, key)]
        now = self._clock.now() if self._clock else EPOCH
        if unless_stored_within is not None and now - stored < unless_stored_within:
            return False
        del self.areas[area][key]
        del self.stored_at[(area, key)]
        return True


class FakeImageProvider:
    """ImageProvider that draws `count` distinct little byte strings and records each request.

    `fail_with` makes `generate` raise it; `during` is awaited inside `generate`, before it
    answers, to stand in for whatever happens elsewhere while a slow provider works.
    """

    def __init__(
        self,
        name: str = "procedural",
        *,
        model: str = "procedural-v1",
        credits_per_image: int = 1,
        fail_with: BaseException | None = None,
        during: Callable[[ImageRequest], Awaitable[None]] | None = None,
    ) -> None:
        self._name = name
        self._model = model
        self.credits_per_image = credits_per_image
        self.fail_with = fail_with
        self.during = during
        self.requests: list[ImageRequest] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str:
        return self._model

    def cost(self, request: ImageRequest) -> int:
        return self.credits_per_image * request.count

    async def generate(self, request: ImageRequest) -> Sequence[MadeImage]:
        self.requests.append(request)
        if self.during is not None:
            await self.during(request)
        if self.fail_with is not None:
            raise self.fail_with
        return [
            MadeImage(
                data=f"{self._name}|{request.prompt}|{request.seed}|{i}".encode(),
                mime_type="image/png",
                width=request.width,
                height=request.height,
                seed=request.seed + i,
            )
            for i in range(request.count)
        ]


class FakeImageInspector:
    """ImageInspector that refuses every file: the unit tests receive no uploads (the upload path
    runs over real files in tests/graph/test_uploads_and_import.py); it fills the Studio's bundle."""

    async def inspect(self, file: SpooledFile) -> ImageFacts:
        raise InvalidImage("the unit tests' inspector reads no files")


class FakeProcessingReads:
    """ProcessingReads over a FakeUnitOfWork's committed state."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def _rows(self, org_id: int, subject: JobSubject, ids: Sequence[int]) -> dict[int, FakeJobRow]:
        jobs = self._uow.committed.jobs
        return {i: jobs[(org_id, subject, i)] for i in ids if (org_id, subject, i) in jobs}

    async def states(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, ProcessingState]:
        return {
            i: ProcessingState(r.job.state, r.job.attempts, r.last_error)
            for i, r in self._rows(org_id, subject, ids).items()
        }

    async def facts(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, ProcessingFacts]:
        done = self._uow.committed.processed
        return {i: done[(org_id, subject, i)].facts for i in ids if (org_id, subject, i) in done}

    async def renditions(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, Sequence[Rendition]]:
        done = self._uow.committed.processed
        return {i: done[(org_id, subject, i)].renditions for i in ids if (org_id, subject, i) in done}

    async def due(self, now: datetime) -> bool:
        return any(r.due_at is not None and r.due_at <= now for r in self._uow.committed.jobs.values())


class FakeImageProcessor:
    """ImageProcessor that answers from a script: a ProcessingError code raises it, else a fixed result."""

    RESULT = ProcessedImage(
        ProcessingFacts("PNG", "RGB", ("#ffffff",), -1),
        (Rendition(256, 256, 128, "a" * 64, 1000), Rendition(1024, 1024, 512, "b" * 64, 9000)),
    )

    def __init__(self, *outcomes: ProcessingError | None) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, str]] = []

    async def process(self, area: str, key: str, sizes: Sequence[int]) -> ProcessedImage:
        self.calls.append((area, key))
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise UnprocessableImage(outcome)
        return self.RESULT

    async def close(self) -> None:
        return None
