"""LibraryRepository's organising methods (folders, projects, tags): SQL and fake alike."""

from __future__ import annotations

from dataclasses import replace

from tests.contracts.conftest import NOW


async def folders(backend, org_id):
    """Campaigns / Summer / Heroes, and Archive at the root."""
    async with backend.uow() as uow:
        lib = uow.library
        campaigns = await lib.add_folder(org_id, "Campaigns", None, NOW)
        summer = await lib.add_folder(org_id, "Summer", campaigns.id, NOW)
        heroes = await lib.add_folder(org_id, "Heroes", summer.id, NOW)
        archive = await lib.add_folder(org_id, "Archive", None, NOW)
        await uow.commit()
    return campaigns, summer, heroes, archive


class TestFolders:
    async def test_ancestry_runs_from_the_folder_up_to_the_root_within_the_organisation(self, backend, orgs):
        campaigns, summer, heroes, _ = await folders(backend, orgs.org.id)
        async with backend.uow() as uow:
            await uow.library.lock_folder_tree(orgs.org.id)
            assert list(await uow.library.folder_ancestry(orgs.org.id, heroes.id)) == [
                heroes.id,
                summer.id,
                campaigns.id,
            ]
            assert list(await uow.library.folder_ancestry(orgs.other.id, heroes.id)) == []

    async def test_rename_and_move_refuse_a_name_a_sibling_has(self, backend, orgs):
        campaigns, summer, _, archive = await folders(backend, orgs.org.id)
        async with backend.uow() as uow:
            assert await uow.library.rename_folder(orgs.org.id, campaigns.id, "ARCHIVE\u200b") is None
        async with backend.uow() as uow:
            renamed = await uow.library.rename_folder(orgs.org.id, campaigns.id, "Campagnes")
            assert renamed.name == "Campagnes"
            await uow.commit()
        async with backend.uow() as uow:
            moved = await uow.library.move_folder(orgs.org.id, summer.id, archive.id)
            assert moved.parent_id == archive.id
            await uow.commit()
        async with backend.uow() as uow:
            await uow.library.add_folder(orgs.org.id, "summer", None, NOW)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.library.move_folder(orgs.org.id, summer.id, None) is None

    async def test_delete_moves_the_content_or_refuses_a_name_clash(self, backend, orgs):
        campaigns, summer, heroes, archive = await folders(backend, orgs.org.id)
        [asset] = await backend.assets(orgs.org.id, "Hero", folder_id=campaigns.id)
        async with backend.uow() as uow:
            assert not await uow.library.folder_is_empty(orgs.org.id, summer.id)
            assert await uow.library.folder_is_empty(orgs.org.id, heroes.id)
            await uow.library.add_folder(orgs.org.id, "SUMMER", archive.id, NOW)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.library.delete_folder(orgs.org.id, campaigns.id, archive.id) is None
        async with backend.uow() as uow:
            assert await uow.library.delete_folder(orgs.org.id, campaigns.id, None) == (1, 1)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.library.folder(orgs.org.id, campaigns.id) is None
            assert (await uow.library.folder(orgs.org.id, summer.id)).parent_id is None
            assert (await uow.library.assets(orgs.org.id, [asset.id]))[asset.id].folder_id is None


class TestProjects:
    async def test_update_refuses_a_name_another_project_has(self, backend, orgs):
        async with backend.uow() as uow:
            launch = await uow.library.add_project(orgs.org.id, "Launch", "", NOW)
            sale = await uow.library.add_project(orgs.org.id, "Sale", "", NOW)
            await uow.commit()
        async with backend.uow() as uow:
            assert not await uow.library.update_project(replace(sale, name="LAUNCH"))
        async with backend.uow() as uow:
            assert await uow.library.update_project(replace(sale, description="June", archived=True))
            await uow.commit()
        async with backend.uow() as uow:
            found = await uow.library.projects(orgs.org.id, [sale.id, launch.id])
        assert found[sale.id] == replace(sale, description="June", archived=True)

    async def test_links_are_added_once_and_removed_once(self, backend, orgs):
        a, b = await backend.assets(orgs.org.id, "A", "B")
        async with backend.uow() as uow:
            project = await uow.library.add_project(orgs.org.id, "Launch", "", NOW)
            assert await uow.library.link_project_assets(orgs.org.id, project.id, [a.id]) == {a.id}
            assert await uow.library.link_project_assets(orgs.org.id, project.id, [a.id, b.id]) == {b.id}
            assert await uow.library.unlink_project_assets(orgs.org.id, project.id, [a.id]) == {a.id}
            assert await uow.library.unlink_project_assets(orgs.org.id, project.id, [a.id]) == set()
            assert await uow.library.unlink_project_assets(orgs.other.id, project.id, [b.id]) == set()


class TestTags:
    async def test_add_and_rename_refuse_a_name_another_tag_has(self, backend, orgs):
        async with backend.uow() as uow:
            hero = await uow.library.add_tag(orgs.org.id, "Hero", NOW)
            sky = await uow.library.add_tag(orgs.org.id, "Sky", NOW)
            assert await uow.library.add_tag(orgs.org.id, "HERO\u200b", NOW) is None
        async with backend.uow() as uow:
            assert await uow.library.tag(orgs.org.id, hero.id) is None  # rolled back with the rest
        async with backend.uow() as uow:
            hero = await uow.library.add_tag(orgs.org.id, "Hero", NOW)
            sky = await uow.library.add_tag(orgs.org.id, "Sky", NOW)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.library.rename_tag(orgs.org.id, sky.id, "hero") is None
        async with backend.uow() as uow:
            assert (await uow.library.rename_tag(orgs.org.id, sky.id, "Sea")).name == "Sea"
            assert await uow.library.tag(orgs.other.id, sky.id) is None

    async def test_merge_moves_links_without_duplicates_and_delete_unlinks(self, backend, orgs):
        async with backend.uow() as uow:
            [hero, sky, sea], _ = await uow.library.ensure_tags(orgs.org.id, ["Hero", "Sky", "Sea"], NOW)
            await uow.commit()
        await backend.assets(orgs.org.id, "Both", tag_ids=(hero.id, sky.id))
        await backend.assets(orgs.org.id, "Hero only", tag_ids=(hero.id,))
        await backend.assets(orgs.org.id, "Sea", tag_ids=(sea.id, sky.id))
        async with backend.uow() as uow:
            assert await uow.library.merge_tags(orgs.org.id, hero.id, sky.id) == 1
            assert await uow.library.tag(orgs.org.id, hero.id) is None
            assert await uow.library.delete_tag(orgs.org.id, sky.id) == 3
            assert await uow.library.delete_tag(orgs.org.id, sea.id) == 1
            await uow.commit()
