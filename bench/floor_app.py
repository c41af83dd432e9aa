"""The floor for bench/library_page.py and bench/run.py: each page as one hand-written SQL query.

A bare Starlette app with no GraphQL, no authentication and no domain layer. For the
library page one statement fetches the 50 newest live assets of one organisation with
their folder name, generation prompt, tags and projects (aggregated as JSON in the
database) and the live asset count; Python only shapes the rows into the same JSON body
the GraphQL server answers `LibraryPage` with, and orjson serialises it. Whatever the
GraphQL server spends above this is the cost of its layers. The Studio page (a session's
50 newest generations with their like counts and whether the viewer likes them) and the
folder page (a folder's 50 newest live assets with their tags) are built the same way.

It reads its configuration from the environment and is started by the benchmark:

    FLOOR_DATABASE_URL=sqlite+aiosqlite:///... FLOOR_ORG_ID=1 FLOOR_SECRET_KEY=... \\
        .venv/bin/python -m uvicorn floor_app:app --app-dir bench --port 8001

`POST /library` answers the page (the request body is ignored); `POST /studio` and
`POST /folder` read the session's or folder's global id from the GraphQL request body's
`variables.id` (`FLOOR_MEMBER_ID` is the viewer of `likedByViewer`); `GET /readyz` says
whether the database answers. Cursors are signed with the GraphQL server's key
(`ATELIER_SECRET_KEY`, the same value) for each list (`Query.assets.CREATED_AT_DESC`,
`Session.generations`, `Folder.assets`), so both answers are equal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graph.relay.ids import Cursors, ListCursors, parse_global_id, to_global_id
from storage.sql.database import create_engine

PAGE_SIZE = 50

# The (id, name) pairs of an asset's tags or projects, by name_key then id as the API orders them.
# SQLite 3.40 has no ORDER BY inside aggregates, so it aggregates over an ordered subquery.
# Link tables lead their primary key with org_id, so `l.org_id = :org AND l.asset_id = p.id`
# is one index range per asset, as in the server's own batch query.
_PAIRS = {
    "postgresql": """(
        SELECT json_agg(json_build_array(x.id, x.name) ORDER BY x.name_key, x.id)
        FROM {link} AS l JOIN {table} AS x ON x.id = l.{column}
        WHERE l.org_id = :org AND l.asset_id = p.id
    )""",
    "sqlite": """(
        SELECT json_group_array(json_array(s.id, s.name)) FROM (
            SELECT x.id, x.name
            FROM {link} AS l JOIN {table} AS x ON x.id = l.{column}
            WHERE l.org_id = :org AND l.asset_id = p.id
            ORDER BY x.name_key, x.id
        ) AS s
    )""",
}

_PAGE = """
WITH p AS (
    SELECT id, name, alt_text, width, height, folder_id, generation_id
    FROM assets
    WHERE org_id = :org AND trashed_at IS NULL
    ORDER BY id DESC
    LIMIT :limit
)
SELECT
    p.id, p.name, p.alt_text, p.width, p.height,
    f.id AS folder_id, f.name AS folder_name,
    g.id AS generation_id, g.prompt AS generation_prompt,
    {tags} AS tags,
    {projects} AS projects,
    (SELECT count(*) FROM assets WHERE org_id = :org AND trashed_at IS NULL) AS total
FROM p
LEFT JOIN folders AS f ON f.id = p.folder_id AND f.org_id = :org
LEFT JOIN generations AS g ON g.id = p.generation_id AND g.org_id = :org
ORDER BY p.id DESC
"""


def page_query(dialect: str) -> sa.TextClause:
    """The one statement of the floor, in the dialect of the engine."""
    pairs = _PAIRS[dialect]
    return sa.text(
        _PAGE.format(
            tags=pairs.format(link="asset_tags", table="tags", column="tag_id"),
            projects=pairs.format(link="asset_projects", table="projects", column="project_id"),
        )
    )


_STUDIO = """
WITH p AS (
    SELECT id, prompt, width, height, review_state
    FROM generations
    WHERE org_id = :org AND session_id = :session
    ORDER BY id DESC
    LIMIT :limit
)
SELECT
    p.id, p.prompt, p.width, p.height, p.review_state,
    (SELECT count(*) FROM generation_likes AS l WHERE l.org_id = :org AND l.generation_id = p.id) AS likes,
    EXISTS (
        SELECT 1 FROM generation_likes AS l
        WHERE l.org_id = :org AND l.generation_id = p.id AND l.member_id = :member
    ) AS liked,
    (SELECT title FROM sessions WHERE org_id = :org AND id = :session) AS title,
    (SELECT count(*) FROM generations WHERE org_id = :org AND session_id = :session) AS total
FROM p
ORDER BY p.id DESC
"""

_FOLDER = """
WITH p AS (
    SELECT id, name, alt_text, width, height
    FROM assets
    WHERE org_id = :org AND folder_id = :folder AND trashed_at IS NULL
    ORDER BY id DESC
    LIMIT :limit
)
SELECT
    p.id, p.name, p.alt_text, p.width, p.height,
    {tags} AS tags,
    (SELECT name FROM folders WHERE org_id = :org AND id = :folder) AS folder_name,
    (SELECT count(*) FROM assets WHERE org_id = :org AND folder_id = :folder AND trashed_at IS NULL) AS total
FROM p
ORDER BY p.id DESC
"""


def studio_query() -> sa.TextClause:
    return sa.text(_STUDIO)


def folder_query(dialect: str) -> sa.TextClause:
    tags = _PAIRS[dialect].format(link="asset_tags", table="tags", column="tag_id")
    return sa.text(_FOLDER.format(tags=tags))


def _named(type_name: str, pairs: Any) -> list[dict[str, Any]]:
    """`[{id, name}]` from the aggregated pairs (a JSON string, or None when there are none)."""
    if pairs is None:
        return []
    if isinstance(pairs, str | bytes):
        pairs = orjson.loads(pairs)
    return [{"id": to_global_id(type_name, id), "name": name} for id, name in pairs]


def page_body(rows: list[Any], cursors: ListCursors) -> dict[str, Any]:
    """The GraphQL-shaped body for rows fetched with limit PAGE_SIZE + 1."""
    visible = rows[:PAGE_SIZE]
    edges = [
        {
            "cursor": cursors.encode((r.id,)),
            "node": {
                "id": to_global_id("Asset", r.id),
                "name": r.name,
                "altText": r.alt_text,
                "width": r.width,
                "height": r.height,
                "folder": None
                if r.folder_id is None
                else {"id": to_global_id("Folder", r.folder_id), "name": r.folder_name},
                "tags": _named("Tag", r.tags),
                "projects": _named("Project", r.projects),
                "generation": None
                if r.generation_id is None
                else {"id": to_global_id("Generation", r.generation_id), "prompt": r.generation_prompt},
            },
        }
        for r in visible
    ]
    return {
        "data": {
            "assets": {
                "totalCount": rows[0].total if rows else 0,
                "edges": edges,
                "pageInfo": {
                    "hasNextPage": len(rows) > PAGE_SIZE,
                    "endCursor": edges[-1]["cursor"] if edges else None,
                },
            }
        }
    }


def _connection(rows: list[Any], cursors: ListCursors, node: Any) -> dict[str, Any]:
    """`{totalCount, edges, pageInfo}` for rows fetched with limit PAGE_SIZE + 1, each node by `node(row)`."""
    edges = [{"cursor": cursors.encode((r.id,)), "node": node(r)} for r in rows[:PAGE_SIZE]]
    return {
        "totalCount": rows[0].total if rows else 0,
        "edges": edges,
        "pageInfo": {
            "hasNextPage": len(rows) > PAGE_SIZE,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def studio_body(session_id: int, rows: list[Any], cursors: ListCursors) -> dict[str, Any]:
    """The body of `StudioPage`: the session and its first page of generations."""
    generations = _connection(
        rows,
        cursors,
        lambda r: {
            "id": to_global_id("Generation", r.id),
            "prompt": r.prompt,
            "width": r.width,
            "height": r.height,
            "reviewState": r.review_state.upper(),
            "likeCount": r.likes,
            "likedByViewer": bool(r.liked),
        },
    )
    title = rows[0].title if rows else None
    node = {"id": to_global_id("Session", session_id), "title": title, "generations": generations}
    return {"data": {"node": node}}


def folder_body(folder_id: int, rows: list[Any], cursors: ListCursors) -> dict[str, Any]:
    """The body of `FolderPage`: the folder and its first page of live assets."""
    assets = _connection(
        rows,
        cursors,
        lambda r: {
            "id": to_global_id("Asset", r.id),
            "name": r.name,
            "altText": r.alt_text,
            "width": r.width,
            "height": r.height,
            "tags": _named("Tag", r.tags),
        },
    )
    name = rows[0].folder_name if rows else None
    return {"data": {"node": {"id": to_global_id("Folder", folder_id), "name": name, "assets": assets}}}


async def _requested_id(request: Request, type_name: str) -> int:
    """The primary key in the GraphQL request body's `variables.id`, a global id of `type_name`."""
    parsed = parse_global_id(orjson.loads(await request.body())["variables"]["id"])
    if parsed is None or parsed[0] != type_name:
        raise ValueError(f"not a {type_name} id")
    return parsed[1]


def create_app(database_url: str, org_id: int, secret_key: str, member_id: int = 0) -> Starlette:
    """The floor app over `database_url`, answering for organisation `org_id` (viewer `member_id`)."""
    engine: AsyncEngine = create_engine(database_url)
    query = page_query(engine.dialect.name)
    params = {"org": org_id, "limit": PAGE_SIZE + 1}
    signer = Cursors(secret_key)
    cursors = signer.of("Query.assets.CREATED_AT_DESC")  # the list and its default order
    studio = studio_query()
    studio_cursors = signer.of("Session.generations")
    folder = folder_query(engine.dialect.name)
    folder_cursors = signer.of("Folder.assets")

    async def studio_page(request: Request) -> Response:
        session_id = await _requested_id(request, "Session")
        async with engine.connect() as conn:
            values = {**params, "session": session_id, "member": member_id}
            rows = list((await conn.execute(studio, values)).all())
        body = studio_body(session_id, rows, studio_cursors)
        return Response(orjson.dumps(body), media_type="application/json")

    async def folder_page(request: Request) -> Response:
        folder_id = await _requested_id(request, "Folder")
        async with engine.connect() as conn:
            rows = list((await conn.execute(folder, {**params, "folder": folder_id})).all())
        body = folder_body(folder_id, rows, folder_cursors)
        return Response(orjson.dumps(body), media_type="application/json")

    async def library(request: Request) -> Response:
        async with engine.connect() as conn:
            rows = list((await conn.execute(query, params)).all())
        return Response(orjson.dumps(page_body(rows, cursors)), media_type="application/json")

    async def readyz(request: Request) -> Response:
        async with engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
        return Response(b'{"ok":true}', media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/library", library, methods=["POST"]),
            Route("/studio", studio_page, methods=["POST"]),
            Route("/folder", folder_page, methods=["POST"]),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )


app = create_app(
    os.environ["FLOOR_DATABASE_URL"],
    int(os.environ["FLOOR_ORG_ID"]),
    os.environ["FLOOR_SECRET_KEY"],
    int(os.environ.get("FLOOR_MEMBER_ID", "0")),
)
