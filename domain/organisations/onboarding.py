"""Creating organisations (tenants)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from domain.kernel.errors import Conflict, InvalidInput
from domain.organisations.events import OrganisationCreated
from domain.organisations.model import Organisation

if TYPE_CHECKING:
    from domain.organisations.services import Organisations

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


async def create_organisation(organisations: Organisations, *, slug: str, name: str) -> Organisation:
    """Create an organisation with the default policies, quota and budget."""
    if not _SLUG.fullmatch(slug):
        raise InvalidInput("a slug is 1-63 lowercase letters, digits and inner hyphens", field="slug")
    name = name.strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise InvalidInput("a name is 1-200 characters without NUL", field="name")
    now = organisations.clock.now()
    uow = organisations.uow()
    async with uow:
        if await uow.organisations.get_by_slug(slug) is not None:
            raise Conflict(f"the slug {slug!r} is taken", field="slug")
        org = await uow.organisations.add(slug=slug, name=name, created_at=now)
        uow.record(
            OrganisationCreated(org_id=org.id, subject_id=org.id, actor_id=None, occurred_at=now, slug=slug)
        )
        await uow.commit()
    return org
