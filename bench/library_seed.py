"""The library benchmarks' data: one organisation with N AI-generated assets, seeded with bulk Core inserts.

Each asset has a generation, two or three tags, one or two projects and a folder; the
organisation has a brand kit and a few sessions. bench/library_page.py and
bench/cost_worst_case.py read it.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.kernel.access import Role
from domain.library.model import name_key
from domain.organisations.model import DEFAULT_CREDIT_BUDGET, DEFAULT_STORAGE_QUOTA_BYTES
from domain.organisations.tokens import hash_token
from storage.sql import tables as t
from storage.sql.database import WRITE

CHUNK = 1_000

TAGS = (  # noqa: SIM905 (fifty words read better as text than as fifty lines)
    "summer sale spring autumn winter holiday beach city nature food fashion travel portrait product "
    "lifestyle minimal bold pastel neon vintage retro abstract pattern texture gradient flat-lay "
    "outdoor indoor studio night sunrise sunset urban rural ocean mountain forest desert coffee tea "
    "fitness wellness tech office team launch hero banner story carousel"
).split()
PROJECTS = (
    "Summer sale 2026",
    "Spring collection",
    "Product launch",
    "Brand refresh",
    "Holiday campaign",
    "Recruiting",
    "Newsletter",
    "Trade fair",
    "Loyalty programme",
    "Back to school",
)
FOLDERS = {
    "Campaigns": ("Summer", "Winter", "Launch"),
    "Social": ("Instagram", "LinkedIn", "Pinterest"),
    "Web": ("Heroes", "Blog", "Landing pages"),
    "Print": ("Flyers", "Posters", "Catalogue"),
    "Archive": ("2024", "2025", "Drafts"),
}
SESSIONS = (
    ("Summer sale hero images", "instagram", "4:5"),
    ("LinkedIn product launch", "linkedin", "16:9"),
    ("Moodboard experiments", None, "1:1"),
    ("Pinterest autumn boards", "pinterest", "9:16"),
    ("Website refresh", "web", "3:2"),
    ("Print catalogue", None, "4:3"),
)
SIZES = {"1:1": (1024, 1024), "4:5": (1024, 1280), "16:9": (1344, 768), "9:16": (768, 1344)}
SIZES |= {"3:2": (1216, 832), "4:3": (1152, 864)}
SUBJECTS = (
    "a sunlit beach towel flat lay with sunglasses",
    "a minimal desk with a laptop showing a dashboard",
    "an abstract composition of overlapping circles",
    "a risograph-style poster of a lighthouse",
    "a close-up of a straw hat on turquoise water",
    "a team of three discussing charts on a whiteboard",
    "an isometric illustration of connected cloud servers",
    "a pastel beach hut row with a sale banner",
)
STYLES = (
    "soft morning light",
    "golden hour, warm orange sky",
    "brand colours, playful mood",
    "grainy texture, muted palette",
    "high contrast studio lighting",
    "candid documentary photo",
)


@dataclass(frozen=True)
class Seeded:
    """The organisation the benchmark reads, and a token of its admin."""

    org_id: int
    token: str
    assets: int
    seconds: float
    member_id: int = 0
    """The admin, whose token `token` is."""


async def _insert(conn: AsyncConnection, table: sa.Table, **values: Any) -> int:
    return int((await conn.execute(sa.insert(table).values(**values).returning(table.c.id))).scalar_one())


async def _insert_many(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert; the new ids in the order of `rows`."""
    stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list((await conn.execute(stmt, rows)).scalars())


def _chunks(n: int) -> Iterator[range]:
    for start in range(0, n, CHUNK):
        yield range(start, min(start + CHUNK, n))


@dataclass(frozen=True)
class Catalogue:
    """The rows every asset refers to."""

    org: int
    admin: int
    brand_kit: int
    tags: list[int]
    projects: list[int]
    folders: list[int]
    sessions: list[int]


async def _catalogue(conn: AsyncConnection, token: str, at: datetime) -> Catalogue:
    """The organisation, its admin with `token`, and its brand kit, tags, projects, folders and sessions."""
    slug = f"bench-{secrets.token_hex(4)}"
    org = await _insert(
        conn,
        t.organisations,
        slug=slug,
        name="Bench Studio",
        storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
        credit_budget=DEFAULT_CREDIT_BUDGET,
        require_approval=True,
        require_alt_text=True,
        created_at=at,
    )
    owned = {"org_id": org, "created_at": at}
    admin = await _insert(
        conn, t.members, **owned, name="Bench Admin", email=f"admin@{slug}.example", role=Role.ADMIN.value
    )
    await _insert(
        conn,
        t.api_tokens,
        **owned,
        member_id=admin,
        name="bench",
        token_hash=hash_token(token),
        prefix=token[:10],
    )
    brand_kit = await _insert(
        conn,
        t.brand_kits,
        **owned,
        name="Sunny Goods",
        name_key=name_key("Sunny Goods"),
        description="Warm, optimistic, never loud.",
        colors=["#FF7A59", "#1F3A5F", "#FFF4E0"],
    )
    tags = await _insert_many(
        conn, t.tags, [{**owned, "name": n.title(), "name_key": name_key(n)} for n in TAGS]
    )
    projects = await _insert_many(
        conn, t.projects, [{**owned, "name": n, "name_key": name_key(n)} for n in PROJECTS]
    )
    roots = await _insert_many(
        conn, t.folders, [{**owned, "parent_id": None, "name": n, "name_key": name_key(n)} for n in FOLDERS]
    )
    folders = list(roots)
    for parent, children in zip(roots, FOLDERS.values(), strict=True):
        folders += await _insert_many(
            conn,
            t.folders,
            [{**owned, "parent_id": parent, "name": n, "name_key": name_key(n)} for n in children],
        )
    sessions = await _insert_many(
        conn,
        t.sessions,
        [
            {
                **owned,
                "title": title,
                "platform": platform,
                "brand_kit_id": brand_kit,
                "aspect_ratio": ratio,
                "state": "open",
                "created_by_id": admin,
            }
            for title, platform, ratio in SESSIONS
        ],
    )
    return Catalogue(org, admin, brand_kit, tags, projects, folders, sessions)


def _generation_row(c: Catalogue, rng: random.Random, i: int, at: datetime) -> dict[str, Any]:
    """Generation number `i`, made at `at` in a random session and approved five minutes later."""
    s = rng.randrange(len(SESSIONS))
    title, platform, ratio = SESSIONS[s]
    width, height = SIZES[ratio]
    return {
        "org_id": c.org,
        "session_id": c.sessions[s],
        "prompt": f"{rng.choice(SUBJECTS)}, {rng.choice(STYLES)} (take {i})",
        "negative_prompt": "blurry, watermark, text",
        "platform": platform,
        "brand_kit_id": c.brand_kit,
        "aspect_ratio": ratio,
        "width": width,
        "height": height,
        "provider": "procedural",
        "model": "procedural-v1",
        "seed": rng.randrange(2**31),
        "credits_used": 1,
        "review_state": "approved",
        "alt_text": f"Image {i} for {title}",
        "rights_notes": "Generated in house; free to use.",
        "source": "procedural",
        "intended_placement": platform or "general",
        "review_reason": "",
        "reviewed_by_id": c.admin,
        "reviewed_at": at + timedelta(minutes=5),
        "blob_key": secrets.token_hex(32),
        "mime_type": "image/png",
        "byte_size": rng.randrange(200_000, 2_000_000),
        "created_by_id": c.admin,
        "created_at": at,
        "expires_at": None,
    }


# What an asset keeps of its generation: the provenance, and the image itself.
COPIED = [c.key for c in t.assets.c if c.key in t.generations.c and c.key not in ("id", "created_at")]


def _asset_row(c: Catalogue, rng: random.Random, i: int, g: dict[str, Any], gid: int) -> dict[str, Any]:
    """The asset saved from generation row `g` (id `gid`) when it was approved, in a random folder."""
    return {
        **{column: g[column] for column in COPIED},
        "name": (name := f"{g['prompt'].split(',')[0].capitalize()} {i}"),
        "name_key": name_key(name),
        "description": "",
        "folder_id": rng.choice(c.folders),
        "ai_generated": True,
        "generation_id": gid,
        "trashed_at": None,
        "created_at": g["reviewed_at"],
        "updated_at": g["reviewed_at"],
    }


async def seed(engine: AsyncEngine, n_assets: int, console: Console) -> Seeded:
    """One organisation with `n_assets` live AI-generated assets, in one transaction, in chunks."""
    began = time.perf_counter()
    rng = random.Random(42)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / n_assets
    token = "atl_" + secrets.token_urlsafe(32)
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())

    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            c = await _catalogue(conn, token, start)
            with Progress(*columns, console=console) as progress:
                generations = progress.add_task("generations", total=n_assets)
                assets = progress.add_task("assets", total=n_assets)
                links = progress.add_task("tag and project links", total=n_assets)
                for chunk in _chunks(n_assets):
                    made = [_generation_row(c, rng, i, start + step * i) for i in chunk]
                    generation_ids = await _insert_many(conn, t.generations, made)
                    progress.advance(generations, len(chunk))

                    rows = [
                        _asset_row(c, rng, i, g, gid)
                        for i, g, gid in zip(chunk, made, generation_ids, strict=True)
                    ]
                    asset_ids = await _insert_many(conn, t.assets, rows)
                    progress.advance(assets, len(chunk))

                    tagged = [(a, tag) for a in asset_ids for tag in rng.sample(c.tags, rng.randint(2, 3))]
                    await conn.execute(
                        sa.insert(t.asset_tags),
                        [{"org_id": c.org, "asset_id": a, "tag_id": tag} for a, tag in tagged],
                    )
                    linked = [(a, p) for a in asset_ids for p in rng.sample(c.projects, rng.randint(1, 2))]
                    await conn.execute(
                        sa.insert(t.asset_projects),
                        [{"org_id": c.org, "asset_id": a, "project_id": p} for a, p in linked],
                    )
                    progress.advance(links, len(chunk))
    # A live database has planner statistics (PostgreSQL's autovacuum gathers them within a
    # minute of a bulk load); without them both servers would be measured on guessed plans.
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("ANALYZE")
    return Seeded(c.org, token, n_assets, time.perf_counter() - began, c.admin)


LIKERS = 5
"""Members who like generations in seed_likes, the admin among them."""


async def seed_likes(engine: AsyncEngine, seeded: Seeded, share: float = 0.3) -> int:
    """Four more members, and each of the five likes each generation with probability `share`; the likes."""
    rng = random.Random(43)
    at = datetime.now(UTC)
    likes = 0
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            others = await _insert_many(
                conn,
                t.members,
                [
                    {
                        "org_id": seeded.org_id,
                        "created_at": at,
                        "name": f"Reviewer {i}",
                        "email": f"reviewer{i}@bench-{seeded.org_id}.example",
                        "role": Role.EDITOR.value,
                    }
                    for i in range(LIKERS - 1)
                ],
            )
            members = [seeded.member_id, *others]
            generations = list(
                (
                    await conn.execute(
                        sa.select(t.generations.c.id).where(t.generations.c.org_id == seeded.org_id)
                    )
                ).scalars()
            )
            for start in range(0, len(generations), CHUNK):
                rows = [
                    {"org_id": seeded.org_id, "generation_id": g, "member_id": m, "created_at": at}
                    for g in generations[start : start + CHUNK]
                    for m in members
                    if rng.random() < share
                ]
                if rows:
                    await conn.execute(sa.insert(t.generation_likes), rows)
                likes += len(rows)
    return likes


async def seed_studio_session(
    engine: AsyncEngine, images: list[tuple[str, int, int, int]]
) -> tuple[Seeded, list[int]]:
    """An organisation (bench/library_seed.py's catalogue, no assets) whose first session holds one
    approved generation per image, each (blob key in the scratch area, bytes, width, height);
    the organisation and the generations' ids, in the order of `images`."""
    began = time.perf_counter()
    rng = random.Random(44)
    at = datetime.now(UTC) - timedelta(hours=1)
    token = "atl_" + secrets.token_urlsafe(32)
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            c = await _catalogue(conn, token, at)
            rows = []
            for i, (key, size, width, height) in enumerate(images):
                row = _generation_row(c, rng, i, at)
                row |= {"session_id": c.sessions[0], "blob_key": key, "byte_size": size}
                row |= {"width": width, "height": height, "mime_type": "image/png"}
                rows.append(row)
            ids = await _insert_many(conn, t.generations, rows)
    return Seeded(c.org, token, 0, time.perf_counter() - began, c.admin), ids
