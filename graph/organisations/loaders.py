"""The organisation's per-request DataLoaders: members."""

from __future__ import annotations

from domain.kernel.access import Actor
from domain.organisations.ports import DirectoryReads
from graph.organisations.types import Member
from graph.relay.batching import one


class OrganisationLoaders:
    """The organisation's loaders of one request."""

    def __init__(self, reads: DirectoryReads, actor: Actor) -> None:
        self.member = one(reads.members_by_ids, actor.org_id, Member.from_domain)
