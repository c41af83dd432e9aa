"""The organising rules the entities carry: no folder cycles, no content into a deleted subtree,
no links to archived projects or trashed assets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.kernel.errors import ErrorCode, InvalidInput
from domain.library.model import Folder, Project

AT = datetime(2026, 6, 1, tzinfo=UTC)
FOLDER = Folder(id=2, org_id=1, parent_id=1, name="Summer", created_at=AT)


class TestFolderMoves:
    def test_a_move_under_a_folder_outside_its_subtree_passes(self):
        FOLDER.check_move(7, (7, 1))  # folder 7, a sibling under 1

    def test_a_move_to_the_root_passes(self):
        FOLDER.check_move(None, ())

    @pytest.mark.parametrize(
        ("parent", "ancestry"),
        [(2, (2, 1)), (3, (3, 2, 1)), (9, (9, 4, 3, 2, 1))],
        ids=["itself", "a child", "a deep descendant"],
    )
    def test_a_move_into_its_own_subtree_is_invalid_input(self, parent, ancestry):
        with pytest.raises(InvalidInput) as e:
            FOLDER.check_move(parent, ancestry)
        assert e.value.field == "parentId"

    def test_content_cannot_go_into_the_folder_being_deleted_or_below_it(self):
        with pytest.raises(InvalidInput) as e:
            FOLDER.check_content_destination(3, (3, 2, 1))
        assert e.value.field == "moveContentTo"
        FOLDER.check_content_destination(1, (1,))
        FOLDER.check_content_destination(None, ())


class TestProjectLinks:
    def test_an_archived_project_takes_no_assets(self):
        project = Project(id=1, org_id=1, name="P", description="", archived=False, created_at=AT)
        assert project.cannot_take_assets() is None
        problem = replace(project, archived=True).cannot_take_assets()
        assert problem is not None and problem.code is ErrorCode.INVALID_STATE
