"""Organisations' use cases with their dependencies bound once: `organisations.issue_token(org_slug=...)`.

The composition root builds one `Organisations` per process; each method is a service
function of this package whose first parameter is the bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.kernel.ports import Clock
from domain.organisations import onboarding, tokens
from domain.organisations.ports import DirectoryReads
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class Organisations:
    """Creating organisations, issuing and revoking tokens, authenticating a bearer secret."""

    uow: Callable[[], UnitOfWork]
    """A fresh unit of work; each service call takes one."""
    clock: Clock
    directory: DirectoryReads
    """What authentication reads: the member and role a token hash grants."""

    create_organisation = onboarding.create_organisation
    issue_token = tokens.issue_token
    revoke_token = tokens.revoke_token
    authenticate = tokens.authenticate
