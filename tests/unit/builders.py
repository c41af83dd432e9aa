"""The builders of tests/builders.py's `Tenant`, over a FakeUnitOfWork.

Same method names, parameters and defaults (tests/defaults.py) as the SQL `Tenant`;
the differences follow the backend: the methods are synchronous, they return the
domain objects (the SQL ones return ids), times are the fake clock's EPOCH, and the
rows go straight into the committed state, as a database's would.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

from domain.kernel.access import Role
from domain.library.model import Asset, Folder, Project, Tag
from domain.organisations.model import Member, Organisation
from domain.studio.model import BrandKit, Generation, ReviewNotes, Session, SessionState, Upload
from tests import defaults
from tests.unit.fakes import EPOCH, FakeUnitOfWork


@dataclass
class FakeTenant:
    """An organisation in a FakeUnitOfWork, with its owner (when made with a role)."""

    uow: FakeUnitOfWork
    org: Organisation
    member_id: int | None
    slug: str

    @property
    def org_id(self) -> int:
        return self.org.id

    def member(self, role: Role, email: str | None = None) -> Member:
        """Another member (the fakes need no token to act: tests build an Actor)."""
        email = email or f"{role.value}-{secrets.token_hex(3)}@{self.slug}"
        member = Member(
            id=self.uow.next_id(),
            org_id=self.org_id,
            name=email.split("@")[0],
            email=email,
            role=role,
            created_at=EPOCH,
        )
        self.uow.committed.members[member.id] = member
        return member

    def policy(self, **changes: Any) -> Organisation:
        """Change the organisation's committed row (policy flags, quota, budget, usage)."""
        self.org = replace(self.uow.committed.organisations[self.org_id], **changes)
        self.uow.committed.organisations[self.org_id] = self.org
        return self.org

    def folder(self, name: str = defaults.FOLDER_NAME, parent_id: int | None = None) -> Folder:
        folder = Folder(self.uow.next_id(), self.org_id, parent_id, name, EPOCH)
        self.uow.committed.folders[folder.id] = folder
        return folder

    def project(self, name: str = defaults.PROJECT_NAME, *, archived: bool = False) -> Project:
        project = Project(self.uow.next_id(), self.org_id, name, "", archived, EPOCH)
        self.uow.committed.projects[project.id] = project
        return project

    def tag(self, name: str) -> Tag:
        tag = Tag(self.uow.next_id(), self.org_id, name, EPOCH)
        self.uow.committed.tags[tag.id] = tag
        return tag

    def brand_kit(
        self, name: str = defaults.BRAND_KIT_NAME, colors: tuple[str, ...] = defaults.BRAND_KIT_COLORS
    ) -> BrandKit:
        kit = BrandKit(self.uow.next_id(), self.org_id, name, "", colors, EPOCH)
        self.uow.committed.brand_kits[kit.id] = kit
        return kit

    def session(self, title: str = defaults.SESSION_TITLE, **values: Any) -> Session:
        """An open session (closed when `closed_at` is given); `values` sets any other field."""
        row = defaults.SESSION | {"created_at": EPOCH, "closed_at": None} | values
        row.setdefault("state", SessionState.OPEN if row["closed_at"] is None else SessionState.CLOSED)
        session = Session(id=self.uow.next_id(), org_id=self.org_id, title=title, **row)
        self.uow.committed.sessions[session.id] = session
        return session

    def generation(
        self,
        session: Session | int,
        prompt: str = defaults.PROMPT,
        *,
        context_asset_ids: tuple[int, ...] = (),
        **values: Any,
    ) -> Generation:
        """A pending generation with its session's platform, brand kit, aspect ratio and creator."""
        if isinstance(session, int):
            session = self.uow.committed.sessions[session]
        row: dict[str, Any] = (
            defaults.GENERATION
            | {
                "platform": session.platform,
                "brand_kit_id": session.brand_kit_id,
                "aspect_ratio": session.aspect_ratio,
                "created_by_id": session.created_by_id,
                "review": ReviewNotes(),
                "reviewed_by_id": None,
                "reviewed_at": None,
                "saved_asset_id": None,
                "blob_key": defaults.blob_key(),
                "created_at": EPOCH,
                "expires_at": EPOCH + defaults.GENERATION_RETENTION,
            }
            | values
        )
        generation = Generation(
            id=self.uow.next_id(), org_id=session.org_id, session_id=session.id, prompt=prompt, **row
        )
        self.uow.committed.generations[generation.id] = generation
        if context_asset_ids:
            self.uow.committed.generation_context[generation.id] = context_asset_ids
        return generation

    def like(self, generation_id: int, member_id: int | None = None) -> None:
        member_id = member_id or self.member_id
        assert member_id is not None, "a tenant made without an owner names the member who likes"
        self.uow.committed.likes[(self.org_id, member_id, generation_id)] = EPOCH

    def asset(self, name: str = defaults.ASSET_NAME, **values: Any) -> Asset:
        """An asset with a blob key of its own; `values` sets any other field."""
        row: dict[str, Any] = (
            defaults.ASSET
            | {
                "blob_key": defaults.blob_key(),
                "provenance": None,
                "trashed_at": None,
                "created_at": EPOCH,
                "updated_at": EPOCH,
            }
            | values
        )
        asset = Asset(id=self.uow.next_id(), org_id=self.org_id, name=name, **row)
        self.uow.committed.assets[asset.id] = asset
        return asset

    def upload(self, member_id: int | None = None, **values: Any) -> Upload:
        """An upload received at EPOCH, unconsumed, expiring after defaults.UPLOAD_RETENTION."""
        member_id = member_id or self.member_id
        assert member_id is not None, "a tenant made without an owner names the uploading member"
        row: dict[str, Any] = (
            defaults.UPLOAD
            | {
                "blob_key": defaults.blob_key(),
                "created_at": EPOCH,
                "expires_at": EPOCH + defaults.UPLOAD_RETENTION,
            }
            | values
        )
        upload = Upload(id=self.uow.next_id(), org_id=self.org_id, member_id=member_id, **row)
        self.uow.committed.uploads[upload.id] = upload
        return upload


def make_fake_tenant(
    uow: FakeUnitOfWork, slug: str = "acme", name: str | None = None, role: Role | None = Role.ADMIN
) -> FakeTenant:
    """An organisation in the fake's committed state, with an owner of `role` (none when None)."""
    org = Organisation(
        id=uow.next_id(), slug=slug, name=name or slug.title(), created_at=EPOCH, **defaults.ORGANISATION
    )
    uow.committed.organisations[org.id] = org
    tenant = FakeTenant(uow, org, None, slug)
    if role is not None:
        tenant.member_id = tenant.member(role, f"owner@{slug}").id
    return tenant
