"""Who may do what: roles, permissions and the acting member."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.kernel.errors import Forbidden

TOKEN_PREFIX = "atl_"
"""How every Atelier API token starts: the credential guard knows our own tokens by it."""


class Role(StrEnum):
    """A member's role in an organisation, from least to most trusted."""

    VIEWER = "viewer"
    CREATOR = "creator"
    EDITOR = "editor"
    APPROVER = "approver"
    ADMIN = "admin"


class Permission(StrEnum):
    """One thing a role may do."""

    READ = "read"
    GENERATE = "generate"
    ORGANISE = "organise"
    REVIEW = "review"
    ADMINISTER = "administer"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.CREATOR: frozenset({Permission.READ, Permission.GENERATE}),
    Role.EDITOR: frozenset({Permission.READ, Permission.GENERATE, Permission.ORGANISE}),
    Role.APPROVER: frozenset({Permission.READ, Permission.GENERATE, Permission.ORGANISE, Permission.REVIEW}),
    Role.ADMIN: frozenset(Permission),
}


def permissions_of(role: Role) -> frozenset[Permission]:
    """The permissions a role grants."""
    return _GRANTS[role]


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated member a request acts for; every read and write is scoped by its organisation."""

    org_id: int
    member_id: int
    role: Role
    token_id: int | None = None

    def can(self, permission: Permission) -> bool:
        """Whether this actor's role grants the permission."""
        return permission in _GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        """Raise Forbidden unless this actor's role grants the permission."""
        if permission not in _GRANTS[self.role]:
            raise Forbidden(f"your role ({self.role.value}) does not allow {permission.value}")
