"""API tokens: issued once in the clear, kept as a sha256, revoked for good, and turned into an actor."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from domain.kernel.access import Actor, Role
from domain.kernel.errors import ErrorCode, InvalidInput, NotFound
from domain.organisations.services import Organisations
from domain.organisations.tokens import TOKEN_PREFIX, hash_token, looks_like_token
from tests.unit.builders import FakeTenant, make_fake_tenant
from tests.unit.fakes import FakeClock, FakeDirectoryReads, FakeUnitOfWork


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    make_fake_tenant(uow, "acme", "Acme", role=None)
    return uow


@pytest.fixture
def reads(uow):
    return FakeDirectoryReads(uow)


@pytest.fixture
def organisations(uow, clock, reads) -> Organisations:
    """The organisations' services over the fakes; every call shares the one fake unit of work."""
    return Organisations(uow=lambda: uow, clock=clock, directory=reads)


def org_of(uow, slug="acme"):
    return next(o for o in uow.committed.organisations.values() if o.slug == slug)


def tenant_of(uow, slug="acme") -> FakeTenant:
    """The builders of the organisation the fixture made (it has no owner: tokens make members)."""
    return FakeTenant(uow, org_of(uow, slug), None, slug)


def admin_of(uow, issued) -> Actor:
    """The actor an ADMIN token issued in acme stands for."""
    return Actor(
        org_id=org_of(uow).id, member_id=issued.token.member_id, role=Role.ADMIN, token_id=issued.token.id
    )


class TestTheTokenShape:
    def test_a_token_is_the_prefix_and_43_url_safe_characters(self):
        assert looks_like_token("atl_" + "aZ09-_" * 7 + "x")

    @pytest.mark.parametrize(
        "secret",
        ["", "atl_", "atl_" + "a" * 42, "atl_" + "a" * 44, "xyz_" + "a" * 43, "atl_" + "a" * 42 + "="],
    )
    def test_anything_else_does_not_look_like_a_token(self, secret):
        assert not looks_like_token(secret)

    def test_the_stored_form_is_the_hex_sha256_of_the_secret(self):
        assert hash_token("atl_x") == hashlib.sha256(b"atl_x").hexdigest()


class TestIssuingATokenForANewMember:
    async def test_the_member_is_created_with_the_given_role(self, uow, clock, organisations):
        issued = await organisations.issue_token(
            org_slug="acme", role=Role.EDITOR, member_email="eve@acme.test"
        )
        [member] = uow.committed.members.values()
        assert (member.org_id, member.email, member.name, member.role) == (
            org_of(uow).id,
            "eve@acme.test",
            "eve",
            Role.EDITOR,
        )
        assert issued.token.member_id == member.id
        assert member.created_at == clock.now()

    async def test_without_an_email_the_member_is_named_after_the_role_and_the_org(
        self, uow, clock, organisations
    ):
        await organisations.issue_token(org_slug="acme", role=Role.VIEWER)
        [member] = uow.committed.members.values()
        assert member.email == "viewer@acme"

    async def test_a_member_created_and_a_token_created_event_are_recorded(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.CREATOR, name="ci")
        member_created, token_created = uow.events
        member = uow.committed.members[issued.token.member_id]
        assert member_created.type == "member.created"
        assert (member_created.org_id, member_created.subject_type, member_created.subject_id) == (
            org_of(uow).id,
            "Member",
            member.id,
        )
        assert member_created.payload == {"role": "creator"}
        assert token_created.type == "token.created"
        assert (token_created.subject_type, token_created.subject_id, token_created.actor_id) == (
            "ApiToken",
            issued.token.id,
            member.id,
        )
        assert token_created.payload == {"name": "ci"}
        assert {e.occurred_at for e in uow.events} == {clock.now()}
        assert uow.commits == 1

    async def test_the_secret_has_the_token_shape(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        assert issued.secret.startswith(TOKEN_PREFIX)
        assert TOKEN_PREFIX == "atl_"
        assert looks_like_token(issued.secret)

    async def test_only_the_hash_of_the_secret_is_stored(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        [stored] = uow.committed.tokens.values()
        assert stored == issued.token
        assert stored.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
        assert issued.secret not in repr(stored)
        assert issued.secret not in repr(uow.committed)

    async def test_the_stored_prefix_is_the_first_ten_characters_of_the_secret(
        self, uow, clock, organisations
    ):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        assert issued.token.prefix == issued.secret[:10]

    async def test_the_token_keeps_its_name_and_expiry(self, uow, clock, organisations):
        expiry = clock.now() + timedelta(days=30)
        issued = await organisations.issue_token(
            org_slug="acme", role=Role.ADMIN, name="ci", expires_at=expiry
        )
        assert (issued.token.name, issued.token.expires_at, issued.token.revoked_at) == ("ci", expiry, None)
        assert issued.token.created_at == clock.now()

    async def test_each_token_gets_a_new_secret(self, uow, clock, organisations):
        first = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        second = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        assert first.secret != second.secret
        assert len(uow.committed.members) == 1
        assert len(uow.committed.tokens) == 2


class TestIssuingATokenForAnExistingMember:
    async def test_a_member_with_the_same_role_gets_another_token_and_no_member_event(
        self, uow, clock, organisations
    ):
        member = tenant_of(uow).member(Role.APPROVER, "eve@acme.test")
        issued = await organisations.issue_token(
            org_slug="acme", role=Role.APPROVER, member_email=member.email
        )
        assert issued.token.member_id == member.id
        assert uow.event_types() == ["token.created"]
        assert list(uow.committed.members.values()) == [member]

    async def test_a_member_with_another_role_is_invalid_input_and_nothing_is_committed(
        self, uow, clock, organisations
    ):
        member = tenant_of(uow).member(Role.VIEWER, "eve@acme.test")
        before = uow.committed.copy()
        with pytest.raises(InvalidInput) as raised:
            await organisations.issue_token(org_slug="acme", role=Role.ADMIN, member_email=member.email)
        assert raised.value.code is ErrorCode.INVALID_INPUT
        assert raised.value.field == "role"
        assert "viewer" in raised.value.message
        assert uow.committed == before
        assert uow.committed.tokens == {}
        assert uow.events == []
        assert uow.commits == 0

    async def test_a_member_of_another_organisation_with_the_same_email_is_not_reused(
        self, uow, clock, organisations
    ):
        stranger = make_fake_tenant(uow, "other", "Other", role=None).member(Role.VIEWER, "eve@acme.test")
        issued = await organisations.issue_token(
            org_slug="acme", role=Role.ADMIN, member_email=stranger.email
        )
        assert issued.token.member_id != stranger.id
        assert issued.token.org_id == org_of(uow).id
        assert uow.committed.members[issued.token.member_id].org_id == org_of(uow).id


class TestIssuingATokenIsRefused:
    async def test_an_unknown_organisation_is_not_found(self, uow, clock, organisations):
        with pytest.raises(NotFound) as raised:
            await organisations.issue_token(org_slug="nope", role=Role.ADMIN)
        assert raised.value.code is ErrorCode.NOT_FOUND
        assert raised.value.field == "org"
        assert (uow.commits, uow.committed.members, uow.committed.tokens) == (0, {}, {})

    @pytest.mark.parametrize("ago", [timedelta(0), timedelta(seconds=1), timedelta(days=365)])
    async def test_an_expiry_that_is_not_in_the_future_is_invalid_input(self, uow, clock, ago, organisations):
        with pytest.raises(InvalidInput) as raised:
            await organisations.issue_token(org_slug="acme", role=Role.ADMIN, expires_at=clock.now() - ago)
        assert raised.value.field == "expires_at"
        assert (uow.commits, uow.committed.members, uow.committed.tokens, uow.events) == (0, {}, {}, [])

    @pytest.mark.parametrize(
        "email",
        ["no-at-sign", "two@@acme", "sp ace@acme", "@acme", "eve@", "nul\x00@acme", "a" * 65 + "@acme"],
    )
    async def test_a_malformed_email_is_invalid_input(self, uow, clock, email, organisations):
        with pytest.raises(InvalidInput) as raised:
            await organisations.issue_token(org_slug="acme", role=Role.ADMIN, member_email=email)
        assert raised.value.field == "member"
        assert uow.commits == 0

    async def test_an_email_with_a_trailing_newline_is_invalid_input(self, uow, clock, organisations):
        with pytest.raises(InvalidInput):
            await organisations.issue_token(org_slug="acme", role=Role.ADMIN, member_email="eve@acme.test\n")


class TestRevokingAToken:
    async def test_a_token_is_revoked_by_its_secret(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        clock.advance(timedelta(minutes=5))
        revoked = await organisations.revoke_token(secret_or_id=issued.secret)
        assert revoked.id == issued.token.id
        assert uow.committed.tokens[issued.token.id].revoked_at == clock.now()

    async def test_a_token_is_revoked_by_its_id(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        revoked = await organisations.revoke_token(secret_or_id=str(issued.token.id))
        assert revoked.id == issued.token.id
        assert uow.committed.tokens[issued.token.id].revoked_at == clock.now()

    async def test_revoking_records_a_token_revoked_event(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        await organisations.revoke_token(secret_or_id=issued.secret)
        event = uow.events[-1]
        assert (event.type, event.org_id, event.subject_type, event.subject_id, event.occurred_at) == (
            "token.revoked",
            issued.token.org_id,
            "ApiToken",
            issued.token.id,
            clock.now(),
        )

    async def test_revoking_twice_records_one_event_and_keeps_the_first_time(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        first_time = clock.now()
        await organisations.revoke_token(secret_or_id=issued.secret)
        clock.advance(timedelta(hours=1))
        again = await organisations.revoke_token(secret_or_id=str(issued.token.id))
        assert again.id == issued.token.id
        assert uow.event_types().count("token.revoked") == 1
        assert uow.committed.tokens[issued.token.id].revoked_at == first_time

    async def test_revoking_one_token_leaves_the_others_alone(self, uow, clock, organisations):
        kept = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        gone = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        await organisations.revoke_token(secret_or_id=gone.secret)
        assert uow.committed.tokens[kept.token.id].revoked_at is None

    @pytest.mark.parametrize(
        "secret_or_id",
        ["999", "0", "atl_" + "a" * 43, "", "nonsense", "-1", "1.5", " 1"],
    )
    async def test_an_unknown_token_is_not_found(self, uow, clock, secret_or_id, organisations):
        await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        events_before = uow.events
        with pytest.raises(NotFound) as raised:
            await organisations.revoke_token(secret_or_id=secret_or_id)
        assert raised.value.code is ErrorCode.NOT_FOUND
        assert raised.value.field == "token"
        assert uow.events == events_before

    async def test_a_superscript_digit_is_an_unknown_token_not_a_crash(self, uow, clock, organisations):
        with pytest.raises(NotFound):
            await organisations.revoke_token(secret_or_id="\u00b2")

    async def test_non_ascii_digits_do_not_name_a_token_id(self, uow, clock, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        arabic_indic = "".join(chr(0x0660 + int(d)) for d in str(issued.token.id))
        with pytest.raises(NotFound):
            await organisations.revoke_token(secret_or_id=arabic_indic)
        assert uow.committed.tokens[issued.token.id].revoked_at is None

    async def test_an_id_beyond_sixty_four_bits_is_an_unknown_token_not_a_crash(
        self, uow, clock, organisations
    ):
        with pytest.raises(NotFound):
            await organisations.revoke_token(secret_or_id=str(2**63))

    async def test_an_absurdly_long_id_is_an_unknown_token_not_a_crash(self, uow, clock, organisations):
        with pytest.raises(NotFound):
            await organisations.revoke_token(secret_or_id="9" * 5000)


class TestAuthenticating:
    async def test_a_live_token_stands_for_its_member_in_its_organisation(
        self, uow, clock, reads, organisations
    ):
        issued = await organisations.issue_token(org_slug="acme", role=Role.APPROVER)
        actor = await organisations.authenticate(secret=issued.secret)
        assert actor == Actor(
            org_id=org_of(uow).id,
            member_id=issued.token.member_id,
            role=Role.APPROVER,
            token_id=issued.token.id,
        )

    async def test_the_actor_has_the_members_current_role(self, uow, clock, reads, organisations):
        member = tenant_of(uow).member(Role.EDITOR, "eve@acme.test")
        issued = await organisations.issue_token(org_slug="acme", role=Role.EDITOR, member_email=member.email)
        actor = await organisations.authenticate(secret=issued.secret)
        assert actor == Actor(
            org_id=org_of(uow).id, member_id=member.id, role=Role.EDITOR, token_id=issued.token.id
        )

    @pytest.mark.parametrize(
        "secret",
        [None, "", "nonsense", "Bearer atl_", "atl_" + "a" * 42, "atl_" + "a" * 43 + "\x00", "' OR 1=1 --"],
    )
    async def test_a_missing_or_malformed_secret_is_nobody_and_never_reaches_the_reads(
        self, clock, reads, secret, organisations
    ):
        assert await organisations.authenticate(secret=secret) is None
        assert reads.looked_up == []

    async def test_a_secret_with_a_trailing_newline_never_reaches_the_reads(
        self, clock, reads, organisations
    ):
        assert not looks_like_token("atl_" + "a" * 43 + "\n")
        assert await organisations.authenticate(secret="atl_" + "a" * 43 + "\n") is None
        assert reads.looked_up == []

    async def test_an_unknown_secret_is_nobody(self, uow, clock, reads, organisations):
        await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        unknown = "atl_" + "a" * 43
        assert await organisations.authenticate(secret=unknown) is None
        assert reads.looked_up == [hash_token(unknown)]

    async def test_a_revoked_token_is_nobody(self, uow, clock, reads, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        await organisations.revoke_token(secret_or_id=issued.secret)
        assert await organisations.authenticate(secret=issued.secret) is None

    async def test_a_token_works_until_its_expiry_and_not_from_then_on(
        self, uow, clock, reads, organisations
    ):
        expiry = clock.now() + timedelta(hours=1)
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN, expires_at=expiry)
        clock.set(expiry - timedelta(microseconds=1))
        assert await organisations.authenticate(secret=issued.secret) == admin_of(uow, issued)
        clock.set(expiry)
        assert await organisations.authenticate(secret=issued.secret) is None
        clock.advance(timedelta(days=1))
        assert await organisations.authenticate(secret=issued.secret) is None

    async def test_a_token_without_expiry_keeps_working(self, uow, clock, reads, organisations):
        issued = await organisations.issue_token(org_slug="acme", role=Role.ADMIN)
        clock.advance(timedelta(days=3650))
        assert await organisations.authenticate(secret=issued.secret) == admin_of(uow, issued)
