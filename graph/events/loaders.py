"""`activity` of a whole list at once: one statement per distinct set of arguments, not per node."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from domain.events.model import EventPage, EventQuery
from domain.events.services import Events
from domain.kernel.access import Actor

ActivityKey = tuple[str, EventQuery, int | None]
"""(subject type, query without a subject, first): nodes asked with the same arguments batch."""


class EventLoaders:
    """The event loaders of one request."""

    def __init__(self, events: Events | None, actor: Actor) -> None:
        self._events, self._actor = events, actor
        self._activity: dict[ActivityKey, DataLoader[int, EventPage]] = {}

    def activity(self, subject_type: str, query: EventQuery, first: int | None) -> DataLoader[int, EventPage]:
        """Pages of events per object id, for objects of one type asked with the same arguments."""
        key = (subject_type, query, first)
        if key not in self._activity:
            events, actor = self._events, self._actor
            if events is None:
                raise RuntimeError("these loaders were built without the events service")

            async def load(ids: list[int]) -> list[EventPage]:
                pages = await events.activity(
                    actor, subject_type=subject_type, ids=ids, query=query, first=first
                )
                return [pages[i] for i in ids]

            self._activity[key] = DataLoader(load_fn=load)
        return self._activity[key]
