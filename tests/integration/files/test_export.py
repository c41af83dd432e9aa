"""`atelier export`: originals with provenance, sidecars and a manifest; resumable; safe names."""

from __future__ import annotations

import asyncio
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from typer.testing import CliRunner

from domain.files.services import ExportScope
from domain.kernel.errors import InvalidInput, NotFound
from graph.relay.ids import to_global_id
from graph.server.bootstrap import bootstrap
from graph.server.cli import app as cli
from storage.files.export_folder import LocalExportFolder
from storage.sql import tables as t
from tests import images
from tests.builders import make_tenant
from tests.graph.statements import count_statements
from tests.integration.files.exiftool import read_tags


@pytest.fixture
def export(adapters):
    files = bootstrap(adapters).files

    async def run(tenant, target: Path, **scope):
        return await files.export(
            org_slug=tenant.slug, scope=ExportScope(**scope), folder=LocalExportFolder(target)
        )

    return run


@pytest.fixture
def add_asset(adapters):
    async def add(tenant, name: str, data: bytes | None = None, **values) -> int:
        data = data if data is not None else images.png(text={"Author": "Jane Roe"})
        blob = await adapters.blobs.put("library", data)
        values.setdefault("mime_type", "image/png")
        return await tenant.asset(name, blob_key=blob.key, byte_size=blob.size, **values)

    return add


def listing(target: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(target.iterdir())}


class TestExport:
    async def test_a_folder_exports_originals_sidecars_and_a_manifest(
        self, tenant, add_asset, export, tmp_path
    ):
        folder = await tenant.folder("Campaigns")
        tag, project = await tenant.tag("hero"), await tenant.project("Summer")
        session = await tenant.session("Shoot")
        generation = await tenant.generation(session, "a fox")
        jpeg = images.jpeg(exif=images.exif(ifd0={0x013B: "Jane Roe"}))
        asset = await add_asset(
            tenant,
            "Fox",
            jpeg,
            mime_type="image/jpeg",
            folder_id=folder,
            tags=(tag,),
            projects=(project,),
            ai_generated=True,
            generation_id=generation,
            session_id=session,
            prompt="a fox & <friends>",
            provider="openai",
            model="gpt-image-1",
            seed=2**60,
            created_by_id=tenant.member_id,
            reviewed_by_id=tenant.member_id,
            rights_notes="ours",
        )
        await add_asset(tenant, "Elsewhere")  # not in the folder
        report = await export(tenant, tmp_path, folder_id=folder)
        assert (report.written, report.skipped, report.total) == (1, 0, 1)
        files = listing(tmp_path)
        assert set(files) == {"Fox.jpg", "Fox.jpg.json", "manifest.json"}
        tags = read_tags(files["Fox.jpg"], ".jpg")
        assert tags["XMP-iptcExt:AIPromptInformation"] == "a fox & <friends>"
        assert tags["XMP-iptcExt:AIPromptWriterName"] == "Owner"
        assert b"Jane Roe" not in files["Fox.jpg"]
        assert Image.open(io.BytesIO(files["Fox.jpg"])).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()
        sidecar = json.loads(files["Fox.jpg.json"])
        assert (
            sidecar["folder"] == ["Campaigns"]
            and sidecar["tags"] == ["hero"]
            and sidecar["projects"] == ["Summer"]
        )
        provenance = sidecar["provenance"]
        assert provenance["prompt"] == "a fox & <friends>" and provenance["seed"] == str(2**60)
        assert provenance["session"] == "Shoot" and provenance["createdBy"] == "Owner"
        assert provenance["review"]["reviewedBy"] == "Owner" and provenance["review"]["rightsNotes"] == "ours"
        manifest = json.loads(files["manifest.json"])
        assert manifest["organisation"] == tenant.slug
        assert manifest["assets"] == [
            {"assetId": asset, "file": "Fox.jpg", "sidecar": "Fox.jpg.json", "sha256": sidecar["sha256"]}
        ]

    async def test_a_second_run_skips_what_is_there_and_rewrites_what_changed(
        self, tenant, add_asset, export, tmp_path
    ):
        project = await tenant.project("Launch")
        for name in ("One", "Two", "Three"):
            await add_asset(tenant, name, projects=(project,))
        assert (await export(tenant, tmp_path, project_id=project)).written == 3
        first = listing(tmp_path)
        again = await export(tenant, tmp_path, project_id=project)
        assert (again.written, again.skipped) == (0, 3)
        (tmp_path / "Two.png").write_bytes(b"tampered")
        (tmp_path / "Three.png").unlink()
        mended = await export(tenant, tmp_path, project_id=project)
        assert (mended.written, mended.skipped) == (2, 1)
        after = listing(tmp_path)
        assert {k: v for k, v in after.items() if k != "manifest.json"} == {
            k: v for k, v in first.items() if k != "manifest.json"
        }
        assert not [name for name in os.listdir(tmp_path) if name.startswith(".tmp-")]

    async def test_hostile_and_clashing_names_stay_inside_and_unique(
        self, tenant, add_asset, export, tmp_path
    ):
        tag = await tenant.tag("hostile")
        names = [
            "../../etc/passwd",
            "CON",
            "a/b\\c",
            "bell\x07\x1b",  # NUL cannot be stored (PostgreSQL refuses it); names.py tests it
            "x" * 300,
            "Hero",
            "hero",
            "HERO.png",
            "..",
            "🦊",
        ]
        for name in names:
            await add_asset(tenant, name, tags=(tag,))
        target = tmp_path / "out"
        report = await export(tenant, target, tag_name="HOSTILE")
        assert report.total == len(names)
        written = [p for p in target.iterdir() if p.suffix == ".png"]
        assert len(written) == len(names)
        assert len({p.name.casefold() for p in written}) == len(names)
        assert all(p.resolve().parent == target.resolve() for p in written)
        assert all(len(p.name.encode()) < 255 and "\x00" not in p.name for p in written)
        assert not [p for p in written if p.stem.upper() in ("CON", "PRN", "AUX", "NUL")]
        assert {"hero.png", "hero-2.png", "hero-3.png"} <= {p.name.casefold() for p in written}
        assert list(tmp_path.iterdir()) == [target]  # nothing climbed out

    async def test_a_new_asset_never_takes_an_exported_asset_s_file(
        self, tenant, add_asset, export, tmp_path
    ):
        tag = await tenant.tag("same")
        old = await add_asset(tenant, "Hero", images.png(color=(1, 1, 1)), tags=(tag,))
        await export(tenant, tmp_path, tag_name="same")
        new = await add_asset(tenant, "Hero", images.png(color=(2, 2, 2)), tags=(tag,))
        report = await export(tenant, tmp_path, tag_name="same")
        assert (report.written, report.skipped) == (1, 1)
        files = {
            e["assetId"]: e["file"] for e in json.loads((tmp_path / "manifest.json").read_text())["assets"]
        }
        assert files == {old: "Hero.png", new: "Hero-2.png"}

    async def test_an_asset_whose_image_is_missing_is_left_out_and_named(
        self, tenant, add_asset, export, tmp_path
    ):
        folder = await tenant.folder()
        kept = await add_asset(tenant, "Kept", folder_id=folder)
        lost = await tenant.asset("Lost", folder_id=folder)  # its blob was never stored
        report = await export(tenant, tmp_path, folder_id=folder)
        assert (report.written, report.total, report.missing) == (1, 2, (lost,))
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        assert [e["assetId"] for e in manifest["assets"]] == [kept] and manifest["missing"] == [lost]

    async def test_another_organisation_s_folder_or_an_unknown_tag_is_not_found(
        self, engine, tenant, export, tmp_path
    ):
        other = await make_tenant(engine)
        theirs = await other.folder()
        with pytest.raises(NotFound):
            await export(tenant, tmp_path, folder_id=theirs)
        with pytest.raises(NotFound):
            await export(tenant, tmp_path, tag_name="nope")
        with pytest.raises(InvalidInput):
            ExportScope(folder_id=1, tag_name="x")
        assert not tmp_path.exists() or not list(tmp_path.iterdir())


class TestExportPlacements:
    async def test_a_sidecar_lists_the_asset_s_placements_with_their_project_and_schedule(
        self, tenant, add_asset, export, tmp_path
    ):
        folder, project = await tenant.folder(), await tenant.project("Autumn launch")
        asset = await add_asset(tenant, "Hero", folder_id=folder)
        await add_asset(tenant, "Unused", folder_id=folder)
        scheduled = datetime(2026, 9, 1, 8, 30, tzinfo=UTC)
        await tenant.placement(
            asset,
            "https://cms.example.com/posts/autumn",
            state="approved",
            project_id=project,
            scheduled_at=scheduled,
        )
        await tenant.placement(asset, "instagram:campaign-7", kind="social_post")

        await export(tenant, tmp_path, folder_id=folder)

        assert json.loads((tmp_path / "Hero.png.json").read_text())["placements"] == [
            {
                "kind": "featured_image",
                "targetRef": "https://cms.example.com/posts/autumn",
                "state": "approved",
                "project": "Autumn launch",
                "scheduledAt": scheduled.isoformat(),
            },
            {
                "kind": "social_post",
                "targetRef": "instagram:campaign-7",
                "state": "proposed",
                "project": None,
                "scheduledAt": None,
            },
        ]
        assert json.loads((tmp_path / "Unused.png.json").read_text())["placements"] == []

    async def test_a_page_of_placed_assets_costs_the_same_reads_as_one(
        self, engine, tenant, add_asset, export, tmp_path
    ):
        counts = []
        for size in (1, 20):
            folder = await tenant.folder(f"F{size}")
            for i in range(size):
                asset = await add_asset(tenant, f"A{i}", images.png(color=(size, i, 0)), folder_id=folder)
                await tenant.placement(asset, f"post-{i}", project_id=await tenant.project(f"P{size}-{i}"))
            with count_statements(engine) as statements:
                await export(tenant, tmp_path / f"f{size}", folder_id=folder)
            counts.append(len(statements))
        assert counts[0] == counts[1], counts


class TestStaleFiles:
    async def test_files_of_assets_no_longer_in_scope_are_listed_as_stale_and_left_in_place(
        self, engine, tenant, add_asset, export, tmp_path
    ):
        project = await tenant.project("Launch")
        kept = await add_asset(tenant, "Kept", images.png(color=(1, 0, 0)), projects=(project,))
        left = await add_asset(tenant, "Left", images.png(color=(2, 0, 0)), projects=(project,))
        await export(tenant, tmp_path, project_id=project)
        left_bytes = (tmp_path / "Left.png").read_bytes()
        await unlink(engine, tenant.org_id, left, project)

        report = await export(tenant, tmp_path, project_id=project)

        assert (report.written, report.skipped, report.total, report.stale) == (0, 1, 1, ("Left.png",))
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        assert [e["assetId"] for e in manifest["assets"]] == [kept]
        assert manifest["stale"] == [{"assetId": left, "file": "Left.png", "sidecar": "Left.png.json"}]
        assert (tmp_path / "Left.png").read_bytes() == left_bytes and (tmp_path / "Left.png.json").exists()

        # a later run still knows the file: it stays stale, and a new asset of that name never takes it
        newcomer = await add_asset(tenant, "Left", images.png(color=(3, 0, 0)), projects=(project,))
        again = await export(tenant, tmp_path, project_id=project)
        assert again.stale == ("Left.png",)
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        assert {e["assetId"]: e["file"] for e in manifest["assets"]} == {
            kept: "Kept.png",
            newcomer: "Left-2.png",
        }
        assert (tmp_path / "Left.png").read_bytes() == left_bytes

        (tmp_path / "Left.png").unlink()  # the user deleted it: nothing stale any more
        assert (await export(tenant, tmp_path, project_id=project)).stale == ()

    async def test_a_missing_image_s_earlier_file_is_not_stale(self, tenant, add_asset, export, tmp_path):
        folder = await tenant.folder()
        asset = await add_asset(tenant, "Lost later", folder_id=folder)
        await export(tenant, tmp_path, folder_id=folder)
        await forget_blob(tenant, asset)
        report = await export(tenant, tmp_path, folder_id=folder)
        assert (report.missing, report.stale) == ((asset,), ())


async def unlink(engine, org_id: int, asset_id: int, project_id: int) -> None:
    ap = t.asset_projects
    async with engine.begin() as conn:
        await conn.execute(
            sa.delete(ap).where(
                ap.c.org_id == org_id, ap.c.asset_id == asset_id, ap.c.project_id == project_id
            )
        )


async def forget_blob(tenant, asset_id: int) -> None:
    """Point the asset at a blob the store never had (as if its file were lost)."""
    a = t.assets

    async def point(conn) -> None:
        await conn.execute(sa.update(a).where(a.c.id == asset_id).values(blob_key="0" * 64))

    await tenant.run(point)


class TestExportCommand:
    async def test_the_cli_exports_by_global_id_and_refuses_two_scopes(
        self, tenant, add_asset, settings, database_url, tmp_path, monkeypatch
    ):
        folder = await tenant.folder("F")
        await add_asset(tenant, "Only", folder_id=folder)
        monkeypatch.setenv("ATELIER_DATABASE_URL", database_url)
        monkeypatch.setenv("ATELIER_DATA_DIR", str(settings.data_dir))
        runner = CliRunner()
        args = ["export", "--org", tenant.slug, "--to", str(tmp_path)]
        done = await _in_thread(runner.invoke, cli, [*args, "--folder", to_global_id("Folder", folder)])
        assert done.exit_code == 0, done.output
        assert (tmp_path / "Only.png").exists()
        refused = await _in_thread(runner.invoke, cli, [*args, "--folder", "1", "--tag", "x"])
        assert refused.exit_code == 1


async def _in_thread(function, *args):
    """The CLI runs its own event loop: call it off this test's loop."""
    return await asyncio.to_thread(function, *args)
