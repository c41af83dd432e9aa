"""Roles grant permissions; an actor is refused what its role does not grant."""

from __future__ import annotations

import itertools

import pytest

from domain.kernel.access import Actor, Permission, Role, permissions_of
from domain.kernel.errors import ErrorCode, Forbidden

P = Permission


class TestWhatEachRoleMayDo:
    def test_a_viewer_may_only_read(self):
        assert permissions_of(Role.VIEWER) == {P.READ}

    def test_a_creator_may_also_generate(self):
        assert permissions_of(Role.CREATOR) == {P.READ, P.GENERATE}

    def test_an_editor_may_also_organise(self):
        assert permissions_of(Role.EDITOR) == {P.READ, P.GENERATE, P.ORGANISE}

    def test_an_approver_may_also_review(self):
        assert permissions_of(Role.APPROVER) == {P.READ, P.GENERATE, P.ORGANISE, P.REVIEW}

    def test_an_admin_may_do_everything(self):
        assert permissions_of(Role.ADMIN) == set(Permission)

    def test_only_an_admin_may_administer(self):
        assert [r for r in Role if P.ADMINISTER in permissions_of(r)] == [Role.ADMIN]

    def test_each_role_may_do_everything_the_role_below_it_may(self):
        roles = list(Role)
        for lower, higher in itertools.pairwise(roles):
            assert permissions_of(lower) < permissions_of(higher), (lower, higher)

    @pytest.mark.parametrize("role", list(Role))
    def test_an_actor_can_exactly_what_its_role_grants(self, role):
        actor = Actor(org_id=1, member_id=2, role=role)
        assert {p for p in Permission if actor.can(p)} == permissions_of(role)


class TestRequiringAPermission:
    def test_a_granted_permission_passes_silently(self):
        Actor(org_id=1, member_id=2, role=Role.EDITOR).require(P.ORGANISE)

    def test_a_missing_permission_is_forbidden(self):
        with pytest.raises(Forbidden) as raised:
            Actor(org_id=1, member_id=2, role=Role.VIEWER).require(P.GENERATE)
        assert raised.value.code is ErrorCode.FORBIDDEN
        assert raised.value.code == "FORBIDDEN"
        assert "viewer" in raised.value.message
        assert "generate" in raised.value.message

    @pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
    def test_only_an_admin_passes_the_administer_check(self, role):
        with pytest.raises(Forbidden):
            Actor(org_id=1, member_id=2, role=role).require(P.ADMINISTER)
        Actor(org_id=1, member_id=2, role=Role.ADMIN).require(P.ADMINISTER)
