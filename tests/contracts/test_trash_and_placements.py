"""TrashRepository and PlacementRepository: SQL and fake alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from domain.library.placements.model import NewPlacement, PlacementKind, PlacementState
from tests.contracts.conftest import NOW

WINDOW = timedelta(days=30)


def new_placement(
    org_id, asset_id, target="https://cms.example.com/p/1", kind=PlacementKind.INLINE, **values
):
    return NewPlacement(
        org_id=org_id,
        asset_id=asset_id,
        kind=kind,
        target_ref=target,
        project_id=None,
        scheduled_at=None,
        proposed_by_id=values.pop("proposed_by_id", None),
        created_at=NOW,
        **values,
    )


class TestTrash:
    async def test_trash_and_restore_change_only_what_is_not_there_yet_in_the_organisation(
        self, backend, orgs
    ):
        a, b = await backend.assets(orgs.org.id, "A", "B")
        async with backend.uow() as uow:
            assert await uow.trash.trash_assets(orgs.org.id, [a.id], NOW) == {a.id}
            assert await uow.trash.trash_assets(orgs.org.id, [a.id, b.id], NOW) == {b.id}
            assert await uow.trash.trash_assets(orgs.other.id, [a.id], NOW) == set()
            await uow.commit()
        async with backend.uow() as uow:
            found = await uow.library.assets(orgs.org.id, [a.id])
            assert found[a.id].trashed_at == NOW
            later = NOW + timedelta(hours=1)
            assert await uow.trash.restore_assets(orgs.other.id, [a.id], later) == set()
            assert await uow.trash.restore_assets(orgs.org.id, [a.id], later) == {a.id}
            assert await uow.trash.restore_assets(orgs.org.id, [a.id], later) == set()
            restored = (await uow.library.assets(orgs.org.id, [a.id]))[a.id]
            assert (restored.trashed_at, restored.updated_at) == (None, later)

    async def test_a_purge_deletes_trashed_assets_only_and_says_what_each_held(self, backend, orgs):
        trashed, live = await backend.assets(orgs.org.id, "T", "L", byte_size=321)
        async with backend.uow() as uow:
            await uow.trash.trash_assets(orgs.org.id, [trashed.id], NOW)
            assert await uow.trash.purge_assets(orgs.other.id, [trashed.id]) == []
            gone = await uow.trash.purge_assets(orgs.org.id, [trashed.id, live.id])
            assert [(p.id, p.org_id, p.blob_key, p.byte_size) for p in gone] == [
                (trashed.id, orgs.org.id, trashed.blob_key, 321)
            ]
            assert await uow.trash.purge_assets(orgs.org.id, [trashed.id]) == []  # once only
            assert await uow.trash.purge_assets(orgs.org.id, []) == []
            assert set(await uow.library.assets(orgs.org.id, [trashed.id, live.id])) == {live.id}

    async def test_the_retention_cut_off_is_the_entitys_in_the_sweep_and_the_purge(self, backend, orgs):
        now = NOW + timedelta(days=60)
        cases = {
            "long ago": now - WINDOW - timedelta(seconds=1),
            "on the cut-off": now - WINDOW,
            "lately": now - timedelta(days=1),
        }
        assets = await backend.assets(orgs.org.id, *cases)
        async with backend.uow() as uow:
            for asset, at in zip(assets, cases.values(), strict=True):
                await uow.trash.trash_assets(orgs.org.id, [asset.id], at)
            await uow.commit()
        ids = [a.id for a in assets]
        async with backend.uow() as uow:
            stored = await uow.library.assets(orgs.org.id, ids)
            due = {a.id for a in await uow.trash.expired_trash(now - WINDOW, limit=10_000) if a.id in stored}
            assert due == {i for i in ids if stored[i].purge_due(now, WINDOW)} == {assets[0].id}
            gone = await uow.trash.purge_assets(orgs.org.id, ids, trashed_before=now - WINDOW)
            assert [p.id for p in gone] == [assets[0].id]


class TestPlacements:
    async def test_a_placement_is_added_once_per_asset_target_and_kind(self, backend, orgs):
        [asset] = await backend.assets(orgs.org.id, "A")
        async with backend.uow() as uow:
            first, created = await uow.placements.add(new_placement(orgs.org.id, asset.id))
            again, created_again = await uow.placements.add(new_placement(orgs.org.id, asset.id))
            other_kind, _ = await uow.placements.add(
                new_placement(orgs.org.id, asset.id, kind=PlacementKind.SOCIAL_POST)
            )
            await uow.commit()
        assert (created, created_again, again) == (True, False, first)
        assert first.state is PlacementState.PROPOSED and other_kind.id != first.id
        async with backend.uow() as uow:
            assert await uow.placements.get(orgs.org.id, first.id) == first
            assert await uow.placements.get(orgs.other.id, first.id) is None
            assert await uow.placements.count_by_asset(orgs.org.id, [asset.id]) == {asset.id: 2}
            assert await uow.placements.count_by_asset(orgs.other.id, [asset.id]) == {}

    async def test_approval_is_a_compare_and_set_and_removal_returns_what_it_removed(self, backend, orgs):
        [asset] = await backend.assets(orgs.org.id, "A")
        async with backend.uow() as uow:
            placement, _ = await uow.placements.add(new_placement(orgs.org.id, asset.id))
            approved = placement.approve(by=orgs.member.id, at=NOW)
            assert await uow.placements.approve(approved)
            assert not await uow.placements.approve(approved)  # approved already
            assert await uow.placements.get(orgs.org.id, placement.id) == approved
            assert await uow.placements.remove(orgs.other.id, placement.id) is None
            assert await uow.placements.remove(orgs.org.id, placement.id) == approved
            assert await uow.placements.remove(orgs.org.id, placement.id) is None
            assert not await uow.placements.approve(replace(approved, id=placement.id))

    async def test_removing_an_assets_placements_takes_them_all_and_no_others(self, backend, orgs):
        a, b = await backend.assets(orgs.org.id, "A", "B")
        async with backend.uow() as uow:
            for target in ("x", "y"):
                await uow.placements.add(new_placement(orgs.org.id, a.id, target))
            kept, _ = await uow.placements.add(new_placement(orgs.org.id, b.id))
            assert await uow.placements.remove_for_assets(orgs.other.id, [a.id]) == []
            removed = await uow.placements.remove_for_assets(orgs.org.id, [a.id])
            assert [p.target_ref for p in removed] == ["x", "y"]
            assert await uow.placements.count_by_asset(orgs.org.id, [a.id, b.id]) == {b.id: 1}
            assert await uow.placements.get(orgs.org.id, kept.id) == kept

    async def test_a_purge_takes_the_assets_placements_with_it(self, backend, orgs):
        [asset] = await backend.assets(orgs.org.id, "A")
        async with backend.uow() as uow:
            placement, _ = await uow.placements.add(new_placement(orgs.org.id, asset.id))
            await uow.trash.trash_assets(orgs.org.id, [asset.id], NOW)
            await uow.trash.purge_assets(orgs.org.id, [asset.id])
            assert await uow.placements.get(orgs.org.id, placement.id) is None
