"""The SQL writer of demo and test data: plain inserts on an open connection.

They bypass the domain services on purpose: they lay down fixtures in bulk. Real
changes go through `domain/` and its unit of work. They hold no default column
values beyond the creation time and derived keys: the demo (storage/demo/organisation.py)
passes its own, and the tests' builders (tests/builders.py) pass tests/defaults.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.kernel.access import TOKEN_PREFIX, Role
from domain.library.model import name_key
from domain.organisations.tokens import hash_token
from storage.sql import tables as t


def now() -> datetime:
    return datetime.now(UTC)


async def _insert(conn: AsyncConnection, table: sa.Table, **values: Any) -> int:
    return int((await conn.execute(sa.insert(table).values(**values).returning(table.c.id))).scalar_one())


async def insert_organisation(conn: AsyncConnection, slug: str, name: str, **values: Any) -> int:
    return await _insert(conn, t.organisations, slug=slug, name=name, created_at=now(), **values)


async def insert_member(conn: AsyncConnection, org_id: int, name: str, email: str, role: Role) -> int:
    return await _insert(
        conn, t.members, org_id=org_id, name=name, email=email, role=role.value, created_at=now()
    )


async def insert_token(conn: AsyncConnection, org_id: int, member_id: int, secret: str, **extra: Any) -> int:
    if not secret.startswith(TOKEN_PREFIX):
        raise ValueError("tokens start with " + TOKEN_PREFIX)
    return await _insert(
        conn,
        t.api_tokens,
        org_id=org_id,
        member_id=member_id,
        name=extra.pop("name", "seed"),
        token_hash=hash_token(secret),
        prefix=secret[:10],
        created_at=now(),
        **extra,
    )


async def insert_brand_kit(
    conn: AsyncConnection, org_id: int, name: str, description: str = "", colors: Iterable[str] = ()
) -> int:
    return await _insert(
        conn,
        t.brand_kits,
        org_id=org_id,
        name=name,
        name_key=name_key(name),
        description=description,
        colors=list(colors),
        created_at=now(),
    )


async def insert_folder(conn: AsyncConnection, org_id: int, name: str, parent_id: int | None = None) -> int:
    return await _insert(
        conn,
        t.folders,
        org_id=org_id,
        parent_id=parent_id,
        name=name,
        name_key=name_key(name),
        created_at=now(),
    )


async def insert_project(
    conn: AsyncConnection, org_id: int, name: str, description: str = "", archived: bool = False
) -> int:
    return await _insert(
        conn,
        t.projects,
        org_id=org_id,
        name=name,
        name_key=name_key(name),
        description=description,
        archived=archived,
        created_at=now(),
    )


async def insert_tag(conn: AsyncConnection, org_id: int, name: str) -> int:
    return await _insert(conn, t.tags, org_id=org_id, name=name, name_key=name_key(name), created_at=now())


async def insert_session(conn: AsyncConnection, org_id: int, title: str, **values: Any) -> int:
    return await _insert(conn, t.sessions, org_id=org_id, title=title, created_at=now(), **values)


async def insert_generation(
    conn: AsyncConnection, org_id: int, session_id: int, prompt: str, **values: Any
) -> int:
    return await _insert(
        conn, t.generations, org_id=org_id, session_id=session_id, prompt=prompt, created_at=now(), **values
    )


async def insert_asset(conn: AsyncConnection, org_id: int, name: str, **values: Any) -> int:
    at = now()
    values = {"created_at": at, "updated_at": at, "name_key": name_key(name)} | values
    return await _insert(conn, t.assets, org_id=org_id, name=name, **values)


async def link(conn: AsyncConnection, table: sa.Table, org_id: int, **ids: int) -> None:
    await conn.execute(sa.insert(table).values(org_id=org_id, **ids))


async def like(conn: AsyncConnection, org_id: int, generation_id: int, member_id: int) -> None:
    await conn.execute(
        sa.insert(t.generation_likes).values(
            org_id=org_id, generation_id=generation_id, member_id=member_id, created_at=now()
        )
    )
