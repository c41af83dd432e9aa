"""createProject, createFolder and saveToLibrary's tags: names that look the same are one name, on both databases."""

from __future__ import annotations

import pytest

from tests.builders import gql
from tests.graph.library.test_names_and_cursors import CREATE_FOLDER, CREATE_PROJECT
from tests.unit.library.test_name_keys import LOOK_DIFFERENT, LOOK_THE_SAME

PAIRS = LOOK_THE_SAME[:9]  # the review's pairs; the rest are checked on the rule itself


async def create(client, token, mutation, name):
    _, body = await gql(client, token, mutation, {"name": name})
    payload = next(iter(body["data"].values()))
    return [e["code"] for e in payload["userErrors"]]


class TestNamesThatLookTheSame:
    @pytest.mark.parametrize(("first", "second"), PAIRS, ids=[repr(second) for _, second in PAIRS])
    async def test_a_second_project_that_looks_the_same_is_a_conflict(self, client, tenant, first, second):
        assert await create(client, tenant.token, CREATE_PROJECT, first) == []
        expected = ["INVALID_INPUT"] if "\t" in second else ["CONFLICT"]  # a tab inside a name is refused
        assert await create(client, tenant.token, CREATE_PROJECT, second) == expected

    async def test_a_sibling_folder_that_looks_the_same_is_a_conflict(self, client, tenant):
        assert await create(client, tenant.token, CREATE_FOLDER, "Summer sale") == []
        assert await create(client, tenant.token, CREATE_FOLDER, "summer\u00a0\u200bSALE\ufe0f") == [
            "CONFLICT"
        ]

    @pytest.mark.parametrize(("first", "second"), LOOK_DIFFERENT[:4])
    async def test_distinct_emoji_sequences_are_two_projects(self, client, tenant, first, second):
        assert await create(client, tenant.token, CREATE_PROJECT, first) == []
        assert await create(client, tenant.token, CREATE_PROJECT, second) == []
