"""In-memory fakes of the domain's ports, for unit tests that need no database.

The fake unit of work keeps a committed state and, while `async with uow:` is
open, a staged copy of it: repositories read and write the staged copy, `commit()`
makes it the committed state, and leaving the block without committing throws it
away, as a rolled-back transaction would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from domain.access import Role
from domain.events import Event
from domain.filters import AssetFilter, GenerationFilter, ProjectFilter, SessionFilter
from domain.model.library import Asset, Folder, Project, Tag
from domain.model.organisation import (
    DEFAULT_CREDIT_BUDGET,
    DEFAULT_STORAGE_QUOTA_BYTES,
    ApiToken,
    Member,
    Organisation,
)
from domain.model.studio import BrandKit, Generation, Session
from domain.pagination import Page, PageRequest

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
    """Everything the fake database holds."""

    organisations: dict[int, Organisation] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def copy(self) -> State:
        # entities are frozen dataclasses, so copying the containers isolates the copy
        return State(dict(self.organisations), dict(self.members), dict(self.tokens), list(self.events))


class _Repository:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def _state(self) -> State:
        return self._uow.staged


class FakeOrganisationRepository(_Repository):
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


class FakeUnitOfWork:
    """UnitOfWork in memory; reusable, one `async with` at a time."""

    def __init__(self) -> None:
        self.committed = State()
        self._staged: State | None = None
        self._pending_events: list[Event] = []
        self._last_id = 0
        self.commits = 0
        self.rollbacks = 0
        self.organisations = FakeOrganisationRepository(self)
        self.members = FakeMemberRepository(self)
        self.tokens = FakeTokenRepository(self)

    # -- the port ---------------------------------------------------------------------------------------

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

    def record(self, event: Event) -> None:
        if self._staged is None:
            raise RuntimeError("events are recorded inside `async with uow:`")
        self._pending_events.append(event)

    async def commit(self) -> None:
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
    def events(self) -> list[Event]:
        """The committed events, oldest first."""
        return list(self.committed.events)

    def event_types(self) -> list[str]:
        return [e.type for e in self.committed.events]

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def seed_organisation(self, slug: str = "acme", name: str = "Acme") -> Organisation:
        """An organisation written straight into the committed state."""
        org = Organisation(
            id=self.next_id(),
            slug=slug,
            name=name,
            storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
            credit_budget=DEFAULT_CREDIT_BUDGET,
            require_approval=True,
            require_alt_text=True,
            created_at=EPOCH,
        )
        self.committed.organisations[org.id] = org
        return org

    def seed_member(self, org_id: int, email: str, role: Role) -> Member:
        """A member written straight into the committed state."""
        member = Member(
            id=self.next_id(),
            org_id=org_id,
            name=email.split("@")[0],
            email=email,
            role=role,
            created_at=EPOCH,
        )
        self.committed.members[member.id] = member
        return member

    def _begin(self) -> None:
        self._staged = self.committed.copy()
        self._pending_events = []

    def _dirty(self) -> bool:
        staged = self._staged
        if staged is None:
            return False
        return bool(self._pending_events) or (
            staged.organisations != self.committed.organisations
            or staged.members != self.committed.members
            or staged.tokens != self.committed.tokens
        )


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

    async def assets(self, org_id: int, filter: AssetFilter, page: PageRequest) -> Page[Asset]:
        return self._record("assets", org_id, filter, page)

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
