"""OrganisationRepository, MemberRepository, TokenRepository and DirectoryReads: SQL and fakes alike."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from domain.kernel.access import Role
from tests.contracts.conftest import NOW


class TestOrganisations:
    async def test_an_added_organisation_is_found_by_id_and_slug_and_unknown_ones_are_not(self, backend):
        org = await backend.organisation()
        async with backend.uow() as uow:
            assert await uow.organisations.get(org.id) == org
            assert await uow.organisations.get_by_slug(org.slug) == org
            assert await uow.organisations.get(org.id + 1_000_000) is None
            assert await uow.organisations.get_by_slug(f"nobody-{secrets.token_hex(4)}") is None
        assert (org.credits_spent, org.storage_used_bytes) == (0, 0)

    async def test_credits_are_spent_up_to_the_budget_and_a_refused_spend_changes_nothing(
        self, backend, orgs
    ):
        budget = orgs.org.credit_budget
        async with backend.uow() as uow:
            assert await uow.organisations.spend_credits(orgs.org.id, budget - 3)
            assert not await uow.organisations.spend_credits(orgs.org.id, 4)
            assert (await uow.organisations.get(orgs.org.id)).credits_spent == budget - 3
            assert await uow.organisations.spend_credits(orgs.org.id, 3)  # exactly the budget
            assert not await uow.organisations.spend_credits(orgs.org.id, 1)
            await uow.organisations.refund_credits(orgs.org.id, 5)
            assert await uow.organisations.spend_credits(orgs.org.id, 5)
            assert not await uow.organisations.spend_credits(orgs.org.id, 1)
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.organisations.get(orgs.org.id)).credits_spent == budget
            other = await uow.organisations.get(orgs.other.id)
            assert other.credits_spent == 0  # the budget is the organisation's own
            assert await uow.organisations.spend_credits(orgs.other.id, 1)

    async def test_storage_is_reserved_up_to_the_quota_and_a_refused_reservation_changes_nothing(
        self, backend, orgs
    ):
        quota = orgs.org.storage_quota_bytes
        async with backend.uow() as uow:
            assert await uow.organisations.reserve_storage(orgs.org.id, quota - 10)
            assert not await uow.organisations.reserve_storage(orgs.org.id, 11)
            assert await uow.organisations.reserve_storage(orgs.org.id, 10)
            assert not await uow.organisations.reserve_storage(orgs.org.id, 1)
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.organisations.get(orgs.org.id)).storage_used_bytes == quota
            assert (await uow.organisations.get(orgs.other.id)).storage_used_bytes == 0
            assert await uow.organisations.reserve_storage(orgs.other.id, 1)

    async def test_released_storage_comes_off_that_organisations_used_bytes_only(self, backend, orgs):
        async with backend.uow() as uow:
            assert await uow.organisations.reserve_storage(orgs.org.id, 700)
            await uow.organisations.release_storage(orgs.org.id, 200)
            await uow.organisations.release_storage(orgs.org.id, 0)
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.organisations.get(orgs.org.id)).storage_used_bytes == 500
            assert (await uow.organisations.get(orgs.other.id)).storage_used_bytes == 0

    async def test_an_unknown_organisation_spends_and_reserves_nothing(self, backend):
        async with backend.uow() as uow:
            assert not await uow.organisations.spend_credits(10**12, 1)
            assert not await uow.organisations.reserve_storage(10**12, 1)


class TestMembers:
    async def test_a_member_is_found_by_email_in_its_own_organisation_only(self, backend, orgs):
        async with backend.uow() as uow:
            member = await uow.members.add(
                orgs.org.id, name="Ann", email="ann@example.com", role=Role.EDITOR, created_at=NOW
            )
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.members.get_by_email(orgs.org.id, "ann@example.com") == member
            assert await uow.members.get_by_email(orgs.other.id, "ann@example.com") is None
            assert await uow.members.get_by_email(orgs.org.id, "bob@example.com") is None
        assert (member.org_id, member.role) == (orgs.org.id, Role.EDITOR)

    async def test_the_same_email_may_belong_to_members_of_two_organisations(self, backend, orgs):
        async with backend.uow() as uow:
            ours = await uow.members.add(
                orgs.org.id, name="A", email="same@example.com", role=Role.ADMIN, created_at=NOW
            )
            theirs = await uow.members.add(
                orgs.other.id, name="B", email="same@example.com", role=Role.VIEWER, created_at=NOW
            )
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.members.get_by_email(orgs.org.id, "same@example.com") == ours
            assert await uow.members.get_by_email(orgs.other.id, "same@example.com") == theirs


def token_hash() -> str:
    return hashlib.sha256(secrets.token_bytes(16)).hexdigest()


async def add_token(backend, org_id: int, member_id: int, **values):
    async with backend.uow() as uow:
        token = await uow.tokens.add(
            org_id,
            member_id=member_id,
            name="ci",
            token_hash=values.pop("token_hash", token_hash()),
            prefix="atl_abcd",
            created_at=NOW,
            expires_at=values.pop("expires_at", None),
        )
        await uow.commit()
    return token


class TestTokens:
    async def test_an_added_token_is_found_by_id_and_hash_and_unknown_ones_are_not(self, backend, orgs):
        token = await add_token(backend, orgs.org.id, orgs.member.id, expires_at=NOW + timedelta(days=1))
        async with backend.uow() as uow:
            assert await uow.tokens.get(token.id) == token
            assert await uow.tokens.get_by_hash(token.token_hash) == token
            assert await uow.tokens.get(token.id + 1_000_000) is None
            assert await uow.tokens.get(2**63 - 1) is None  # the largest id the domain lets through
            assert await uow.tokens.get_by_hash(token_hash()) is None
        assert token.revoked_at is None and token.expires_at == NOW + timedelta(days=1)

    async def test_revoke_is_a_compare_and_set_within_the_organisation(self, backend, orgs):
        token = await add_token(backend, orgs.org.id, orgs.member.id)
        later = NOW + timedelta(hours=1)
        async with backend.uow() as uow:
            assert not await uow.tokens.revoke(orgs.other.id, token.id, at=NOW)  # another organisation
            assert (await uow.tokens.get(token.id)).revoked_at is None
            assert await uow.tokens.revoke(orgs.org.id, token.id, at=NOW)
            assert not await uow.tokens.revoke(orgs.org.id, token.id, at=later)  # already revoked
            assert not await uow.tokens.revoke(orgs.org.id, token.id + 1_000_000, at=NOW)
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.tokens.get(token.id)).revoked_at == NOW  # the first revocation stays


class TestDirectoryReads:
    async def test_a_grant_carries_the_token_and_its_members_role(self, backend, orgs):
        viewer = await backend.member(orgs.org.id, Role.VIEWER)
        token = await add_token(backend, orgs.org.id, viewer.id)
        grant = await backend.directory.grant_for_token_hash(token.token_hash)
        assert grant is not None and (grant.token, grant.role) == (token, Role.VIEWER)
        assert await backend.directory.grant_for_token_hash(token_hash()) is None

    async def test_a_revoked_token_still_has_a_grant_that_says_so(self, backend, orgs):
        token = await add_token(backend, orgs.org.id, orgs.member.id)
        async with backend.uow() as uow:
            await uow.tokens.revoke(orgs.org.id, token.id, at=NOW)
            await uow.commit()
        grant = await backend.directory.grant_for_token_hash(token.token_hash)
        assert grant is not None and grant.token.revoked_at == NOW  # authentication decides

    async def test_organisations_and_members_are_read_within_the_organisation(self, backend, orgs):
        assert await backend.directory.organisation(orgs.org.id) == orgs.org
        assert await backend.directory.organisation(orgs.org.id + 1_000_000) is None
        found = await backend.directory.members_by_ids(
            orgs.org.id, [orgs.member.id, orgs.other_member.id, orgs.member.id + 1_000_000]
        )
        assert dict(found) == {orgs.member.id: orgs.member}
