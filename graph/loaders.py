"""Per-request DataLoaders, one set per feature: every relation field batches into one query per kind.

This is where the query side checks the actor, once per request: every relation read
below needs READ (every role has it); root lists check it again in their domain query.
The actor's organisation scopes every batch.
"""

from __future__ import annotations

import functools

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
    """All loaders of one request, each feature's made when a field first asks for it (a Studio
    page never builds the webhooks' or the facets' loaders)."""

    def __init__(
        self, reads: Reads, actor: Actor, events: Events | None = None, webhooks: Webhooks | None = None
    ) -> None:
        actor.require(Permission.READ)
        self._reads, self._actor, self._events, self._webhooks = reads, actor, events, webhooks

    @functools.cached_property
    def organisations(self) -> OrganisationLoaders:
        return OrganisationLoaders(self._reads.directory, self._actor)

    @functools.cached_property
    def library(self) -> LibraryLoaders:
        return LibraryLoaders(self._reads.library, self._actor)

    @functools.cached_property
    def studio(self) -> StudioLoaders:
        return StudioLoaders(self._reads.studio, self._actor, lambda: self.library.asset)

    @functools.cached_property
    def placements(self) -> PlacementLoaders:
        return PlacementLoaders(self._reads.placements, self._actor)

    @functools.cached_property
    def processing(self) -> ProcessingLoaders:
        return ProcessingLoaders(self._reads.processing, self._actor)

    @functools.cached_property
    def similar(self) -> SimilarLoaders:
        return SimilarLoaders(self._reads.similar, self._actor, self.library.asset)

    @functools.cached_property
    def facets(self) -> FacetLoaders:
        return FacetLoaders(self._reads.search, self._actor)

    @functools.cached_property
    def events(self) -> EventLoaders:
        return EventLoaders(self._events, self._actor)

    @functools.cached_property
    def webhooks(self) -> WebhookLoaders:
        return WebhookLoaders(self._webhooks, self._actor)
