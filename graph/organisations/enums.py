"""The organisation's enums as GraphQL enums (values are the members' names)."""

from __future__ import annotations

import strawberry

from domain.kernel import access

strawberry.enum(
    access.Role,
    name="Role",
    description=(
        "A member's role: VIEWER reads; CREATOR generates; EDITOR organises; APPROVER reviews; ADMIN all."
    ),
)

# strawberry.enum registers the domain's enum in place; this alias is what the types annotate with
Role = access.Role
