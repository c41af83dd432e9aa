"""Builders for test data: a tenant of its own per test, rows laid down with storage.demo.seeding.

`Tenant` is the SQL side of one builder vocabulary; `tests.unit.fakes.FakeTenant` is
the same vocabulary over a FakeUnitOfWork (synchronous, returning domain objects where
this returns ids). Both take their default values from tests/defaults.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.kernel.access import Role
from domain.studio.model import SessionState
from storage.demo import seeding
from storage.sql import tables as t
from storage.sql.database import WRITE
from tests import defaults

T = TypeVar("T")


def new_token() -> str:
    return "atl_" + secrets.token_urlsafe(32)


async def in_transaction(engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            return await work(conn)


@dataclass
class Tenant:
    """An organisation of one test, with a member and a token of the given role."""

    engine: AsyncEngine
    org_id: int
    member_id: int
    token: str
    slug: str

    async def run(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        return await in_transaction(self.engine, work)

    async def member(self, role: Role, **token_values: Any) -> tuple[int, str]:
        """Another member with its own token; token_values may set expires_at or revoked_at."""
        token = new_token()

        async def add(conn: AsyncConnection) -> int:
            member = await seeding.insert_member(
                conn, self.org_id, role.value, f"{role.value}-{secrets.token_hex(3)}@{self.slug}", role
            )
            await seeding.insert_token(conn, self.org_id, member, token, **token_values)
            return member

        return await self.run(add), token

    async def folder(self, name: str = defaults.FOLDER_NAME, parent_id: int | None = None) -> int:
        return await self.run(lambda c: seeding.insert_folder(c, self.org_id, name, parent_id))

    async def project(self, name: str = defaults.PROJECT_NAME, *, archived: bool = False) -> int:
        return await self.run(lambda c: seeding.insert_project(c, self.org_id, name, archived=archived))

    async def tag(self, name: str) -> int:
        return await self.run(lambda c: seeding.insert_tag(c, self.org_id, name))

    async def brand_kit(
        self, name: str = defaults.BRAND_KIT_NAME, colors: tuple[str, ...] = defaults.BRAND_KIT_COLORS
    ) -> int:
        return await self.run(lambda c: seeding.insert_brand_kit(c, self.org_id, name, colors=colors))

    async def session(self, title: str = defaults.SESSION_TITLE, **values: Any) -> int:
        """An open session (closed when `closed_at` is given); `values` sets any other column."""
        row = defaults.SESSION | values
        row.setdefault("state", SessionState.OPEN if row.get("closed_at") is None else SessionState.CLOSED)
        return await self.run(lambda c: seeding.insert_session(c, self.org_id, title, **row))

    async def generation(self, session_id: int, prompt: str = defaults.PROMPT, **values: Any) -> int:
        """A pending generation with its session's platform, brand kit, aspect ratio and creator."""

        async def add(conn: AsyncConnection) -> int:
            s = t.sessions.c
            found = (
                await conn.execute(
                    sa.select(s.platform, s.brand_kit_id, s.aspect_ratio, s.created_by_id).where(
                        s.id == session_id
                    )
                )
            ).one()
            row = defaults.GENERATION | dict(found._mapping) | _generation_extras() | values
            return await seeding.insert_generation(conn, self.org_id, session_id, prompt, **row)

        return await self.run(add)

    async def asset(
        self,
        name: str = defaults.ASSET_NAME,
        *,
        tags: tuple[int, ...] = (),
        projects: tuple[int, ...] = (),
        **values: Any,
    ) -> int:
        """An asset with a blob key of its own; `values` sets any other column."""
        row = defaults.ASSET | {"blob_key": defaults.blob_key()} | values

        async def add(conn: AsyncConnection) -> int:
            asset = await seeding.insert_asset(conn, self.org_id, name, **row)
            for tag in tags:
                await seeding.link(conn, t.asset_tags, self.org_id, asset_id=asset, tag_id=tag)
            for project in projects:
                await seeding.link(conn, t.asset_projects, self.org_id, asset_id=asset, project_id=project)
            return asset

        return await self.run(add)

    async def placement(self, asset_id: int, target_ref: str = defaults.TARGET_REF, **values: Any) -> int:
        """A proposed featured-image placement of the asset; `values` sets any other column."""
        row = {"kind": "featured_image", "state": "proposed", "created_at": seeding.now()} | values

        async def add(conn: AsyncConnection) -> int:
            stmt = (
                sa.insert(t.placements)
                .values(org_id=self.org_id, asset_id=asset_id, target_ref=target_ref, **row)
                .returning(t.placements.c.id)
            )
            return (await conn.execute(stmt)).scalar_one()

        return await self.run(add)

    async def like(self, generation_id: int, member_id: int | None = None) -> None:
        await self.run(lambda c: seeding.like(c, self.org_id, generation_id, member_id or self.member_id))


def _generation_extras() -> dict[str, Any]:
    """The defaults of a generation that are made afresh for each one."""
    return {
        "blob_key": defaults.blob_key(),
        "expires_at": seeding.now() + defaults.GENERATION_RETENTION,
    }


async def make_tenant(engine: AsyncEngine, role: Role = Role.ADMIN) -> Tenant:
    slug = f"org-{secrets.token_hex(5)}"
    token = new_token()

    async def add(conn: AsyncConnection) -> Tenant:
        org = await seeding.insert_organisation(conn, slug, slug.title(), **defaults.ORGANISATION)
        member = await seeding.insert_member(conn, org, "Owner", f"owner@{slug}", role)
        await seeding.insert_token(conn, org, member, token)
        return Tenant(engine, org, member, token, slug)

    return await in_transaction(engine, add)


async def gql(
    client: httpx.AsyncClient,
    token: str | None,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    fresh: bool = False,
) -> tuple[int, dict[str, Any]]:
    """POST a GraphQL request; returns (HTTP status, JSON body). `fresh` asks past the response
    cache, for a test that changed rows behind the app's back (the app's changes move its key)."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if fresh:
        headers["cache-control"] = "no-cache"
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return response.status_code, response.json()


def codes(body: dict[str, Any]) -> list[str]:
    """The extensions.code of each top-level error."""
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or ()]
