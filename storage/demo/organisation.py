"""The demo organisation (slug `demo`): a small, real studio to explore in GraphiQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.kernel.access import Role
from domain.organisations.model import DEFAULT_CREDIT_BUDGET, DEFAULT_STORAGE_QUOTA_BYTES
from domain.processing.model import JobSubject
from domain.studio.model import AspectRatio
from storage.blobs.local import LocalBlobStore
from storage.demo import seeding as s
from storage.images.procedural import render_png
from storage.processing.jobs import SqlJobQueue
from storage.sql import tables as t
from storage.sql.database import WRITE

DEMO_SLUG = "demo"
DEMO_ADMIN_EMAIL = "ada@demo.example"

_SESSIONS = [
    (
        "Summer sale hero images",
        "instagram",
        AspectRatio.PORTRAIT,
        "closed",
        [
            "a sunlit beach towel flat lay with sunglasses and a cold lemonade, brand colours",
            "a wide shot of a beach umbrella at golden hour, warm orange sky",
            "a close-up of a straw hat on turquoise water, playful summer mood",
            "a pastel beach hut row with a sale banner, bright afternoon light",
        ],
    ),
    (
        "LinkedIn product launch",
        "linkedin",
        AspectRatio.LANDSCAPE,
        "open",
        [
            "a minimal desk with a laptop showing a dashboard, soft morning light",
            "a team of three discussing charts on a whiteboard, candid office photo",
            "an isometric illustration of connected cloud servers in brand blue",
        ],
    ),
    (
        "Moodboard experiments",
        None,
        AspectRatio.SQUARE,
        "open",
        [
            "an abstract composition of overlapping circles in coral and teal",
            "a risograph-style poster of a lighthouse with grainy texture",
        ],
    ),
]


async def ensure_demo(engine: AsyncEngine, blobs: LocalBlobStore) -> bool:
    """Seed the demo organisation unless it exists; True when it was seeded now."""
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            found = await conn.execute(
                sa.select(t.organisations.c.id).where(t.organisations.c.slug == DEMO_SLUG)
            )
            if found.first() is not None:
                return False
            await _seed(conn, blobs)
    return True


async def _seed(conn: AsyncConnection, blobs: LocalBlobStore) -> None:
    org = await s.insert_organisation(
        conn,
        DEMO_SLUG,
        "Demo Studio",
        storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
        credit_budget=DEFAULT_CREDIT_BUDGET,
        require_approval=True,
        require_alt_text=True,
    )
    ada = await s.insert_member(conn, org, "Ada Admin", DEMO_ADMIN_EMAIL, Role.ADMIN)
    rex = await s.insert_member(conn, org, "Rex Reviewer", "rex@demo.example", Role.APPROVER)
    cleo = await s.insert_member(conn, org, "Cleo Creator", "cleo@demo.example", Role.CREATOR)
    kit = await s.insert_brand_kit(
        conn, org, "Sunny Goods", "Warm, optimistic, never loud.", ["#FF7A59", "#1F3A5F", "#FFF4E0"]
    )
    campaigns = await s.insert_folder(conn, org, "Campaigns")
    summer_folder = await s.insert_folder(conn, org, "Summer sale 2026", campaigns)
    await s.insert_folder(conn, org, "Launch", campaigns)
    brand_folder = await s.insert_folder(conn, org, "Brand")
    summer = await s.insert_project(conn, org, "Summer sale 2026", "June campaign across Instagram and email")
    launch = await s.insert_project(conn, org, "Product launch", "Q3 launch on LinkedIn")
    await s.insert_project(conn, org, "Spring 2025", "Last year's campaign", archived=True)
    tags = {
        name: await s.insert_tag(conn, org, name) for name in ("summer-sale-2026", "hero", "instagram", "b2b")
    }

    seed = 1000
    for title, platform, ratio, state, prompts in _SESSIONS:
        session = await s.insert_session(
            conn,
            org,
            title,
            platform=platform,
            brand_kit_id=kit,
            aspect_ratio=ratio.value,
            state=state,
            created_by_id=cleo,
            closed_at=s.now() if state == "closed" else None,
        )
        width, height = ratio.size(512)
        for i, prompt in enumerate(prompts):
            seed += 1
            blob = await blobs.put("scratch", render_png(prompt, seed, width, height))
            review = (
                {0: "approved", 1: "approved", 3: "rejected"}.get(i, "pending") if platform else "pending"
            )
            made = {
                "provider": "procedural",
                "model": "procedural-v1",
                "mime_type": "image/png",
                "platform": platform,
                "brand_kit_id": kit,
                "aspect_ratio": ratio.value,
                "seed": seed,
                "credits_used": 2,
                "created_by_id": cleo,
                "reviewed_by_id": rex if review != "pending" else None,
                "reviewed_at": s.now() if review != "pending" else None,
            }
            generation = await s.insert_generation(
                conn,
                org,
                session,
                prompt,
                width=width,
                height=height,
                review_state=review,
                blob_key=blob.key,
                byte_size=blob.size,
                alt_text=_alt_text(prompt) if review == "approved" else "",
                review_reason="off-brand colours" if review == "rejected" else "",
                **made,
            )
            if i < 3:
                await s.like(conn, org, generation, ada)
            if review == "approved":
                instagram = platform == "instagram"
                asset = await s.insert_asset(
                    conn,
                    org,
                    prompt.split(",")[0][:80],
                    alt_text=_alt_text(prompt),
                    folder_id=summer_folder if instagram else brand_folder,
                    blob_key=blob.key,
                    byte_size=blob.size,
                    width=width,
                    height=height,
                    ai_generated=True,
                    generation_id=generation,
                    session_id=session,
                    prompt=prompt,
                    rights_notes="Generated in-house; free to use.",
                    source="procedural provider",
                    intended_placement="campaign hero",
                    **made,
                )
                await blobs.put("library", await blobs.read("scratch", blob.key))
                await conn.execute(
                    sa.update(t.generations)
                    .where(t.generations.c.id == generation)
                    .values(saved_asset_id=asset)
                )
                await s.link(
                    conn, t.asset_projects, org, asset_id=asset, project_id=summer if instagram else launch
                )
                for tag in (tags["hero"], tags["summer-sale-2026"] if instagram else tags["b2b"]):
                    await s.link(conn, t.asset_tags, org, asset_id=asset, tag_id=tag)
    await _as_the_app_would(conn, org)


async def _as_the_app_would(conn: AsyncConnection, org: int) -> None:
    """What the services do beside the rows the seeding wrote: the images' processing queued (as a save
    or a generation queues it) and the storage the assets use counted, so the demo shows thumbnails
    and its billing figure like a library filled through the API."""
    jobs = SqlJobQueue(conn)
    subjects: tuple[tuple[JobSubject, sa.Table], ...] = (("generation", t.generations), ("asset", t.assets))
    for subject, table in subjects:
        rows = (
            await conn.execute(sa.select(table.c.id, table.c.blob_key).where(table.c.org_id == org))
        ).all()
        await jobs.enqueue(org, subject, {r.id: r.blob_key for r in rows}, s.now())
    used = sa.select(sa.func.coalesce(sa.func.sum(t.assets.c.byte_size), 0)).where(t.assets.c.org_id == org)
    await conn.execute(
        sa.update(t.organisations)
        .where(t.organisations.c.id == org)
        .values(storage_used_bytes=used.scalar_subquery())
    )


def _alt_text(prompt: str) -> str:
    return prompt.split(",")[0].capitalize() + "."
