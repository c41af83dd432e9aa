"""Domain events: every state change is recorded as one, in the transaction that makes it.

One class per event type, each with a version: together they are the catalogue that
partner tools will read (`catalogue()`). The envelope (organisation, subject, actor,
time) is the same for all; a class's own fields are its payload, stored as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Self

from domain.kernel.access import Actor

_CATALOGUE: dict[tuple[str, int], type[DomainEvent]] = {}


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    """Something that happened to one object of one organisation."""

    type: ClassVar[str]
    """`<subject>.<past tense verb>`, e.g. `asset.saved`; with `version`, what the payload means."""
    version: ClassVar[int] = 1
    subject_type: ClassVar[str]
    """The GraphQL type of the subject, e.g. `Asset`."""

    org_id: int
    subject_id: int
    actor_id: int | None
    occurred_at: datetime

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super(DomainEvent, cls).__init_subclass__(**kwargs)  # by name: slots=True makes a new class
        if "type" in cls.__dict__:  # a concrete event, not an intermediate base
            key = (cls.type, cls.version)
            if key in _CATALOGUE and _CATALOGUE[key].__qualname__ != cls.__qualname__:
                raise TypeError(f"two event classes for {cls.type} v{cls.version}")
            _CATALOGUE[key] = cls

    @classmethod
    def by(cls, actor: Actor, subject_id: int, at: datetime, **payload: Any) -> Self:
        """The event of a change the actor made in its organisation."""
        return cls(
            org_id=actor.org_id, subject_id=subject_id, actor_id=actor.member_id, occurred_at=at, **payload
        )

    @property
    def payload(self) -> dict[str, object]:
        """The class's own fields, as JSON values (enums by value, tuples as lists)."""
        return {f.name: _json(getattr(self, f.name)) for f in fields(self) if f.name not in _ENVELOPE}


_ENVELOPE = frozenset(f.name for f in fields(DomainEvent))


def _json(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    return value


def catalogue() -> dict[tuple[str, int], type[DomainEvent]]:
    """Every event type and version defined so far (each feature's `events` module adds its own)."""
    return dict(_CATALOGUE)
