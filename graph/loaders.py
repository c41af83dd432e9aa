"""Per-request DataLoaders, one set per feature: every relation field batches into one query per kind.

This is where the query side checks the actor, once per request: every relation read
below needs READ (every role has it); root lists check it again in their domain query.
The actor's organisation scopes every batch.
"""

from __future__ import annotations

from domain.events.services import Events
from domain.kernel.access import Actor, Permission
from domain.unit_of_work import Reads
from domain.webhooks.services import Webhooks
from graph.events.loaders import EventLoaders
from graph.library.loaders import LibraryLoaders
from graph.library.placement_loaders import PlacementLoaders
from graph.organisations.loaders import OrganisationLoaders
from graph.processing.loaders import ProcessingLoaders
from graph.search.facet_loaders import FacetLoaders
from graph.search.similar import SimilarLoaders
from graph.studio.loaders import StudioLoaders
from graph.webhooks.loaders import WebhookLoaders


class Loaders:
    """All loaders of one request."""

    def __init__(
        self, reads: Reads, actor: Actor, events: Events | None = None, webhooks: Webhooks | None = None
    ) -> None:
        actor.require(Permission.READ)
        self.organisations = OrganisationLoaders(reads.directory, actor)
        self.library = LibraryLoaders(reads.library, actor)
        self.studio = StudioLoaders(reads.studio, actor, self.library.asset)
        self.placements = PlacementLoaders(reads.placements, actor)
        self.processing = ProcessingLoaders(reads.processing, actor)
        self.similar = SimilarLoaders(reads.similar, actor, self.library.asset)
        self.facets = FacetLoaders(reads.search, actor)
        self.events = EventLoaders(events, actor)
        self.webhooks = WebhookLoaders(webhooks, actor)
