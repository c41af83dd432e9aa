"""Library and Studio reads: scoped to the actor's organisation, with a validated page request."""

from __future__ import annotations

import pytest

from domain.kernel.access import Actor, Role
from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.kernel.pagination import Page, PageRequest
from domain.library import queries as library
from domain.library.filters import ProjectFilter
from domain.studio import queries as studio
from domain.studio.filters import GenerationFilter, SessionFilter
from domain.studio.model import ReviewState, SessionState
from tests.unit.fakes import Call, FakeLibraryReads, FakeStudioReads

ACTOR = Actor(org_id=42, member_id=7, role=Role.VIEWER, token_id=3)

PROJECT_FILTER = ProjectFilter(archived=False)
SESSION_FILTER = SessionFilter(state=SessionState.OPEN)
GENERATION_FILTER = GenerationFilter(session_id=9, review_state=ReviewState.PENDING)

# (service, the reads fake it calls, its keyword arguments besides paging,
#  the port method, the arguments before the page, a key of the list's shape)
SERVICES = [
    pytest.param(
        library.list_folders,
        FakeLibraryReads,
        {"parent_id": 8},
        "folders",
        (42, 8),
        ("drafts", 10),
        id="list_folders",
    ),
    pytest.param(
        library.list_folders,
        FakeLibraryReads,
        {"parent_id": None},
        "folders",
        (42, None),
        ("drafts", 10),
        id="list_folders-roots",
    ),
    pytest.param(
        library.list_projects,
        FakeLibraryReads,
        {"filter": PROJECT_FILTER},
        "projects",
        (42, PROJECT_FILTER),
        ("launch", 10),
        id="list_projects",
    ),
    pytest.param(library.list_tags, FakeLibraryReads, {}, "tags", (42,), ("summer", 10), id="list_tags"),
    pytest.param(
        studio.list_sessions,
        FakeStudioReads,
        {"filter": SESSION_FILTER},
        "sessions",
        (42, SESSION_FILTER),
        (10,),
        id="list_sessions",
    ),
    pytest.param(
        studio.list_generations,
        FakeStudioReads,
        {"filter": GENERATION_FILTER},
        "generations",
        (42, GENERATION_FILTER),
        (10,),
        id="list_generations",
    ),
    pytest.param(
        studio.list_brand_kits,
        FakeStudioReads,
        {},
        "brand_kits",
        (42,),
        ("house style", 10),
        id="list_brand_kits",
    ),
]
COLUMNS = ("service", "fake", "kwargs", "method", "scope", "key")


class TestReadServicesCallTheReadsPort:
    @pytest.mark.parametrize(COLUMNS, SERVICES)
    async def test_the_actors_organisation_and_the_default_page_are_passed_on(
        self, service, fake, kwargs, method, scope, key
    ):
        reads = fake()
        page = await service(reads, ACTOR, **kwargs, first=None, after=None)
        assert reads.calls == [Call(method, (*scope, PageRequest(first=20, after=None)))]
        assert page == Page.empty()

    @pytest.mark.parametrize(COLUMNS, SERVICES)
    async def test_the_size_and_cursor_are_passed_on(self, service, fake, kwargs, method, scope, key):
        reads = fake()
        await service(reads, ACTOR, **kwargs, first=3, after=key)
        assert reads.calls == [Call(method, (*scope, PageRequest(first=3, after=key)))]

    @pytest.mark.parametrize(COLUMNS, SERVICES)
    @pytest.mark.parametrize("role", list(Role))
    async def test_every_role_may_read(self, service, fake, kwargs, method, scope, key, role):
        reads = fake()
        await service(reads, Actor(org_id=42, member_id=1, role=role), **kwargs, first=1, after=None)
        assert [c.method for c in reads.calls] == [method]


class TestReadServicesRefuseBadPagesBeforeCallingThePort:
    @pytest.mark.parametrize(COLUMNS, SERVICES)
    async def test_more_than_a_hundred_rows_exceeds_the_limit(
        self, service, fake, kwargs, method, scope, key
    ):
        reads = fake()
        with pytest.raises(LimitExceeded) as raised:
            await service(reads, ACTOR, **kwargs, first=101, after=None)
        assert raised.value.field == "first"
        assert reads.calls == []

    @pytest.mark.parametrize(COLUMNS, SERVICES)
    async def test_a_negative_size_is_invalid_input(self, service, fake, kwargs, method, scope, key):
        reads = fake()
        with pytest.raises(InvalidInput):
            await service(reads, ACTOR, **kwargs, first=-1, after=None)
        assert reads.calls == []

    @pytest.mark.parametrize(COLUMNS, SERVICES)
    async def test_a_cursor_of_another_lists_shape_is_invalid_input(
        self, service, fake, kwargs, method, scope, key
    ):
        reads = fake()
        foreign = ("x", 1) if len(key) == 1 else (1,)
        with pytest.raises(InvalidInput) as raised:
            await service(reads, ACTOR, **kwargs, first=5, after=foreign)
        assert raised.value.field == "after"
        assert reads.calls == []


class TestNestedPageRequests:
    @pytest.mark.parametrize("nested", [library.group_page, studio.session_page], ids=["group", "session"])
    def test_nested_lists_are_newest_first_and_bounded(self, nested):
        assert nested(None, None) == PageRequest(first=20, after=None)
        assert nested(5, (99,)) == PageRequest(first=5, after=(99,))
        with pytest.raises(LimitExceeded):
            nested(101, None)
        with pytest.raises(InvalidInput):
            nested(5, ("name", 99))
