"""Builders for test data: a tenant of its own per test, rows laid down with storage.seeding."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.kernel.access import Role
from storage.demo import seeding
from storage.sql.database import WRITE

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

    async def folder(self, name: str, parent_id: int | None = None) -> int:
        return await self.run(lambda c: seeding.insert_folder(c, self.org_id, name, parent_id))

    async def project(self, name: str, **values: Any) -> int:
        return await self.run(lambda c: seeding.insert_project(c, self.org_id, name, **values))

    async def tag(self, name: str) -> int:
        return await self.run(lambda c: seeding.insert_tag(c, self.org_id, name))

    async def brand_kit(self, name: str) -> int:
        return await self.run(lambda c: seeding.insert_brand_kit(c, self.org_id, name, colors=["#000000"]))

    async def session(self, title: str = "Session", **values: Any) -> int:
        return await self.run(lambda c: seeding.insert_session(c, self.org_id, title, **values))

    async def generation(self, session_id: int, prompt: str = "a red fox in snow", **values: Any) -> int:
        return await self.run(
            lambda c: seeding.insert_generation(c, self.org_id, session_id, prompt, **values)
        )

    async def asset(
        self,
        name: str = "Asset",
        *,
        tags: tuple[int, ...] = (),
        projects: tuple[int, ...] = (),
        **values: Any,
    ) -> int:
        from storage.sql import tables as t

        async def add(conn: AsyncConnection) -> int:
            asset = await seeding.insert_asset(conn, self.org_id, name, **values)
            for tag in tags:
                await seeding.link(conn, t.asset_tags, self.org_id, asset_id=asset, tag_id=tag)
            for project in projects:
                await seeding.link(conn, t.asset_projects, self.org_id, asset_id=asset, project_id=project)
            return asset

        return await self.run(add)

    async def like(self, generation_id: int, member_id: int | None = None) -> None:
        await self.run(lambda c: seeding.like(c, self.org_id, generation_id, member_id or self.member_id))


async def make_tenant(engine: AsyncEngine, role: Role = Role.ADMIN) -> Tenant:
    slug = f"org-{secrets.token_hex(5)}"
    token = new_token()

    async def add(conn: AsyncConnection) -> Tenant:
        org = await seeding.insert_organisation(conn, slug)
        member = await seeding.insert_member(conn, org, "Owner", f"owner@{slug}", role)
        await seeding.insert_token(conn, org, member, token)
        return Tenant(engine, org, member, token, slug)

    return await in_transaction(engine, add)


async def gql(
    client: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> tuple[int, dict[str, Any]]:
    """POST a GraphQL request; returns (HTTP status, JSON body)."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return response.status_code, response.json()


def codes(body: dict[str, Any]) -> list[str]:
    """The extensions.code of each top-level error."""
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or ()]
