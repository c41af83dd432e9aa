"""LibraryRepository and IdempotencyRepository: SQL and fake alike."""

from __future__ import annotations

import unicodedata

from domain.kernel.idempotency import IdempotentResult
from tests.contracts.conftest import NOW, blob_key, new_asset


class TestReadsByIdStayInTheOrganisation:
    async def test_folders_brand_kits_projects_and_assets(self, backend, orgs):
        kit = await backend.brand_kit(orgs.org.id)
        [asset] = await backend.assets(orgs.org.id, "Hero")
        async with backend.uow() as uow:
            folder = await uow.library.add_folder(orgs.org.id, "Campaigns", None, NOW)
            project = await uow.library.add_project(orgs.org.id, "Launch", "", NOW)
            await uow.commit()
        unknown = 10**12
        async with backend.uow() as uow:
            lib = uow.library
            assert await lib.folder(orgs.org.id, folder.id) == folder
            assert (await lib.brand_kit(orgs.org.id, kit)).id == kit
            assert await lib.projects(orgs.org.id, [project.id, unknown]) == {project.id: project}
            assert await lib.assets(orgs.org.id, [asset.id, unknown]) == {asset.id: asset}
            assert await lib.folder(orgs.other.id, folder.id) is None
            assert await lib.brand_kit(orgs.other.id, kit) is None
            assert await lib.projects(orgs.other.id, [project.id]) == {}
            assert await lib.assets(orgs.other.id, [asset.id]) == {}
            assert await lib.folder(orgs.org.id, unknown) is None
            assert await lib.brand_kit(orgs.org.id, unknown) is None


async def test_added_assets_come_back_in_the_order_given(backend, orgs):
    names = ["c", "a", "b", "e", "d"]
    async with backend.uow() as uow:
        added = await uow.library.add_assets([new_asset(orgs.org.id, n) for n in names])
        assert await uow.library.add_assets([]) == []
        await uow.commit()
    assert [a.name for a in added] == names and len({a.id for a in added}) == len(names)
    assert not any(a.ai_generated or a.trashed_at for a in added)
    async with backend.uow() as uow:
        assert await uow.library.assets(orgs.org.id, [a.id for a in added]) == {a.id: a for a in added}


class TestEnsureTags:
    async def test_creates_the_new_ones_and_answers_each_name_in_order(self, backend, orgs):
        async with backend.uow() as uow:
            [sky], created = await uow.library.ensure_tags(orgs.org.id, ["Sky"], NOW)
            assert created == {sky.id} and sky.name == "Sky"
            tags, created = await uow.library.ensure_tags(orgs.org.id, ["sea", "SKY", "Sea"], NOW)
            await uow.commit()
        sea = tags[0]
        assert [t.id for t in tags] == [sea.id, sky.id, sea.id]
        assert created == {sea.id} and sea.name == "sea"  # a new tag takes the first spelling
        async with backend.uow() as uow:
            assert await uow.library.ensure_tags(orgs.org.id, [], NOW) == ([], set())

    async def test_names_that_look_the_same_are_one_tag(self, backend, orgs):
        decomposed = unicodedata.normalize("NFD", "Café")
        async with backend.uow() as uow:
            tags, created = await uow.library.ensure_tags(orgs.org.id, ["Café", "Straße", "summer sale"], NOW)
            await uow.commit()
        assert len(created) == 3
        async with backend.uow() as uow:
            again, created = await uow.library.ensure_tags(
                orgs.org.id, [decomposed, "STRASSE", "summer\u00a0 sale", "Café\u200b"], NOW
            )
        assert created == set()
        assert [t.id for t in again] == [tags[0].id, tags[1].id, tags[2].id, tags[0].id]

    async def test_each_organisation_has_its_own_tags(self, backend, orgs):
        async with backend.uow() as uow:
            [ours], _ = await uow.library.ensure_tags(orgs.org.id, ["Hero"], NOW)
            [theirs], created = await uow.library.ensure_tags(orgs.other.id, ["hero"], NOW)
            await uow.commit()
        assert created == {theirs.id} and theirs.id != ours.id
        assert (ours.org_id, theirs.org_id) == (orgs.org.id, orgs.other.id)


class TestFoldersAndProjects:
    async def test_a_sibling_folder_of_the_same_name_in_any_case_is_refused(self, backend, orgs):
        async with backend.uow() as uow:
            lib = uow.library
            root = await lib.add_folder(orgs.org.id, "Campaigns", None, NOW)
            assert await lib.add_folder(orgs.org.id, "CAMPAIGNS", None, NOW) is None
            child = await lib.add_folder(orgs.org.id, "Campaigns", root.id, NOW)  # another parent
            assert child is not None and child.parent_id == root.id
            assert await lib.add_folder(orgs.org.id, "campaigns\u200b", root.id, NOW) is None
            assert await lib.add_folder(orgs.other.id, "Campaigns", None, NOW) is not None
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.library.folder(orgs.org.id, root.id) == root

    async def test_a_project_of_the_same_name_in_any_case_is_refused(self, backend, orgs):
        async with backend.uow() as uow:
            lib = uow.library
            project = await lib.add_project(orgs.org.id, "Summer sale", "June", NOW)
            assert (project.name, project.description, project.archived) == ("Summer sale", "June", False)
            assert await lib.add_project(orgs.org.id, "SUMMER  SALE", "", NOW) is None
            assert await lib.add_project(orgs.other.id, "Summer sale", "", NOW) is not None
            await uow.commit()


class TestIdempotencyKeys:
    async def test_the_first_result_for_a_key_is_kept(self, backend, orgs):
        first, twin = IdempotentResult("f" * 64, (3, 1, 2)), IdempotentResult("e" * 64, (9,))
        async with backend.uow() as uow:
            assert await uow.idempotency.get(orgs.org.id, "save", "k1") is None
            assert await uow.idempotency.put(orgs.org.id, "save", "k1", first, NOW)
            assert not await uow.idempotency.put(orgs.org.id, "save", "k1", twin, NOW)  # taken
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.idempotency.get(orgs.org.id, "save", "k1") == first  # ids in order

    async def test_a_key_is_per_organisation_and_scope(self, backend, orgs):
        result = IdempotentResult("a" * 64, (1,))
        async with backend.uow() as uow:
            assert await uow.idempotency.put(orgs.org.id, "save", "k", result, NOW)
            assert await uow.idempotency.get(orgs.other.id, "save", "k") is None
            assert await uow.idempotency.get(orgs.org.id, "generate", "k") is None
            assert await uow.idempotency.put(orgs.other.id, "save", "k", result, NOW)
            assert await uow.idempotency.put(orgs.org.id, "generate", "k", result, NOW)
            await uow.commit()


class TestLibraryLookups:
    async def test_the_live_asset_holding_each_key_is_the_oldest_in_the_organisation(self, backend, orgs):
        key, other_key = blob_key(), blob_key()
        older, newer = await backend.assets(orgs.org.id, "Older", "Newer", blob_key=key)
        await backend.assets(orgs.other.id, "Theirs", blob_key=other_key)
        async with backend.uow() as uow:
            found = await uow.library_lookups.live_assets_by_blob_keys(orgs.org.id, [key, other_key, key])
        assert {k: a.id for k, a in found.items()} == {key: older.id}
        assert newer.id > older.id

    async def test_folders_are_found_in_bulk_within_the_organisation(self, backend, orgs):
        async with backend.uow() as uow:
            ours = await uow.library.add_folder(orgs.org.id, "Ours", None, NOW)
            theirs = await uow.library.add_folder(orgs.other.id, "Theirs", None, NOW)
            await uow.commit()
        async with backend.uow() as uow:
            found = await uow.library_lookups.folders(orgs.org.id, [ours.id, theirs.id, ours.id])
            assert await uow.library_lookups.folders(orgs.org.id, []) == {}
        assert list(found) == [ours.id] and found[ours.id].name == "Ours"

    async def test_tags_are_found_by_name_key_within_the_organisation(self, backend, orgs):
        async with backend.uow() as uow:
            [hero], _ = await uow.library.ensure_tags(orgs.org.id, ["Hero"], NOW)
            await uow.library.ensure_tags(orgs.other.id, ["Theirs"], NOW)
            await uow.commit()
        async with backend.uow() as uow:
            found = await uow.library_lookups.tags_by_names(
                orgs.org.id, ["HERO", "hero\u200b", "Theirs", "none"]
            )
            assert await uow.library_lookups.tags_by_names(orgs.org.id, []) == {}
        assert {k: tag.id for k, tag in found.items()} == {"hero": hero.id}
