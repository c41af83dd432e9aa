"""Creating organisations: a valid, free slug and a name, with the defaults and an event."""

from __future__ import annotations

import pytest

from domain.kernel.errors import Conflict, ErrorCode, InvalidInput
from domain.organisations.model import DEFAULT_CREDIT_BUDGET, DEFAULT_STORAGE_QUOTA_BYTES
from domain.organisations.services import Organisations
from tests.unit.builders import make_fake_tenant
from tests.unit.fakes import FakeClock, FakeDirectoryReads, FakeUnitOfWork


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def uow():
    return FakeUnitOfWork()


@pytest.fixture
def organisations(uow, clock) -> Organisations:
    """The organisations' services over the fakes; every call shares the one fake unit of work."""
    return Organisations(uow=lambda: uow, clock=clock, directory=FakeDirectoryReads(uow))


class TestCreatingAnOrganisation:
    async def test_the_organisation_is_stored_with_the_default_policies(self, uow, clock, organisations):
        org = await organisations.create_organisation(slug="acme", name="Acme Studio")
        assert list(uow.committed.organisations.values()) == [org]
        assert (org.slug, org.name, org.created_at) == ("acme", "Acme Studio", clock.now())
        assert org.storage_quota_bytes == DEFAULT_STORAGE_QUOTA_BYTES
        assert org.credit_budget == DEFAULT_CREDIT_BUDGET
        assert uow.commits == 1

    async def test_an_organisation_created_event_is_recorded(self, uow, clock, organisations):
        org = await organisations.create_organisation(slug="acme", name="Acme")
        [event] = uow.events
        assert (event.type, event.org_id, event.subject_type, event.subject_id, event.actor_id) == (
            "organisation.created",
            org.id,
            "Organisation",
            org.id,
            None,
        )
        assert event.payload == {"slug": "acme"}
        assert event.occurred_at == clock.now()

    async def test_the_name_is_stripped(self, uow, clock, organisations):
        org = await organisations.create_organisation(slug="acme", name="  Acme  ")
        assert org.name == "Acme"


class TestOrganisationSlugs:
    @pytest.mark.parametrize("slug", ["a", "7", "acme", "acme-studio", "a-b-c", "x" * 63, "2024-campaigns"])
    async def test_lowercase_letters_digits_and_inner_hyphens_up_to_63_characters_are_a_slug(
        self, uow, clock, slug, organisations
    ):
        org = await organisations.create_organisation(slug=slug, name="Name")
        assert org.slug == slug

    @pytest.mark.parametrize(
        "slug",
        [
            pytest.param("Acme", id="uppercase"),
            pytest.param("ACME", id="all-uppercase"),
            pytest.param("ac me", id="space"),
            pytest.param(" acme", id="leading-space"),
            pytest.param("", id="empty"),
            pytest.param("x" * 64, id="64-characters"),
            pytest.param("x" * 1000, id="1000-characters"),
            pytest.param("ac\x00me", id="nul"),
            pytest.param("acme\x00", id="trailing-nul"),
            pytest.param("-acme", id="leading-hyphen"),
            pytest.param("acme-", id="trailing-hyphen"),
            pytest.param("ac_me", id="underscore"),
            pytest.param("ac.me", id="dot"),
            pytest.param("café", id="non-ascii"),
        ],
    )
    async def test_anything_else_is_invalid_input_on_slug_and_nothing_is_stored(
        self, uow, clock, slug, organisations
    ):
        with pytest.raises(InvalidInput) as raised:
            await organisations.create_organisation(slug=slug, name="Name")
        assert raised.value.code is ErrorCode.INVALID_INPUT
        assert raised.value.field == "slug"
        assert (uow.committed.organisations, uow.events, uow.commits) == ({}, [], 0)

    async def test_a_slug_with_a_trailing_newline_is_invalid_input(self, uow, clock, organisations):
        with pytest.raises(InvalidInput):
            await organisations.create_organisation(slug="acme\n", name="Name")


class TestOrganisationNames:
    @pytest.mark.parametrize(
        "name",
        [
            pytest.param("", id="empty"),
            pytest.param("   ", id="blank"),
            pytest.param("x" * 201, id="201-characters"),
            pytest.param("Ac\x00me", id="nul"),
        ],
    )
    async def test_an_empty_overlong_or_nul_name_is_invalid_input_on_name(
        self, uow, clock, name, organisations
    ):
        with pytest.raises(InvalidInput) as raised:
            await organisations.create_organisation(slug="acme", name=name)
        assert raised.value.field == "name"
        assert uow.committed.organisations == {}

    async def test_a_name_of_200_characters_is_allowed(self, uow, clock, organisations):
        org = await organisations.create_organisation(slug="acme", name="x" * 200)
        assert len(org.name) == 200


class TestTakenSlugs:
    async def test_a_taken_slug_is_a_conflict_and_nothing_is_committed(self, uow, clock, organisations):
        existing = make_fake_tenant(uow, "acme", "Acme", role=None).org
        with pytest.raises(Conflict) as raised:
            await organisations.create_organisation(slug="acme", name="Another Acme")
        assert raised.value.code is ErrorCode.CONFLICT
        assert raised.value.field == "slug"
        assert list(uow.committed.organisations.values()) == [existing]
        assert (uow.events, uow.commits) == ([], 0)

    async def test_a_slug_freed_by_a_rolled_back_creation_is_not_taken(self, uow, clock, organisations):
        async with uow:
            await uow.organisations.add(slug="acme", name="Acme", created_at=clock.now())
        org = await organisations.create_organisation(slug="acme", name="Acme")
        assert list(uow.committed.organisations.values()) == [org]
