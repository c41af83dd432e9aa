"""Processing's per-request DataLoaders: status, facts and renditions of assets and generations."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.processing.model import JobSubject
from domain.processing.ports import ProcessingReads
from graph.processing.types import ImageFacts, ProcessingStatus, Rendition
from graph.relay.batching import many, one


class ProcessingLoaders:
    """Processing's loaders of one request, one set per subject (assets, generations)."""

    def __init__(self, reads: ProcessingReads, actor: Actor) -> None:
        org = actor.org_id
        self.asset_status = _status(_by(reads.states, "asset"), org)
        self.generation_status = _status(_by(reads.states, "generation"), org)
        self.asset_facts = one(_by(reads.facts, "asset"), org, ImageFacts.from_domain)
        self.generation_facts = one(_by(reads.facts, "generation"), org, ImageFacts.from_domain)
        self.asset_renditions = many(_by(reads.renditions, "asset"), org, Rendition.from_domain)
        self.generation_renditions = many(_by(reads.renditions, "generation"), org, Rendition.from_domain)


def _by(
    fetch: Callable[[int, JobSubject, Sequence[int]], Any], subject: JobSubject
) -> Callable[[int, Sequence[int]], Any]:
    """A read of one subject as the batching shapes take it: (org_id, keys)."""

    async def read(org_id: int, keys: Sequence[int]) -> Mapping[int, Any]:
        found: Mapping[int, Any] = await fetch(org_id, subject, keys)
        return found

    return read


def _status(fetch: Callable[[int, Sequence[int]], Any], org_id: int) -> DataLoader[int, ProcessingStatus]:
    async def load(keys: list[int]) -> list[ProcessingStatus]:
        found = await fetch(org_id, keys)
        return [ProcessingStatus.of(found.get(k)) for k in keys]

    return DataLoader(load_fn=load)
