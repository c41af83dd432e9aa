"""The typed asset filter: each condition narrows to exactly the assets it names, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.demo.seeding import link
from storage.sql import tables as t
from tests.builders import codes, gql, make_tenant
from tests.graph.processing.rows import processed
from tests.graph.search.finding import ASSETS, find, names

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def gid(kind: str, pk: int) -> str:
    return to_global_id(kind, pk)


class TestEachCondition:
    async def test_folder_alone_or_with_its_subfolders_at_any_depth(self, client, tenant):
        top = await tenant.folder("Top")
        middle = await tenant.folder("Middle", parent_id=top)
        bottom = await tenant.folder("Bottom", parent_id=middle)
        other = await tenant.folder("Other")
        await tenant.asset("in top", folder_id=top)
        await tenant.asset("in middle", folder_id=middle)
        await tenant.asset("in bottom", folder_id=bottom)
        await tenant.asset("elsewhere", folder_id=other)
        await tenant.asset("at root")
        assert await names(client, tenant, filter={"folderId": gid("Folder", top)}) == ["in top"]
        deep = await names(client, tenant, filter={"folderId": gid("Folder", top), "includeSubfolders": True})
        assert deep == ["in bottom", "in middle", "in top"]
        assert await names(
            client, tenant, filter={"folderId": gid("Folder", middle), "includeSubfolders": True}
        ) == ["in bottom", "in middle"]

    async def test_projects_match_any_of_those_given(self, client, tenant):
        summer = await tenant.project("Summer")
        winter = await tenant.project("Winter")
        spring = await tenant.project("Spring")
        await tenant.asset("summer", projects=(summer,))
        await tenant.asset("winter", projects=(winter,))
        await tenant.asset("both", projects=(summer, winter))
        await tenant.asset("spring", projects=(spring,))
        found = await names(
            client, tenant, filter={"projectIds": [gid("Project", summer), gid("Project", winter)]}
        )
        assert found == ["both", "winter", "summer"]

    async def test_tags_match_any_or_all_as_asked(self, client, tenant):
        red, blue, green = [await tenant.tag(n) for n in ("red", "blue", "green")]
        await tenant.asset("red", tags=(red,))
        await tenant.asset("blue", tags=(blue,))
        await tenant.asset("red and blue", tags=(red, blue))
        await tenant.asset("green", tags=(green,))
        both = [gid("Tag", red), gid("Tag", blue)]
        assert await names(client, tenant, filter={"anyTagIds": both}) == ["red and blue", "blue", "red"]
        assert await names(client, tenant, filter={"allTagIds": both}) == ["red and blue"]
        assert await names(client, tenant, filter={"allTagIds": [*both, gid("Tag", green)]}) == []

    async def test_favourites_are_the_viewers_own(self, client, tenant):
        mine = await tenant.asset("mine")
        theirs = await tenant.asset("theirs")
        other_member, _ = await tenant.member(Role.EDITOR)
        await tenant.run(
            lambda c: link(
                c, t.asset_favourites, tenant.org_id, asset_id=mine, member_id=tenant.member_id, created_at=T0
            )
        )
        await tenant.run(
            lambda c: link(
                c, t.asset_favourites, tenant.org_id, asset_id=theirs, member_id=other_member, created_at=T0
            )
        )
        assert await names(client, tenant, filter={"favourite": True}) == ["mine"]

    async def test_rating_at_least(self, client, tenant):
        for rating in range(6):
            await tenant.asset(f"rated {rating}", rating=rating)
        assert await names(client, tenant, filter={"ratingAtLeast": 4}) == ["rated 5", "rated 4"]
        assert len(await names(client, tenant, filter={"ratingAtLeast": 0})) == 6

    async def test_ai_generated_and_media_types(self, client, tenant):
        await tenant.asset("png upload")
        await tenant.asset("jpeg made", mime_type="image/jpeg", ai_generated=True)
        await tenant.asset("webp made", mime_type="image/webp", ai_generated=True)
        assert await names(client, tenant, filter={"aiGenerated": False}) == ["png upload"]
        assert await names(client, tenant, filter={"aiGenerated": True}) == ["webp made", "jpeg made"]
        assert await names(client, tenant, filter={"mimeTypes": ["image/png", "image/webp"]}) == [
            "webp made",
            "png upload",
        ]

    async def test_created_and_updated_ranges_include_their_bounds(self, client, tenant):
        for day in range(4):
            moment = T0 + timedelta(days=day)
            await tenant.asset(f"day {day}", created_at=moment, updated_at=moment + timedelta(days=10))
        since, until = (T0 + timedelta(days=1)).isoformat(), (T0 + timedelta(days=2)).isoformat()
        assert await names(client, tenant, filter={"createdSince": since, "createdUntil": until}) == [
            "day 2",
            "day 1",
        ]
        assert await names(
            client, tenant, filter={"updatedSince": (T0 + timedelta(days=13)).isoformat()}
        ) == ["day 3"]
        # a time without an offset is read as UTC
        assert await names(client, tenant, filter={"createdUntil": "2026-01-01T00:00:00"}) == ["day 0"]

    async def test_byte_size_range(self, client, tenant):
        for size in (100, 1_000, 10_000):
            await tenant.asset(f"{size} bytes", byte_size=size)
        assert await names(client, tenant, filter={"minByteSize": "1000", "maxByteSize": "10000"}) == [
            "10000 bytes",
            "1000 bytes",
        ]
        assert await names(client, tenant, filter={"maxByteSize": "999"}) == ["100 bytes"]

    async def test_trashed_lists_the_trash_only(self, client, tenant):
        await tenant.asset("live")
        await tenant.asset("trashed", trashed_at=T0)
        assert await names(client, tenant) == ["live"]
        assert await names(client, tenant, filter={"trashed": True}) == ["trashed"]

    async def test_sha256_finds_the_assets_with_those_bytes(self, client, tenant):
        await tenant.asset("copy", blob_key="ab" * 32)
        await tenant.asset("other")
        assert await names(client, tenant, filter={"sha256": "AB" * 32}) == ["copy"]

    async def test_the_generation_parameters_frozen_in_the_provenance(self, client, tenant):
        kit = await tenant.brand_kit("Kit")
        session = await tenant.session("Shoot")
        other_session = await tenant.session("Other shoot")
        made = {"ai_generated": True, "prompt": "p"}
        await tenant.asset(
            "sdxl",
            provider="procedural",
            model="sdxl",
            seed=2**40,
            platform="instagram",
            brand_kit_id=kit,
            session_id=session,
            **made,
        )
        await tenant.asset(
            "flux", provider="openai", model="flux", seed=7, platform="web", session_id=other_session, **made
        )
        await tenant.asset("upload")
        assert await names(client, tenant, filter={"providers": ["procedural"]}) == ["sdxl"]
        assert await names(client, tenant, filter={"models": ["flux", "sdxl"]}) == ["flux", "sdxl"]
        assert await names(client, tenant, filter={"seed": str(2**40)}) == ["sdxl"]
        assert await names(client, tenant, filter={"platforms": ["WEB"]}) == ["flux"]
        assert await names(client, tenant, filter={"brandKitId": gid("BrandKit", kit)}) == ["sdxl"]
        assert await names(client, tenant, filter={"sessionId": gid("Session", other_session)}) == ["flux"]

    async def test_processing_statuses_follow_the_job_and_pending_includes_no_job(
        self, client, engine, tenant
    ):
        other = await make_tenant(engine)
        for state in ("queued", "running", "done", "failed"):
            await processed(engine, tenant.org_id, "asset", await tenant.asset(state), state=state)
        never = await tenant.asset("never queued")
        await processed(engine, other.org_id, "asset", never)  # their job on our id: not ours

        async def having(*statuses: str) -> list[str]:
            conn = await find(client, tenant, filter={"processingStatuses": list(statuses)})
            assert conn["totalCount"] == len(conn["edges"])
            return sorted(e["node"]["name"] for e in conn["edges"])

        assert await having("PENDING") == ["never queued", "queued"]
        assert await having("PROCESSING") == ["running"]
        assert await having("READY") == ["done"]
        assert await having("FAILED") == ["failed"]
        assert await having("READY", "FAILED", "READY") == ["done", "failed"]
        assert await having("PENDING", "PROCESSING", "READY", "FAILED") == [
            "done",
            "failed",
            "never queued",
            "queued",
            "running",
        ]
        assert await having() == ["done", "failed", "never queued", "queued", "running"]  # no condition

    async def test_conditions_combine_and_the_count_follows_them(self, client, tenant):
        tag = await tenant.tag("hero")
        await tenant.asset("hero png", tags=(tag,), rating=5)
        await tenant.asset("hero low", tags=(tag,), rating=1)
        await tenant.asset("plain", rating=5)
        conn = await find(client, tenant, filter={"tagId": gid("Tag", tag), "ratingAtLeast": 3})
        assert [e["node"]["name"] for e in conn["edges"]] == ["hero png"]
        assert conn["totalCount"] == 1


class TestBounds:
    @pytest.mark.parametrize(
        ("filter", "code", "field"),
        [
            (
                {"anyTagIds": [to_global_id("Tag", i + 1) for i in range(101)]},
                "LIMIT_EXCEEDED",
                "filter.anyTagIds",
            ),
            ({"mimeTypes": ["image/png"] * 101}, "LIMIT_EXCEEDED", "filter.mimeTypes"),
            ({"processingStatuses": ["READY"] * 101}, "LIMIT_EXCEEDED", "filter.processingStatuses"),
            ({"models": ["m" * 129]}, "INVALID_INPUT", "filter.models"),
            ({"providers": ["a\x00b"]}, "INVALID_INPUT", "filter.providers"),
            ({"ratingAtLeast": 6}, "INVALID_INPUT", "filter.ratingAtLeast"),
            ({"minByteSize": "-1"}, "INVALID_INPUT", "filter.minByteSize"),
            ({"sha256": "not a hash"}, "INVALID_INPUT", "filter.sha256"),
            ({"projectIds": ["not an id"]}, "NOT_FOUND", "filter.projectIds"),
            ({"allTagIds": [to_global_id("Project", 1)]}, "NOT_FOUND", "filter.allTagIds"),
        ],
    )
    async def test_an_out_of_bounds_condition_is_refused_naming_it(self, client, tenant, filter, code, field):
        _, body = await gql(client, tenant.token, ASSETS, {"filter": filter})
        assert codes(body) == [code], body
        assert body["errors"][0]["extensions"]["field"] == field
        assert body["data"] is None or body["data"].get("assets") is None

    @pytest.mark.parametrize(("first", "code"), [(1_000_000_000, "LIMIT_EXCEEDED"), (-1, "INVALID_INPUT")])
    async def test_page_sizes_keep_their_bounds(self, client, tenant, first, code):
        _, body = await gql(client, tenant.token, ASSETS, {"first": first, "search": "fox"})
        assert codes(body) == [code]


class TestIsolation:
    async def test_another_organisations_assets_are_never_found_or_counted(self, client, engine, tenant):
        other = await make_tenant(engine)
        tag = await other.tag("hero")
        folder = await other.folder("Theirs")
        await other.asset("theirs", tags=(tag,), folder_id=folder, blob_key="cd" * 32, prompt="secret fox")
        await tenant.asset("mine")
        conn = await find(client, tenant)
        assert [e["node"]["name"] for e in conn["edges"]] == ["mine"] and conn["totalCount"] == 1
        assert await names(client, tenant, filter={"tagId": gid("Tag", tag)}) == []
        assert (
            await names(client, tenant, filter={"folderId": gid("Folder", folder), "includeSubfolders": True})
            == []
        )
        assert await names(client, tenant, filter={"sha256": "cd" * 32}) == []
        assert await names(client, tenant, search="secret fox") == []
