"""A projection names only what the entity has, and only what travels as JSON for a related one."""

from __future__ import annotations

import re

import pytest

from domain.kernel.projection import Projection, Related
from domain.library.model import Asset, Folder, Tag
from domain.library.queries import assets_projection

RELATIONS = {"folder": Folder, "tags": Tag}


def of(fields=(), extras=(), related=None, total=False):
    return Projection.of(Asset, fields, extras, ("favourite",), total, related, RELATIONS)


class TestProjection:
    def test_the_same_projection_whatever_the_order_and_repeats(self):
        first = of(["name", "width", "name", "id"], ["favourite"], {"tags": ["name", "id"]})
        again = of(["width", "name"], ["favourite", "favourite"], {"tags": ["name"]})
        assert first == again
        assert first.fields == ("name", "width")  # `id` always leads a row; never a field
        assert first.related == (Related("tags", ("name",)),)
        assert hash(first) == hash(again)  # a statement is built once per projection

    @pytest.mark.parametrize(
        ("fields", "extras", "related", "refused"),
        [
            (["name", "colour"], [], {}, "colour"),
            (["name"], ["like_count"], {}, "like_count"),
            ([], [], {"session": ["title"]}, "session"),
            ([], [], {"folder": ["created_at"]}, "folder.created_at"),  # a time: not the same from JSON
            ([], [], {"folder": ["parent_id"]}, "folder.parent_id"),  # may be null
            ([], [], {"tags": ["colour"]}, "tags.colour"),
        ],
    )
    def test_refuses_what_the_entity_or_the_list_does_not_have(self, fields, extras, related, refused):
        with pytest.raises(ValueError, match=re.escape(refused)):
            of(fields, extras, related)

    def test_a_related_truth_value_is_refused_it_would_come_back_as_0_or_1(self):
        with pytest.raises(ValueError, match=re.escape("projects.archived")):
            assets_projection([], [], False, {"projects": ["archived"]})
